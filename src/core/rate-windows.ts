/**
 * The rolling-window arithmetic every rate budget shares (the in-process limiter and the Worker's
 * Durable Object): slots stamped in time order, one or more `{ requests, perMs }` windows, and a
 * pause a 429's `Retry-After` sets. No clock and no waiting here: callers pass `now` and wait
 * themselves, so the same answer comes out of a single-threaded object that must never hold a
 * connection open.
 */

/** Most attempts one rate-limit window may allow. */
export const MAX_RATE_LIMIT_REQUESTS = 100_000;
/** Longest rate-limit window, in ms (one day). */
export const MAX_RATE_LIMIT_WINDOW_MS = 86_400_000;
/** Most windows one rate limit may have (Certn has two: a minute and a day). */
export const MAX_RATE_LIMIT_WINDOWS = 8;

/** `requests` attempts per `perMs` milliseconds (one rolling window). */
export interface RateLimit {
  requests: number;
  perMs: number;
}

/** One granted slot: its id and the time it counts from. */
export interface RateSlot {
  id: number;
  at: number;
}

/** What {@link RateWindows.take} answers: a granted slot, or how long to wait before asking again. */
export type RateTake = { granted: true; slot: RateSlot } | { granted: false; waitMs: number };

/**
 * Checks a list of windows.
 * @throws TypeError naming the window, when one is not `{ requests >= 1, perMs > 0 }` or none is given.
 * @example
 * checkRateLimits([{ requests: 240.5, perMs: 60_000 }]); // [{ requests: 240, perMs: 60_000 }]
 */
export function checkRateLimits(limits: readonly RateLimit[]): RateLimit[] {
  if (limits.length === 0)
    throw new TypeError("rateLimit needs at least one window; use false to turn it off");
  return limits.map((limit, index) => {
    if (!(limit.requests >= 1) || !(limit.perMs > 0) || !Number.isFinite(limit.requests + limit.perMs)) {
      throw new TypeError(
        `rateLimit${limits.length > 1 ? `[${index}]` : ""} must be { requests >= 1, perMs > 0 } (got ${JSON.stringify(limit)}); use false to turn it off`,
      );
    }
    return { requests: Math.floor(limit.requests), perMs: limit.perMs };
  });
}

/**
 * Slots in rolling windows, ascending by `at`. A slot is stamped when it is granted and
 * re-stamped when its attempt ends ({@link RateWindows.settle}): a server counts an attempt when
 * it arrives, somewhere between the two, so measuring from the end never sends one early (which
 * a server's own rolling window would refuse).
 * @example
 * const windows = new RateWindows();
 * const limits = [{ requests: 240, perMs: 60_000 }, { requests: 14_400, perMs: 86_400_000 }];
 * const taken = windows.take(limits, Date.now());
 * if (taken.granted) {
 *   await send();
 *   windows.settle(taken.slot.id, Date.now());
 * } else await sleep(taken.waitMs);
 */
export class RateWindows {
  readonly #slots: RateSlot[];
  #nextId: number;
  #pausedUntil: number;

  /** `slots` and `pausedUntil` restore a stored state (the Durable Object keeps both in SQLite). */
  constructor(slots: readonly RateSlot[] = [], pausedUntil = 0) {
    this.#slots = [...slots].sort((a, b) => a.at - b.at);
    this.#nextId = this.#slots.reduce((max, slot) => Math.max(max, slot.id), 0) + 1;
    this.#pausedUntil = pausedUntil;
  }

  /** When the last reported 429 lets requests go again (epoch ms; 0 when never paused). */
  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /**
   * Grants a slot at `now` if every window has room and no pause holds, else says how long to
   * wait: until the slot that frees room in the fullest window leaves it, or the pause ends.
   * Slots older than the longest window are dropped (and returned in `dropped` for storage).
   */
  take(limits: readonly RateLimit[], now: number, dropped: RateSlot[] = []): RateTake {
    const longest = limits.reduce((max, limit) => Math.max(max, limit.perMs), 0);
    let expired = 0;
    while (expired < this.#slots.length && (this.#slots[expired]?.at ?? 0) + longest <= now) expired += 1;
    if (expired > 0) dropped.push(...this.#slots.splice(0, expired));
    let waitMs = Math.max(0, this.#pausedUntil - now);
    for (const limit of limits) {
      // Room again once the slot `requests` from the newest leaves this window.
      const freeing = this.#slots[this.#slots.length - limit.requests];
      if (freeing !== undefined && freeing.at + limit.perMs > now) {
        waitMs = Math.max(waitMs, freeing.at + limit.perMs - now);
      }
    }
    if (waitMs > 0) return { granted: false, waitMs };
    const slot = { id: this.#nextId, at: Math.max(now, this.#slots.at(-1)?.at ?? now) };
    this.#nextId += 1;
    this.#slots.push(slot);
    return { granted: true, slot };
  }

  /**
   * Re-stamps slot `id` at `now`, when its attempt ended; returns the slot, or undefined when it
   * already left every window. The slot moves to the end, so the order stays ascending.
   */
  settle(id: number, now: number): RateSlot | undefined {
    // Recent slots are at the end, where an attempt that just ended usually is.
    let index = this.#slots.length - 1;
    while (index >= 0 && this.#slots[index]?.id !== id) index -= 1;
    const slot = this.#slots[index];
    if (slot === undefined) return undefined;
    this.#slots.splice(index, 1);
    slot.at = Math.max(slot.at, now, this.#slots.at(-1)?.at ?? now);
    this.#slots.push(slot);
    return slot;
  }

  /** Holds every grant until `until` (a 429's `Retry-After`); an earlier pause never shortens a later one. */
  pause(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}
