/**
 * How long to trust a token. `expires_in` is checked rather than believed: a missing value, or one
 * that is not a finite number, falls back to an hour; 0 or less means the token is already
 * expired (it serves the call that asked for it and is not kept); nothing is kept longer than a
 * day. Tokens are refreshed early by max(5 min, 1% of the lifetime), never more than half the
 * lifetime.
 */

/** Lifetime used when `expires_in` is missing or not a number, in seconds. */
export const FALLBACK_EXPIRES_IN_S = 3_600;
/** Longest lifetime a token is cached for, in seconds. */
export const MAX_EXPIRES_IN_S = 86_400;
/** Smallest refresh margin, in ms. */
export const MIN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The lifetime to use for a token response's `expires_in`, in seconds: the value (also given as
 * a string of digits) capped at {@link MAX_EXPIRES_IN_S}; 0 for a value of 0 or less (the token
 * is already expired); {@link FALLBACK_EXPIRES_IN_S} when it is missing or not a finite number.
 */
export function normalizeExpiresIn(value: unknown): number {
  const seconds = typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return FALLBACK_EXPIRES_IN_S;
  return Math.min(Math.max(seconds, 0), MAX_EXPIRES_IN_S);
}

/** How long before expiry a token of `lifetimeMs` is refreshed, in ms. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(Math.max(MIN_REFRESH_MARGIN_MS, lifetimeMs * 0.01), lifetimeMs / 2);
}

/** The moment a stored token should be refreshed (ms since the epoch). */
export function refreshAt(token: { expiresAt: number; obtainedAt?: number }): number {
  const margin =
    token.obtainedAt !== undefined && token.obtainedAt < token.expiresAt
      ? refreshMarginMs(token.expiresAt - token.obtainedAt)
      : MIN_REFRESH_MARGIN_MS;
  return token.expiresAt - margin;
}
