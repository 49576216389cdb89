/**
 * `CertnRateLimiter` (binding `RATE_LIMITER`): one Durable Object per Certn credential, holding
 * that credential's rolling windows for every run of every isolate. It answers at once, with a
 * granted slot or how long to wait, and never holds a connection open: the caller sleeps and asks
 * again. Slots and the pause of a reported 429 live in the object's SQLite storage, so an evicted
 * object comes back with its windows intact. The window arithmetic is the runner's
 * (`RateWindows`), the same the in-process limiter uses.
 */
import { DurableObject } from "cloudflare:workers";
import {
  MAX_RATE_LIMIT_REQUESTS,
  MAX_RATE_LIMIT_WINDOW_MS,
  MAX_RATE_LIMIT_WINDOWS,
  type RateLimit,
  type RateSlot,
  RateWindows,
} from "../runner/index.ts";
import type { Env } from "./env.ts";
import { UNANNOUNCED_429_PAUSE_MS } from "./rate-budget.ts";

/** What {@link CertnRateLimiter.acquire} answers: a slot to settle later, or a wait. */
export type RateGrant = { granted: true; slot: number } | { granted: false; waitMs: number };

/** Longest pause a 429 may set: a day, Certn's longest window (a longer `Retry-After` is capped). */
const MAX_PAUSE_MS = MAX_RATE_LIMIT_WINDOW_MS;

/**
 * The windows an RPC caller sent, checked (a caller is this Worker, but the object trusts no input).
 * @throws TypeError naming the window that is out of range.
 */
function checkedLimits(limits: unknown): RateLimit[] {
  if (!Array.isArray(limits) || limits.length === 0 || limits.length > MAX_RATE_LIMIT_WINDOWS) {
    throw new TypeError(`limits must be 1 to ${MAX_RATE_LIMIT_WINDOWS} windows`);
  }
  return limits.map((limit: unknown, index) => {
    const { requests, perMs } = (limit ?? {}) as Partial<RateLimit>;
    if (
      !Number.isSafeInteger(requests) ||
      !Number.isSafeInteger(perMs) ||
      (requests as number) < 1 ||
      (requests as number) > MAX_RATE_LIMIT_REQUESTS ||
      (perMs as number) < 1 ||
      (perMs as number) > MAX_RATE_LIMIT_WINDOW_MS
    ) {
      throw new TypeError(
        `limits[${index}] must be { requests: 1..${MAX_RATE_LIMIT_REQUESTS}, perMs: 1..${MAX_RATE_LIMIT_WINDOW_MS} }`,
      );
    }
    return { requests, perMs } as RateLimit;
  });
}

/**
 * One credential's rate budget, called over RPC by the Worker's runs (see `rate-budget.ts`).
 * @example
 * const stub = env.RATE_LIMITER.getByName(await credentialBudgetName(credentials, baseUrl));
 * const grant = await stub.acquire([{ requests: 240, perMs: 60_000 }]);
 * if (grant.granted) { await send(); await stub.settle(grant.slot); }
 * else await sleep(grant.waitMs);
 */
