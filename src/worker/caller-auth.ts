/**
 * Caller authentication: a bearer JWT verified with `jose`, algorithms pinned. HS256 with
 * `RUNNER_JWT_SECRET`, or a JWKS (`RUNNER_JWKS_URL`, for example Cloudflare Access) with issuer
 * and audience required. Scopes come from the space-separated `scope` claim; a token without one
 * (Cloudflare Access never sends one) gets `RUNNER_DEFAULT_SCOPES`, never an admin scope.
 */
import {
  createRemoteJWKSet,
  customFetch,
  type ExportedJWKSCache,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwksCache,
  jwtVerify,
} from "jose";
import type { Env } from "./env.ts";
import { configError, WorkerError } from "./errors.ts";

/** What a caller may do. */
export type Scope =
  | "collections:read"
  | "collections:write"
  | "runs:saved"
  | "runs:adhoc"
  | "runs:admin"
  | "monitors:read"
  | "monitors:write"
  | "monitors:admin";

/** Every scope (a token's own `scope` claim of `*` grants all of them). */
export const ALL_SCOPES: readonly Scope[] = [
  "collections:read",
  "collections:write",
  "runs:saved",
  "runs:adhoc",
  // Sees every caller's run records (others see only the runs their own `sub` started).
  "runs:admin",
  // Monitors: list and read them (with their last runs), create, change and delete them.
  "monitors:read",
  "monitors:write",
  // Lists, reads and deletes every caller's monitors (`?owner=`, `?all=true`).
  "monitors:admin",
];

/**
 * The scopes over other callers' records. `RUNNER_DEFAULT_SCOPES` never grants them: every token
 * without a `scope` claim (every Cloudflare Access identity) would read and stop everyone's runs
 * and monitors.
 */
export const ADMIN_SCOPES: readonly Scope[] = ["runs:admin", "monitors:admin"];

/** The scopes `RUNNER_DEFAULT_SCOPES` may grant (`*` there grants these). */
const DEFAULTABLE_SCOPES: readonly string[] = ALL_SCOPES.filter((scope) => !ADMIN_SCOPES.includes(scope));

/**
 * The scopes of a token without a `scope` claim when `RUNNER_DEFAULT_SCOPES` is not set: read and
 * run saved collections, and read monitors.
 */
export const DEFAULT_SCOPES = "collections:read runs:saved monitors:read";

/** The scope names of a token's own `scope` claim (RFC 6749 §3.3), `*` expanded to every scope. */
function scopeList(text: string): string[] {
  const listed = text.split(" ").filter((part) => part !== "");
  return listed.includes("*") ? [...ALL_SCOPES] : listed;
}

/**
 * The scopes of a token without a `scope` claim: `RUNNER_DEFAULT_SCOPES` (space-separated; `*`
 * for every scope but the admin ones; set but empty for none), else {@link DEFAULT_SCOPES}. An
 * unknown name is a configuration error, so a typo cannot silently grant nothing (or hide a scope
 * meant for later), and so is an admin scope ({@link ADMIN_SCOPES}).
 */
export function readDefaultScopes(value: string | undefined): ReadonlySet<string> {
  // Set but empty (or blank) lists no name: such tokens get no scope at all.
  const listed = (value ?? DEFAULT_SCOPES).split(/\s+/).filter((part) => part !== "");
  if (listed.some((name) => (ADMIN_SCOPES as readonly string[]).includes(name))) {
    throw configError(
      `RUNNER_DEFAULT_SCOPES may not name an admin scope (${ADMIN_SCOPES.join(", ")}): every token without a scope claim, every Cloudflare Access identity included, would see and stop every caller's runs and monitors; grant them in the scope claim of the tokens that need them`,
    );
  }
  if (listed.some((name) => name !== "*" && !DEFAULTABLE_SCOPES.includes(name))) {
    throw configError(
      `RUNNER_DEFAULT_SCOPES names unknown scopes; use * (every scope but the admin ones), nothing, or: ${DEFAULTABLE_SCOPES.join(" ")}`,
    );
  }
  return new Set(listed.includes("*") ? DEFAULTABLE_SCOPES : listed);
}

/** A verified caller. */
export interface Caller {
  /**
   * Who the caller is, for the records kept per caller: a non-empty `sub` claim, else an Access
   * service token's `common_name` as `service:NAME` (Access signs service tokens with an empty
   * `sub`); undefined when the token names neither (never logged with anything secret).
   */
  subject: string | undefined;
  scopes: ReadonlySet<string>;
}

