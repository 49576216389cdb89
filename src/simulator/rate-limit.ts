/** Sliding-window rate limiting per credential, computed from the simulated clock. */

/** Limits of one API; `false` turns limiting off. */
export interface RateLimitOptions {
  /** Requests allowed in any rolling minute (`windowMs`). */
  perMinute?: number;
  /** Requests allowed in any rolling day (1,440 × `windowMs`). */
  perDay?: number;
  /**
   * The length of the "minute", in ms (default 60,000); the "day" is 1,440 of them. A short one
   * compresses both windows, so a test or bench of pacing takes seconds, not minutes.
   */
  windowMs?: number;
}

/** The verdict for one request. */
export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A limiter that remembers accepted requests per key. */
export interface RateLimiter {
  /** Checks `key` at `now`; an accepted request is recorded, a refused one is not (as in DRF). */
  take(key: string, now: number): RateVerdict;
  reset(): void;
}

/** A day is this many minutes, also when `windowMs` compresses the minute. */
const MINUTES_PER_DAY = 1_440;

/**
 * Creates a limiter with rolling windows. A request at `now` counts the accepted requests in
 * `(now - window, now]`; when a window is full, `Retry-After` is the exact wait until its
 * oldest relevant request leaves it, rounded up to whole seconds, so a client that waits that
 * long is accepted.
 */
export function createRateLimiter(limits: Required<RateLimitOptions> | false): RateLimiter {
  const history = new Map<string, number[]>();
  const minute = limits === false ? 0 : limits.windowMs;
  const day = minute * MINUTES_PER_DAY;
  return {
    take(key: string, now: number): RateVerdict {
      if (limits === false) return { ok: true };
      let stamps = history.get(key);
      if (stamps === undefined) {
        stamps = [];
        history.set(key, stamps);
      }
      const expired = firstAfter(stamps, now - day);
      if (expired > 0) stamps.splice(0, expired);
      let waitMs = 0;
      for (const [limit, window] of [
        [limits.perMinute, minute],
        [limits.perDay, day],
      ] as const) {
        const first = firstAfter(stamps, now - window);
        const inWindow = stamps.length - first;
        if (inWindow >= limit) {
          // Allowed again once all but (limit - 1) of the requests in the window have left it.
          const leaving = stamps[stamps.length - limit];
          if (leaving !== undefined) waitMs = Math.max(waitMs, leaving + window - now);
        }
      }
      if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      stamps.push(now);
      return { ok: true };
    },
    reset(): void {
      history.clear();
    },
  };
}

/** Index of the first stamp strictly greater than `t` (stamps are ascending). */
function firstAfter(stamps: readonly number[], t: number): number {
  let lo = 0;
  let hi = stamps.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((stamps[mid] ?? 0) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