export class CertnRateLimiter extends DurableObject<Env> {
  readonly #sql: SqlStorage;
  readonly #windows: RateWindows;
  /** Whether this instance made sure an alarm will clear the stored slots. */
  #alarmArmed = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec("CREATE TABLE IF NOT EXISTS slots (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)");
    // Slots leave by age on every acquire once a window is full: without this index each such
    // DELETE read every stored slot (14,400 with Certn's day window, up to 100,000).
    this.#sql.exec("CREATE INDEX IF NOT EXISTS slots_by_at ON slots (at)");
    this.#sql.exec(
      "CREATE TABLE IF NOT EXISTS pause (only INTEGER PRIMARY KEY CHECK (only = 0), until INTEGER NOT NULL)",
    );
    const slots = this.#sql.exec<{ id: number; at: number }>("SELECT id, at FROM slots").toArray();
    const pause = this.#sql.exec<{ until: number }>("SELECT until FROM pause").toArray()[0]?.until ?? 0;
    this.#windows = new RateWindows(
      slots.map((slot): RateSlot => ({ id: slot.id, at: slot.at })),
      pause,
    );
  }

  /**
   * Takes a slot if every window of `limits` has room and no 429 pause holds; otherwise says how
   * long to wait before asking again. Slots older than the longest window are deleted.
   * @throws TypeError when `limits` is not 1 to 8 valid windows.
   */
  async acquire(limits: readonly RateLimit[]): Promise<RateGrant> {
    const checked = checkedLimits(limits);
    const now = Date.now();
    const dropped: RateSlot[] = [];
    const taken = this.#windows.take(checked, now, dropped);
    const last = dropped.at(-1);
    if (last !== undefined) this.#sql.exec("DELETE FROM slots WHERE at <= ?", last.at);
    if (!taken.granted) return taken;
    this.#sql.exec("INSERT INTO slots (id, at) VALUES (?, ?)", taken.slot.id, taken.slot.at);
    if (!this.#alarmArmed) {
      this.#alarmArmed = true;
      if ((await this.ctx.storage.getAlarm()) === null)
        await this.ctx.storage.setAlarm(now + MAX_RATE_LIMIT_WINDOW_MS);
    }
    return { granted: true, slot: taken.slot.id };
  }

  /**
   * Clears what no window can count any more (no window is longer than a day), so a credential
   * that stops being used leaves empty tables; re-armed while slots remain.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.#sql.exec("DELETE FROM slots WHERE at <= ?", now - MAX_RATE_LIMIT_WINDOW_MS);
    this.#sql.exec("DELETE FROM pause WHERE until <= ?", now);
    const oldest = this.#sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM slots").one().at;
    if (oldest !== null) await this.ctx.storage.setAlarm(oldest + MAX_RATE_LIMIT_WINDOW_MS + 1);
    else this.#alarmArmed = false;
  }

  /** The attempt of `slot` has ended: its windows count from now (a server counts on arrival). */
  settle(slot: number): void {
    if (!Number.isSafeInteger(slot)) return;
    const settled = this.#windows.settle(slot, Date.now());
    if (settled !== undefined) this.#sql.exec("UPDATE slots SET at = ? WHERE id = ?", settled.at, settled.id);
  }

  /**
   * Certn answered 429: no slot is granted to anyone for `retryAfterMs` (capped at a day). A 429
   * without `Retry-After` (0) pauses until the oldest slot of the shortest of `limits` leaves it,
   * at least {@link UNANNOUNCED_429_PAUSE_MS} (that long without `limits`, or when none is counted).
   */
  report429(retryAfterMs: number, limits?: readonly RateLimit[]): void {
    const now = Date.now();
    const pauseMs =
      retryAfterMs > 0 ? Math.min(retryAfterMs, MAX_PAUSE_MS) : this.#unannouncedPauseMs(limits, now);
    this.#windows.pause(now + pauseMs);
    this.#sql.exec(
      "INSERT INTO pause (only, until) VALUES (0, ?) ON CONFLICT (only) DO UPDATE SET until = excluded.until",
      this.#windows.pausedUntil,
    );
  }

  /** How long a 429 without `Retry-After` pauses the credential (see {@link report429}). */
  #unannouncedPauseMs(limits: readonly RateLimit[] | undefined, now: number): number {
    let shortest: RateLimit | undefined;
    try {
      shortest = checkedLimits(limits).reduce((a, b) => (b.perMs < a.perMs ? b : a));
    } catch {
      // No windows sent (an older caller), or malformed ones: the shortest pause.
    }
    if (shortest === undefined) return UNANNOUNCED_429_PAUSE_MS;
    const oldest = this.#sql
      .exec<{ at: number | null }>("SELECT min(at) AS at FROM slots WHERE at > ?", now - shortest.perMs)
      .one().at;
    const frees = oldest === null ? 0 : oldest + shortest.perMs - now;
    return Math.max(UNANNOUNCED_429_PAUSE_MS, Math.min(frees, shortest.perMs));
  }
}
