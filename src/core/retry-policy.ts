/**
 * When to retry, and how long to wait (the transport's defaults live here, so the runner reads the
 * same numbers). Idempotent methods are retried on transient statuses and
 * network failures; POST and PATCH only when the server said it did not process the request
 * (429, or 503 with `Retry-After`), because a Certn POST may order a paid check.
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

/** True for methods that may be repeated safely (RFC 9110 §9.2.2, minus TRACE). */
export function isIdempotentMethod(method: string): boolean {
  return /^(GET|HEAD|OPTIONS|PUT|DELETE)$/i.test(method);
}

/** True for the statuses worth retrying for an idempotent request. */
export function isRetryableStatus(status: number): boolean {
  return [408, 429, 500, 502, 503, 504].includes(status);
}

/**
 * Whether a response status may be retried. `idempotent` is true for idempotent methods and
 * when the policy allows retrying non-idempotent ones.
 */
export function shouldRetryStatus(status: number, idempotent: boolean, hasRetryAfter: boolean): boolean {
  return idempotent ? isRetryableStatus(status) : status === 429 || (status === 503 && hasRetryAfter);
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