/** Test and deployment seams of caller authentication. */
export interface CallerAuthOptions {
  /** Key getter used in JWKS mode instead of fetching `RUNNER_JWKS_URL`. */
  jwks?: JWTVerifyGetKey;
  /** `fetch` used to download the JWKS (default: the global `fetch`). */
  jwksFetch?: typeof fetch;
  /** Clock for `exp`/`nbf` checks, in ms since the epoch. */
  now?: () => number;
}

/** Tolerance for `exp`, `nbf` and `iat`, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Shortest accepted HS256 secret, in bytes (RFC 7518 §3.2: at least the hash size). */
export const MIN_SECRET_BYTES = 32;

const HS_ALGORITHMS = ["HS256"];
const JWKS_ALGORITHMS = ["RS256", "ES256"];

/**
 * Resolved key sets by JWKS URL. Only resolved data lives here (jose's exported cache shape);
 * each request builds its own remote key set, so no in-flight fetch is shared between requests.
 */
const jwksCaches = new Map<string, ExportedJWKSCache | Record<string, never>>();

/** The 401 answer: RFC 6750 `WWW-Authenticate`, never echoing what was presented. */
function unauthorized(message: string, presented: boolean): WorkerError {
  const challenge = presented
    ? 'Bearer realm="certn-edge", error="invalid_token"'
    : 'Bearer realm="certn-edge"';
  return new WorkerError("UNAUTHORIZED", message, { headers: { "www-authenticate": challenge } });
}

/** The presented JWT: `Cf-Access-Jwt-Assertion` (JWKS mode only), else `Authorization: Bearer`. */
function presentedToken(headers: Headers, allowAccessHeader: boolean): string | undefined {
  if (allowAccessHeader) {
    const assertion = headers.get("cf-access-jwt-assertion");
    if (assertion !== null && assertion.trim() !== "") return assertion.trim();
  }
  const authorization = headers.get("authorization");
  if (authorization === null) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match?.[1];
}

/** A jose failure as a message that names the reason but nothing from the token. */
function describeJoseFailure(error: unknown): string {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const claim = typeof error === "object" && error !== null && "claim" in error ? String(error.claim) : "";
  switch (code) {
    case "ERR_JWT_EXPIRED":
      return "the token has expired";
    case "ERR_JWT_CLAIM_VALIDATION_FAILED":
      return claim === ""
        ? "a claim of the token is not accepted"
        : `the token's "${claim}" claim is not accepted`;
    case "ERR_JOSE_ALG_NOT_ALLOWED":
      return "the token's signing algorithm is not accepted";
    case "ERR_JWS_SIGNATURE_VERIFICATION_FAILED":
      return "the token's signature does not verify";
    case "ERR_JWKS_NO_MATCHING_KEY":
      return "no key of the key set matches the token";
    default:
      return "the token is not a valid JWT";
  }
}

/** True when the failure is ours (the key set could not be fetched), not the caller's. */
function isKeySetUnavailable(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  return (
    code === "ERR_JWKS_TIMEOUT" ||
    code === "ERR_JWKS_INVALID" ||
    code === "ERR_JOSE_GENERIC" ||
    error instanceof TypeError
  );
}

/** Scopes of a verified payload: its `scope` claim, else the deployment's default scopes. */
function scopesOf(payload: JWTPayload, defaults: ReadonlySet<string>): ReadonlySet<string> {
  const scope = payload.scope;
  if (scope === undefined) return defaults;
  if (typeof scope !== "string") throw unauthorized('the token\'s "scope" claim must be a string', true);
  return new Set(scopeList(scope));
}

