/**
 * Certn credentials and base URL from the environment (the process's, merged with an env file).
 * Names: CERTN_CLIENT_ID / CERTN_CLIENT_SECRET, or CLIENT_ID / CLIENT_SECRET as Certn's
 * getting-started guide calls them; CERTN_API_KEY with CERTN_API_KEY_SCHEME; CERTN_BASE_URL.
 * Messages name variables, never their values.
 */
import { UsageError } from "./usage-error.ts";

/** A credential choice, shaped like `createCertnClient`'s options. */
export type EnvCredentials =
  | { clientId: string; clientSecret: string }
  | { apiKey: string; apiKeyScheme: "Api-Key" | "Bearer" };

/** What the environment says about how to reach Certn. */
export interface EnvConnection {
  /** Undefined when no credential is set. */
  credentials: EnvCredentials | undefined;
  /** `CERTN_BASE_URL`, when set. */
  baseUrl: string | undefined;
  /** Which variables the credential came from, for the run header (names only). */
  source: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === "" ? undefined : raw;
}

function pair(env: Env, id: string, secret: string): { clientId: string; clientSecret: string } | undefined {
  const clientId = value(env, id);
  const clientSecret = value(env, secret);
  if (clientId === undefined && clientSecret === undefined) return undefined;
  if (clientId === undefined) throw new UsageError(`${secret} is set but ${id} is not; set both`);
  if (clientSecret === undefined) throw new UsageError(`${id} is set but ${secret} is not; set both`);
  return { clientId: clientId.trim(), clientSecret };
}

/**
 * Reads the credential and base URL. `CERTN_*` names win over the generic `CLIENT_ID` /
 * `CLIENT_SECRET`, which are used only when no `CERTN_*` credential is set.
 * @throws UsageError for half a pair, both a client pair and an API key, or a bad scheme
 */
export function credentialsFromEnv(env: Env): EnvConnection {
  const baseUrl = value(env, "CERTN_BASE_URL")?.trim();
  const certnPair = pair(env, "CERTN_CLIENT_ID", "CERTN_CLIENT_SECRET");
  const apiKey = value(env, "CERTN_API_KEY");
  if (certnPair && apiKey !== undefined) {
    throw new UsageError("both CERTN_CLIENT_ID/CERTN_CLIENT_SECRET and CERTN_API_KEY are set; keep only one");
  }
  if (apiKey !== undefined) {
    const scheme = value(env, "CERTN_API_KEY_SCHEME")?.trim() ?? "Bearer";
    const normalized =
      scheme.toLowerCase() === "api-key"
        ? "Api-Key"
        : scheme.toLowerCase() === "bearer"
          ? "Bearer"
          : undefined;
    if (normalized === undefined) {
      throw new UsageError(
        `CERTN_API_KEY_SCHEME must be "Api-Key" (CertnCentric) or "Bearer", got "${scheme}"`,
      );
    }
    return {
      credentials: { apiKey: apiKey.trim(), apiKeyScheme: normalized },
      baseUrl,
      source: "CERTN_API_KEY",
    };
  }
  if (certnPair) return { credentials: certnPair, baseUrl, source: "CERTN_CLIENT_ID/CERTN_CLIENT_SECRET" };
  const generic = pair(env, "CLIENT_ID", "CLIENT_SECRET");
  if (generic) return { credentials: generic, baseUrl, source: "CLIENT_ID/CLIENT_SECRET" };
  return { credentials: undefined, baseUrl, source: undefined };
}

/** The message for a run that has no credential. */
export const NO_CREDENTIALS_MESSAGE =
  "no Certn credentials: set CERTN_CLIENT_ID and CERTN_CLIENT_SECRET (or CLIENT_ID and CLIENT_SECRET, " +
  "or CERTN_API_KEY) in the environment or in a file given with --env-file, or use --simulator";
