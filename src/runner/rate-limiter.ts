/**
 * Rate budgets: what every attempt of a run takes a slot from. {@link RateBudget} is the contract,
 * so the in-process {@link RateLimiter} (the default, one per run: CLI and library users) and the
 * Worker's Durable Object (one per credential, shared by every run) are interchangeable, and a
 * library user can plug in their own through `RunOptions.rateLimiter`.
 */
import { requestUrls } from "../collection/api-family.ts";
import type { Collection } from "../collection/model.ts";
import { checkRateLimits, type RateLimit, RateWindows } from "../core/rate-windows.ts";
import type { Sleep } from "../core/sleep.ts";
import { type Clock, createClock } from "./clock.ts";

export type { RateLimit } from "../core/rate-windows.ts";

/**
 * A rate budget the runner takes a slot from before every attempt (retries and the 401 replay
 * included), and tells about every 429.
 * @example
 * // A budget that lets everything through but logs 429s.
 * const open: RateBudget = {
 *   acquire: async () => () => {},
 *   report429: (retryAfterMs) => console.warn(`429, retry after ${retryAfterMs} ms`),
 * };
 * await runCollection(collection, { client, rateLimiter: open });
 */
export interface RateBudget {
  /**
   * Waits until one more attempt fits, takes the slot, and returns the function to call when the
   * attempt has ended (response or failure), so windows may count from then.
   * @throws RateLimitWaitAborted when `signal` aborts first; anything else errors the item.
   */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /**
   * Told of a 429 response, with its `Retry-After` in ms (0 when it had none), cut to what the run
   * itself waits (the transport's wait before its retry, else the longest `Retry-After` the run
   * honours, and never past its deadline): every later acquisition waits that long. Must not
   * throw; a budget reports its own failures.
   */
  report429(retryAfterMs: number): void;
}

/** The documented Certn partner-API limit per minute: 240 requests per rolling minute. */
export const PARTNER_RATE_LIMIT: RateLimit = { requests: 240, perMs: 60_000 };
/** The conservative per-minute limit used for CertnCentric hosts and `/api/public/` paths. */
export const CENTRIC_RATE_LIMIT: RateLimit = { requests: 60, perMs: 60_000 };
/** Certn's partner-API windows: 240 per rolling minute and 14,400 per rolling day. */
export const PARTNER_RATE_LIMITS: readonly RateLimit[] = [
  PARTNER_RATE_LIMIT,
  { requests: 14_400, perMs: 86_400_000 },
];
/** CertnCentric's windows: 60 per rolling minute and 7,220 per rolling day. */
export const CENTRIC_RATE_LIMITS: readonly RateLimit[] = [
  CENTRIC_RATE_LIMIT,
  { requests: 7_220, perMs: 86_400_000 },
];

const CENTRIC_HOST = /(^|\.)api\.(sandbox|ca|uk|au)\.certn\.co$/i;

/**
 * The default per-minute limit for a run: 60 per minute for CertnCentric (its base URL host, or
 * any request path under `/api/public/`), otherwise the partner API's 240 per minute.
 */
export function defaultRateLimit(baseUrl: string, requestUrls: readonly string[]): RateLimit {
  return isCentricTarget(baseUrl, requestUrls) ? CENTRIC_RATE_LIMIT : PARTNER_RATE_LIMIT;
}

/**
 * The default windows for a run: {@link CENTRIC_RATE_LIMITS} or {@link PARTNER_RATE_LIMITS}, as
 * {@link defaultRateLimit} decides.
 * @example
 * defaultRateLimits("https://demo-api.certn.co", ["/api/public/cases/"]); // CENTRIC_RATE_LIMITS
 */
export function defaultRateLimits(baseUrl: string, requestUrls: readonly string[]): readonly RateLimit[] {
  return isCentricTarget(baseUrl, requestUrls) ? CENTRIC_RATE_LIMITS : PARTNER_RATE_LIMITS;
}

/**
 * The windows a run of `collection` against `baseUrl` is held to by default, as `runCollection`
 * picks them: for a budget shared between runs (the Worker's Durable Object) that must know them
 * before the run starts.
 * @example
 * const limits = collectionRateLimits(collection, "https://api.ca.certn.co"); // CENTRIC_RATE_LIMITS
 */
export function collectionRateLimits(collection: Collection, baseUrl: string): readonly RateLimit[] {
  return defaultRateLimits(baseUrl, requestUrls(collection.items));
}

function isCentricTarget(baseUrl: string, requestUrls: readonly string[]): boolean {
  let host = "";
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    // An unparsable base URL is refused later by the egress check; the limit does not matter.
  }
  return CENTRIC_HOST.test(host) || requestUrls.some((url) => isCentricPath(url, baseUrl));
}

