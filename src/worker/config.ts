/**
 * Reads the Worker's vars and secrets into one checked configuration. Every problem is a 503
 * configuration error naming the setting, never its value.
 */
import type { Env } from "./env.ts";
import { configError } from "./errors.ts";

/** The Certn origin used when `CERTN_BASE_URL` is not set. */
export const DEFAULT_CERTN_BASE_URL = "https://demo-api.certn.co";
/** Worst-case upstream requests one run may need, by default (fits the Workers free plan). */
export const DEFAULT_SUBREQUEST_BUDGET = 45;
/** Wall-clock limit of one run, by default. */
export const DEFAULT_DEADLINE_MS = 300_000;

/** How the Worker authenticates to Certn. */
export type CertnCredentials =
  | { kind: "client-credentials"; clientId: string; clientSecret: string }
  | { kind: "api-key"; apiKey: string; apiKeyScheme: "Api-Key" | "Bearer" }
  | { kind: "none" };

/** The checked configuration of one request. */
export interface WorkerConfig {
  baseUrl: string;
  credentials: CertnCredentials;
  subrequestBudget: number;
  deadlineMs: number;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** True for a non-empty string setting. */
function isSet(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/** `https:` origins, or `http:` on a loopback host (a local stand-in such as the simulator). */
export function readBaseUrl(value: unknown): string {
  if (value === undefined || value === "") return DEFAULT_CERTN_BASE_URL;
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw configError("CERTN_BASE_URL is not a URL");
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith("127.");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw configError("CERTN_BASE_URL must be https: (http: only for loopback hosts)");
  }
  if (url.username !== "" || url.password !== "") throw configError("CERTN_BASE_URL must not hold user info");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw configError("CERTN_BASE_URL must be an origin only (no path, query or fragment)");
  }
  return url.origin;
}

/** A positive integer setting, or its default. Accepts numbers too, since `[vars]` may hold them. */
function readPositiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const parsed = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isSafeInteger(parsed) || parsed <= 0) throw configError(`${name} must be a positive integer`);
  return parsed;
}

/** Client credentials or an API key from the secrets; both at once is ambiguous and refused. */
export function readCredentials(env: Env): CertnCredentials {
  const hasId = isSet(env.CERTN_CLIENT_ID);
  const hasSecret = isSet(env.CERTN_CLIENT_SECRET);
  const hasKey = isSet(env.CERTN_API_KEY);
  if (hasId !== hasSecret) {
    throw configError("CERTN_CLIENT_ID and CERTN_CLIENT_SECRET must be set together");
  }
  if (hasId && hasKey) {
    throw configError("set either CERTN_CLIENT_ID/CERTN_CLIENT_SECRET or CERTN_API_KEY, not both");
  }
  if (hasKey) {
    const scheme = env.CERTN_API_KEY_SCHEME ?? "Api-Key";
    if (scheme !== "Api-Key" && scheme !== "Bearer") {
      throw configError('CERTN_API_KEY_SCHEME must be "Api-Key" or "Bearer"');
    }
    return { kind: "api-key", apiKey: env.CERTN_API_KEY as string, apiKeyScheme: scheme };
  }
  if (hasId) {
    return {
      kind: "client-credentials",
      clientId: env.CERTN_CLIENT_ID as string,
      clientSecret: env.CERTN_CLIENT_SECRET as string,
    };
  }
  return { kind: "none" };
}

/** Reads everything a run needs. `credentials` overrides the secrets (the development entry). */
export function readWorkerConfig(env: Env, credentials?: CertnCredentials): WorkerConfig {
  return {
    baseUrl: readBaseUrl(env.CERTN_BASE_URL),
    credentials: credentials ?? readCredentials(env),
    subrequestBudget: readPositiveInteger(
      "RUNNER_SUBREQUEST_BUDGET",
      env.RUNNER_SUBREQUEST_BUDGET,
      DEFAULT_SUBREQUEST_BUDGET,
    ),
    deadlineMs: readPositiveInteger("RUNNER_DEADLINE_MS", env.RUNNER_DEADLINE_MS, DEFAULT_DEADLINE_MS),
  };
}
