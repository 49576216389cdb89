/**
 * A sliding-window rate limiter: at most `requests` attempts in any `perMs` window. One lives in
 * each run (never in module state, so two runs or two Worker requests never share one), and every
 * concurrent iteration of that run draws from it.
 */
import type { Clock } from "./clock.ts";

/** `requests` attempts per `perMs` milliseconds. */
export interface RateLimit {
  requests: number;
  perMs: number;
}

/** The documented Certn partner-API limit: 240 requests per rolling minute. */
export const PARTNER_RATE_LIMIT: RateLimit = { requests: 240, perMs: 60_000 };
/** The conservative limit used for CertnCentric hosts and `/api/public/` paths. */
export const CENTRIC_RATE_LIMIT: RateLimit = { requests: 60, perMs: 60_000 };

const CENTRIC_HOST = /(^|\.)api\.(sandbox|ca|uk|au)\.certn\.co$/i;

/**
 * The default limit for a run: 60 per minute for CertnCentric (its base URL host, or any request
 * path under `/api/public/`), otherwise the partner API's 240 per minute.
 */
export function defaultRateLimit(baseUrl: string, requestUrls: readonly string[]): RateLimit {
  let host = "";
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    // An unparsable base URL is refused later by the egress check; the limit does not matter.
  }
  const centric = CENTRIC_HOST.test(host) || requestUrls.some((url) => isCentricPath(url, baseUrl));
  return centric ? CENTRIC_RATE_LIMIT : PARTNER_RATE_LIMIT;
}

function isCentricPath(url: string, baseUrl: string): boolean {
  if (url.startsWith("/api/public/")) return true;
  try {
    return new URL(url, baseUrl).pathname.startsWith("/api/public/");
  } catch {
    return false;
  }
}

/** Thrown by {@link RateLimiter.acquire} when its signal aborts during the wait. */
export class RateLimitWaitAborted extends Error {
  constructor() {
    super("the wait for a rate-limit slot was aborted");
    this.name = "RateLimitWaitAborted";
  }
}

/** A sliding-window limiter. */
export class RateLimiter {
  readonly limit: RateLimit;
  readonly #clock: Clock;
  /**
   * The attempts inside the current window. Each is charged when it starts and re-stamped when it
   * ends: the server counts an attempt when it arrives, somewhere between the two, so measuring the
   * window from the end never sends one early (which a server's own sliding window would refuse).
   */
  readonly #sent: { at: number }[] = [];
  /** Serializes waiters, so slots are handed out in arrival order. */
  #queue: Promise<void> = Promise.resolve();

  constructor(limit: RateLimit, clock: Clock) {
    if (!(limit.requests >= 1) || !(limit.perMs > 0) || !Number.isFinite(limit.requests + limit.perMs)) {
      throw new TypeError(
        `rateLimit must be { requests >= 1, perMs > 0 } (got ${JSON.stringify(limit)}); use false to turn it off`,
      );
    }
    this.limit = { requests: Math.floor(limit.requests), perMs: limit.perMs };
    this.#clock = clock;
  }

  /**
   * Waits until one more attempt fits in the window, then records it. Call the returned function
   * when the attempt has ended (response or failure), so the window counts from then.
   * @throws RateLimitWaitAborted when `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      if (signal?.aborted) throw new RateLimitWaitAborted();
      const now = this.#clock.now();
      let oldest = Number.POSITIVE_INFINITY;
      for (let i = this.#sent.length - 1; i >= 0; i--) {
        const at = this.#sent[i]?.at ?? 0;
        if (at + this.limit.perMs <= now) this.#sent.splice(i, 1);
        else oldest = Math.min(oldest, at);
      }
      if (this.#sent.length < this.limit.requests) {
        const entry = { at: now };
        this.#sent.push(entry);
        return () => {
          entry.at = Math.max(entry.at, this.#clock.now());
        };
      }
      // Wait exactly until the oldest attempt leaves the window: smooth pacing, no bursts.
      await this.#clock.sleep(oldest + this.limit.perMs - now, signal);
    }
  }
}
