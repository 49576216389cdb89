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
  /** Start times of the attempts inside the current window, oldest first. */
  readonly #sent: number[] = [];
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
   * Waits until one more attempt fits in the window, then records it.
   * @throws RateLimitWaitAborted when `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw new RateLimitWaitAborted();
      const now = this.#clock.now();
      while (this.#sent.length > 0 && (this.#sent[0] ?? 0) + this.limit.perMs <= now) this.#sent.shift();
      if (this.#sent.length < this.limit.requests) {
        this.#sent.push(now);
        return;
      }
      // Wait exactly until the oldest attempt leaves the window: smooth pacing, no bursts.
      await this.#clock.sleep((this.#sent[0] ?? now) + this.limit.perMs - now, signal);
    }
  }
}
