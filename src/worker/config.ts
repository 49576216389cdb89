/**
 * Reads the Worker's vars and secrets into one checked configuration. Every problem is a 503
 * configuration error naming the setting, never its value.
 */
import { parseBaseUrl } from "../core/origin.ts";
import { MAX_DEADLINE_MS, parseRateLimitText, type RateLimit } from "../runner/index.ts";
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
  /** Certn's windows from `RUNNER_RATE_LIMIT`; undefined: Certn's defaults for the collection's API. */
  rateLimits: RateLimit[] | undefined;
}

/** True for a non-empty string setting. */
function isSet(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/**
 * The Certn origin: exactly what the client accepts (`parseBaseUrl`, one rule for both), so a
 * value the client would refuse mid-run is a 503 here instead of a 500 there.
 */
export function readBaseUrl(value: unknown): string {
  if (value === undefined || value === "") return DEFAULT_CERTN_BASE_URL;
  try {
    return parseBaseUrl(String(value));
  } catch {
    // The client's message quotes the value; the setting is named instead.
    throw configError(
      "CERTN_BASE_URL must be an https: origin such as https://demo-api.certn.co (http: only for " +
        "localhost, 127.0.0.0/8 and [::1]), without user info, path, query or fragment",
    );
  }
}

/**
 * A positive integer setting (at most `max`), or its default. Accepts numbers too, since `[vars]`
 * may hold them.
 */
function readPositiveInteger(
  name: string,
  value: unknown,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined || value === "") return fallback;
  const parsed = typeof value === "number" ? value : Number(String(value).trim());
  if (!Number.isSafeInteger(parsed) || parsed <= 0 || parsed > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? "a positive integer" : `an integer from 1 to ${max}`;
    throw configError(`${name} must be ${range}`);
  }
  return parsed;
}

/**
 * `RUNNER_RATE_LIMIT`: comma-separated `<count>/<window>` (see `parseRateLimitText`), or unset.
 * @throws WorkerError 503 naming the setting and what is wrong with it.
 * @example
 * readRateLimits("240/60s,14400/1d"); // [{ requests: 240, perMs: 60_000 }, { requests: 14_400, perMs: 86_400_000 }]
 */
export function readRateLimits(value: unknown): RateLimit[] | undefined {
  if (value === undefined || value === "") return undefined;
  try {
    return parseRateLimitText(String(value).trim(), "RUNNER_RATE_LIMIT");
  } catch (error) {
    // The value is a limit, not a secret: quoting it helps whoever set it.
    throw configError(error instanceof Error ? error.message : "RUNNER_RATE_LIMIT is invalid");
  }
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
    // The runner's own limit: a longer deadline would be refused when the run starts.
    deadlineMs: readPositiveInteger(
      "RUNNER_DEADLINE_MS",
      env.RUNNER_DEADLINE_MS,
      DEFAULT_DEADLINE_MS,
      MAX_DEADLINE_MS,
    ),
    rateLimits: readRateLimits(env.RUNNER_RATE_LIMIT),
  };
}