function isCentricPath(url: string, baseUrl: string): boolean {
  if (url.startsWith("/api/public/")) return true;
  try {
    return new URL(url, baseUrl).pathname.startsWith("/api/public/");
  } catch {
    return false;
  }
}

/** Thrown by {@link RateBudget.acquire} when its signal aborts during the wait. */
export class RateLimitWaitAborted extends Error {
  constructor() {
    super("the wait for a rate-limit slot was aborted");
    this.name = "RateLimitWaitAborted";
  }
}

/**
 * Checks a `rateLimiter` run option (a programmer error, like a client without `send`).
 * @throws TypeError when it is set but lacks `acquire` or `report429`.
 * @example
 * checkRateBudget(options.rateLimiter); // before anything is sent
 */
export function checkRateBudget(budget: unknown): void {
  if (budget === undefined) return;
  const shape = budget as { acquire?: unknown; report429?: unknown } | null;
  if (typeof shape?.acquire !== "function" || typeof shape.report429 !== "function") {
    throw new TypeError(
      "runCollection: rateLimiter must have acquire(signal) and report429(retryAfterMs) functions",
    );
  }
}

/**
 * Tells `budget` of a 429 (with its `Retry-After`, 0 when none), holding it at most `maxPauseMs`:
 * a server that asks for a day must not stall the run's next item that long when the run does
 * not wait that long itself. A budget that throws is ignored, since pacing must never break a run.
 * @example
 * onAttempt: (info) => reportTooMany(context.limiter, info, 60_000),
 */
export function reportTooMany(
  budget: RateBudget | undefined,
  attempt: { status?: number; retryAfterMs?: number },
  maxPauseMs = Number.POSITIVE_INFINITY,
): void {
  if (budget === undefined || attempt.status !== 429) return;
  try {
    budget.report429(Math.max(0, Math.min(attempt.retryAfterMs ?? 0, maxPauseMs)));
  } catch {
    // The budget's own failure; the 429 is still reported on the attempt itself.
  }
}

/** The in-process rolling-window budget: one per run (never in module state, so two runs never share one). */
export class RateLimiter implements RateBudget {
  /** The first window (kept for callers of the single-window form). */
  readonly limit: RateLimit;
  /** Every window. */
  readonly limits: readonly RateLimit[];
  readonly #clock: Clock;
  readonly #windows = new RateWindows();
  /** Serializes waiters, so slots are handed out in arrival order. */
  #queue: Promise<void> = Promise.resolve();

  /** @throws TypeError when a window is not `{ requests >= 1, perMs > 0 }`. */
  constructor(limit: RateLimit | readonly RateLimit[], clock: Clock) {
    this.limits = checkRateLimits(Array.isArray(limit) ? limit : [limit as RateLimit]);
    this.limit = this.limits[0] as RateLimit;
    this.#clock = clock;
  }

  /**
   * Waits until one more attempt fits in every window, then records it. Call the returned
   * function when the attempt has ended, so the windows count from then.
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

  /** Holds every later slot for `retryAfterMs` from now. */
  report429(retryAfterMs: number): void {
    if (retryAfterMs > 0) this.#windows.pause(this.#clock.now() + retryAfterMs);
  }

  async #take(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      if (signal?.aborted) throw new RateLimitWaitAborted();
      const taken = this.#windows.take(this.limits, this.#clock.now());
      if (taken.granted) {
        const { id } = taken.slot;
        return () => {
          this.#windows.settle(id, this.#clock.now());
        };
      }
      // Wait exactly until a slot leaves the fullest window: smooth pacing, no bursts.
      await this.#clock.sleep(taken.waitMs, signal);
    }
  }
}

/** Options of {@link createRateLimiter}: a clock for tests. */
export interface RateLimiterOptions {
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
  /** An abortable sleep that resolves (never rejects) on abort (default: `setTimeout`). */
  sleep?: Sleep;
}

/**
 * An in-process rolling-window budget, to share between runs of one process (each run otherwise
 * makes its own from `rateLimit`).
 * @throws TypeError when a window is not `{ requests >= 1, perMs > 0 }`.
 * @example
 * const budget = createRateLimiter(parseRateLimitText("240/60s,14400/1d", "limit"));
 * await Promise.all([
 *   runCollection(first, { client, rateLimiter: budget }),
 *   runCollection(second, { client, rateLimiter: budget }),
 * ]);
 */
export function createRateLimiter(
  limit: RateLimit | readonly RateLimit[],
  options: RateLimiterOptions = {},
): RateBudget {
  return new RateLimiter(limit, createClock(options.now, options.sleep));
}
