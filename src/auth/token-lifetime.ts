/**
 * How long to trust a token. `expires_in` is checked rather than believed: a missing, non-positive
 * or absurd value falls back to an hour, and nothing is kept longer than a day. Tokens are
 * refreshed early by max(5 min, 1% of the lifetime), never more than half the lifetime.
 */

/** Lifetime used when `expires_in` is missing or unusable, in seconds. */
export const FALLBACK_EXPIRES_IN_S = 3_600;
/** Longest lifetime a token is cached for, in seconds. */
export const MAX_EXPIRES_IN_S = 86_400;
/** Values beyond a year are treated as nonsense rather than capped. */
const ABSURD_EXPIRES_IN_S = 365 * 86_400;
/** Smallest refresh margin, in ms. */
export const MIN_REFRESH_MARGIN_MS = 5 * 60_000;

/** The lifetime to use for a token response's `expires_in`, in seconds. */
export function normalizeExpiresIn(value: unknown): number {
  const seconds = typeof value === "string" && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  if (
    typeof seconds !== "number" ||
    !Number.isFinite(seconds) ||
    seconds <= 0 ||
    seconds > ABSURD_EXPIRES_IN_S
  ) {
    return FALLBACK_EXPIRES_IN_S;
  }
  return Math.min(seconds, MAX_EXPIRES_IN_S);
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
