/**
 * When to retry, and how long to wait (the transport's defaults live here, so the runner reads the
 * same numbers). GET, HEAD, OPTIONS and DELETE are retried on transient statuses and network
 * failures. POST, PUT and PATCH may order a paid check (a quick screen, an invite, an upgrade of
 * an application's checks), so they are retried only on a 429, which Certn answers before
 * processing anything; a 5xx, even a 503 with `Retry-After`, may come after the order was placed.
 */
import type { RetryPolicy } from "./transport-types.ts";

/** The default per-attempt timeout (headers and body), in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A retry policy with every field filled in. */
export type ResolvedRetryPolicy = Required<RetryPolicy>;

/** The defaults: 2 retries, 500 ms base, 10 s backoff cap, 60 s longest `Retry-After`. */
export const DEFAULT_RETRY_POLICY: ResolvedRetryPolicy = {
  retries: 2,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 60_000,
  retryNonIdempotent: false,
};

/**
 * Returns `value` when it is a finite number >= 0 (> 0 when `positive`).
 * @throws TypeError naming `name` otherwise.
 */
export function checkNumber(value: unknown, name: string, positive?: boolean): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (positive && !value)) {
    throw new TypeError(`${name} must be a finite number ${positive ? ">" : ">="} 0 (got ${String(value)})`);
  }
  return value;
}

/** Merges `overrides` over `base`, checking each number. @throws TypeError on a bad value. */
export function resolveRetryPolicy(
  base: ResolvedRetryPolicy,
  overrides: RetryPolicy | undefined,
): ResolvedRetryPolicy {
  if (!overrides) return base;
  const policy = { ...base };
  for (const key of ["retries", "baseDelayMs", "maxDelayMs", "maxRetryAfterMs"] as const) {
    const value = overrides[key];
    if (value !== undefined) policy[key] = checkNumber(value, `retry.${key}`);
  }
  policy.retries = Math.floor(policy.retries);
  policy.retryNonIdempotent = overrides.retryNonIdempotent ?? base.retryNonIdempotent;
  return policy;
}

/**
 * True for the methods the transport sends again after an ambiguous failure: GET, HEAD, OPTIONS
 * and DELETE. These are RFC 9110 §9.2.2's idempotent methods minus TRACE and PUT: a Certn PUT
 * (`PUT /api/v1/hr/applicants/{id}/packages/`) orders checks, so it is treated like a POST.
 */
export function isIdempotentMethod(method: string): boolean {
  return /^(GET|HEAD|OPTIONS|DELETE)$/i.test(method);
}

/** True for the statuses worth retrying for a request that {@link isIdempotentMethod} allows. */
export function isRetryableStatus(status: number): boolean {
  return [408, 429, 500, 502, 503, 504].includes(status);
}

/**
 * Whether a response status may be retried. `idempotent` is true for the methods of
 * {@link isIdempotentMethod} and when the policy allows retrying the others
 * (`retryNonIdempotent`); any other request is retried only on a 429.
 */
export function shouldRetryStatus(status: number, idempotent: boolean): boolean {
  return idempotent ? isRetryableStatus(status) : status === 429;
}

/**
 * Full-jitter backoff: `random(0, min(maxDelayMs, baseDelayMs * 2^retryIndex))`.
 * `retryIndex` is 0 for the first retry; `random` returns a number in [0, 1).
 */
export function backoffDelay(policy: ResolvedRetryPolicy, retryIndex: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

/**
 * Parses a `Retry-After` value (delay seconds or an HTTP date, RFC 9110 §10.2.3) into ms from
 * `nowMs`. Invalid and past values give 0; `null` gives undefined (no header).
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // A date has letters (month, weekday); `Date.parse` alone also accepts bare numbers like "-3".
  return /[a-z]/i.test(trimmed) ? Math.max(0, Date.parse(trimmed) - nowMs) || 0 : 0;
}