/** The key and verify options of the configured mode; a configuration problem is a 503. */
function verification(
  env: Env,
  options: CallerAuthOptions,
): { key: Uint8Array | JWTVerifyGetKey; verify: JWTVerifyOptions; accessHeader: boolean } {
  const secret = env.RUNNER_JWT_SECRET;
  const jwksUrl = env.RUNNER_JWKS_URL;
  const hasSecret = typeof secret === "string" && secret !== "";
  const hasJwks = typeof jwksUrl === "string" && jwksUrl !== "";
  if (hasSecret && hasJwks) {
    throw configError(
      "configure either RUNNER_JWT_SECRET or RUNNER_JWKS_URL for caller authentication, not both",
    );
  }
  if (!hasSecret && !hasJwks) {
    throw new WorkerError(
      "AUTH_NOT_CONFIGURED",
      "caller authentication is not configured: set RUNNER_JWT_SECRET or RUNNER_JWKS_URL",
    );
  }
  const issuer = env.RUNNER_JWT_ISSUER;
  const audience = env.RUNNER_JWT_AUDIENCE;
  const common: JWTVerifyOptions = { requiredClaims: ["exp"], clockTolerance: CLOCK_TOLERANCE_SECONDS };
  if (options.now !== undefined) common.currentDate = new Date(options.now());
  if (hasSecret) {
    const key = new TextEncoder().encode(secret);
    if (key.byteLength < MIN_SECRET_BYTES) {
      throw configError(`RUNNER_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes`);
    }
    const verify: JWTVerifyOptions = { ...common, algorithms: HS_ALGORITHMS };
    if (issuer !== undefined && issuer !== "") verify.issuer = issuer;
    if (audience !== undefined && audience !== "") verify.audience = audience;
    return { key, verify, accessHeader: false };
  }
  if (issuer === undefined || issuer === "" || audience === undefined || audience === "") {
    throw configError("RUNNER_JWKS_URL needs RUNNER_JWT_ISSUER and RUNNER_JWT_AUDIENCE");
  }
  const verify: JWTVerifyOptions = { ...common, algorithms: JWKS_ALGORITHMS, issuer, audience };
  return {
    key: options.jwks ?? remoteKeySet(jwksUrl as string, options.jwksFetch),
    verify,
    accessHeader: true,
  };
}

/** A per-request remote key set sharing only the resolved keys of earlier requests. */
function remoteKeySet(jwksUrl: string, jwksFetch: typeof fetch | undefined): JWTVerifyGetKey {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw configError("RUNNER_JWKS_URL is not a URL");
  }
  if (url.protocol !== "https:") throw configError("RUNNER_JWKS_URL must be https:");
  let cache = jwksCaches.get(url.href);
  if (cache === undefined) {
    cache = {};
    jwksCaches.set(url.href, cache);
  }
  const getKey = createRemoteJWKSet(url, {
    [jwksCache]: cache,
    ...(jwksFetch === undefined ? {} : { [customFetch]: (input, init) => jwksFetch(input, init) }),
  });
  return getKey;
}

/**
 * Verifies the caller of a request. Throws a `WorkerError`: 503 when caller authentication is not
 * (or wrongly) configured, 401 when the token is missing or invalid.
 */
export async function authenticateCaller(
  headers: Headers,
  env: Env,
  options: CallerAuthOptions = {},
): Promise<Caller> {
  const { key, verify, accessHeader } = verification(env, options);
  const defaults = readDefaultScopes(env.RUNNER_DEFAULT_SCOPES);
  const token = presentedToken(headers, accessHeader);
  if (token === undefined) throw unauthorized("a bearer token is required", false);
  let payload: JWTPayload;
  try {
    payload =
      key instanceof Uint8Array
        ? (await jwtVerify(token, key, verify)).payload
        : (await jwtVerify(token, key, verify)).payload;
  } catch (error) {
    if (!(key instanceof Uint8Array) && isKeySetUnavailable(error)) {
      throw new WorkerError("JWKS_UNAVAILABLE", "the caller key set could not be loaded");
    }
    throw unauthorized(describeJoseFailure(error), true);
  }
  return {
    subject: subjectOf(payload),
    scopes: scopesOf(payload, defaults),
  };
}

/** {@link Caller.subject} of a verified payload. */
function subjectOf(payload: JWTPayload): string | undefined {
  if (typeof payload.sub === "string" && payload.sub !== "") return payload.sub;
  const service = payload.common_name;
  return typeof service === "string" && service !== "" ? `service:${service}` : undefined;
}

/**
 * The owner of the records the caller makes and may see (runs, monitors, Idempotency-Key
 * claims). 403 for a token that names no caller: every such token would otherwise share one
 * owner and see the others' runs.
 *
 * @example
 * ```ts
 * const owner = callerOwner(c.get("caller"));
 * ```
 */
export function callerOwner(caller: Caller): string {
  if (caller.subject === undefined) {
    throw new WorkerError(
      "FORBIDDEN",
      "this route keeps records per caller and the token names none: give it a non-empty sub claim (or use an Access service token, named by its common_name)",
    );
  }
  return caller.subject;
}

/** 403 unless the caller holds `scope`. */
export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) {
    throw new WorkerError("FORBIDDEN", `this route needs the "${scope}" scope`);
  }
}
