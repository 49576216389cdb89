/**
 * The `monitor_slots` table: which fire time of which monitor started which durable run. The
 * primary key (owner, monitor, fire time) makes the claim atomic: of two cron invocations that
 * overlap, only the one whose INSERT OR IGNORE changed a row starts the run.
 */
import type { RunStatus } from "./runs.ts";

/** A monitor, named by its owner and id. */
export interface MonitorKey {
  owner: string;
  id: string;
}

/**
 * Claims fire time `slotAt` of a monitor for run `runId`; false when another invocation has it.
 * @example
 * if (await claimSlot(db, { owner: "alice", id: "nightly" }, slotAt, runId, Date.now())) startRun();
 */
export async function claimSlot(
  db: D1Database,
  monitor: MonitorKey,
  slotAt: number,
  runId: string,
  now: number,
): Promise<boolean> {
  const outcome = await db
    .prepare(
      "INSERT OR IGNORE INTO monitor_slots (owner, monitor_id, slot_at, run_id, claimed_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(monitor.owner, monitor.id, slotAt, runId, now)
    .run();
  return outcome.meta.changes > 0;
}

/** A fire time of a monitor. */
export interface MonitorSlot extends MonitorKey {
  slotAt: number;
}

/**
 * Which of `slots` are claimed already, as `slotKey` strings: one statement however many (they
 * travel as one JSON parameter, D1 binding at most 100; each is a primary-key look-up).
 * @example
 * const claimed = await claimedSlots(db, candidates);
 * const open = candidates.filter((slot) => !claimed.has(slotKey(slot)));
 */
export async function claimedSlots(db: D1Database, slots: readonly MonitorSlot[]): Promise<Set<string>> {
  if (slots.length === 0) return new Set();
  const keys = JSON.stringify(slots.map((slot) => [slot.owner, slot.id, slot.slotAt]));
  const { results } = await db
    .prepare(
      `SELECT s.owner, s.monitor_id, s.slot_at FROM json_each(?) AS k
       JOIN monitor_slots s ON s.owner = json_extract(k.value, '$[0]')
         AND s.monitor_id = json_extract(k.value, '$[1]') AND s.slot_at = json_extract(k.value, '$[2]')`,
    )
    .bind(keys)
    .all<{ owner: string; monitor_id: string; slot_at: number }>();
  return new Set(
    results.map((row) => slotKey({ owner: row.owner, id: row.monitor_id, slotAt: row.slot_at })),
  );
}

/**
 * The monitor whose slot started run `runId`, or undefined for a run no monitor started.
 * @example
 * const monitor = await monitorOfRun(db, runId);
 */
export async function monitorOfRun(db: D1Database, runId: string): Promise<MonitorKey | undefined> {
  const row = await db
    .prepare("SELECT owner, monitor_id FROM monitor_slots WHERE run_id = ?")
    .bind(runId)
    .first<{ owner: string; monitor_id: string }>();
  return row === null ? undefined : { owner: row.owner, id: row.monitor_id };
}

/** A slot as one string (for sets). */
export const slotKey = (slot: MonitorSlot): string => JSON.stringify([slot.owner, slot.id, slot.slotAt]);

/**
 * Gives a claimed slot back (its monitor was deleted before its run started): nothing of it stays
 * in a monitor's history.
 * @example
 * await releaseSlot(db, runId);
 */
export async function releaseSlot(db: D1Database, runId: string): Promise<void> {
  await db.prepare("DELETE FROM monitor_slots WHERE run_id = ?").bind(runId).run();
}

/**
 * Notes that the run of a claimed slot could not be started (an error code, never a message).
 * @example
 * await markSlotFailed(db, runId, "CERTN_UNAVAILABLE");
 */
export async function markSlotFailed(db: D1Database, runId: string, errorCode: string): Promise<void> {
  await db.prepare("UPDATE monitor_slots SET start_error = ? WHERE run_id = ?").bind(errorCode, runId).run();
}

/** One run of a monitor, as its history shows it. */
export interface MonitorRun {
  runId: string;
  slotAt: number;
  /** Undefined when the run was never recorded (it could not be started). */
  status: RunStatus | undefined;
  startedAt: number;
  updatedAt: number | undefined;
  startError: string | undefined;
}

/**
 * A slot's status: its run's, or "errored" when its run could not be started (the slot then has a
 * start error and no run record); undefined while neither is known. Every reader of a monitor's
 * history (its view, its pass rate, the previous run an alert compares with) judges slots by this.
 * @example
 * slotStatus({ status: undefined, startError: "COLLECTION_NOT_FOUND" }); // "errored"
 */
export function slotStatus(run: Pick<MonitorRun, "status" | "startError">): RunStatus | undefined {
  return run.status ?? (run.startError === undefined ? undefined : "errored");
}

interface MonitorRunRow {
  run_id: string;
  slot_at: number;
  claimed_at: number;
  start_error: string | null;
  status: RunStatus | null;
  created_at: number | null;
  updated_at: number | null;
}

/**
 * The monitor's runs, newest slot first, at most `limit`; `before` keeps only slots earlier than it.
 * @example
 * const [latest] = await monitorRuns(db, { owner: "alice", id: "nightly" }, 1);
 */
export async function monitorRuns(
  db: D1Database,
  monitor: MonitorKey,
  limit: number,
  before?: number,
): Promise<MonitorRun[]> {
  const { results } = await db
    .prepare(
      `SELECT s.run_id, s.slot_at, s.claimed_at, s.start_error, r.status, r.created_at, r.updated_at
       FROM monitor_slots s LEFT JOIN runs r ON r.run_id = s.run_id
       WHERE s.owner = ? AND s.monitor_id = ? AND s.slot_at < ?
       ORDER BY s.slot_at DESC LIMIT ?`,
    )
    .bind(monitor.owner, monitor.id, before ?? Number.MAX_SAFE_INTEGER, limit)
    .all<MonitorRunRow>();
  return results.map((row) => ({
    runId: row.run_id,
    slotAt: row.slot_at,
    status: row.status ?? undefined,
    startedAt: row.created_at ?? row.claimed_at,
    updatedAt: row.updated_at ?? undefined,
    startError: row.start_error ?? undefined,
  }));
}

/**
 * The slot of run `runId`, when a monitor started it.
 * @example
 * const slot = await slotOfRun(db, runId);
 */
export async function slotOfRun(
  db: D1Database,
  runId: string,
): Promise<(MonitorKey & { slotAt: number }) | undefined> {
  const row = await db
    .prepare("SELECT owner, monitor_id, slot_at FROM monitor_slots WHERE run_id = ?")
    .bind(runId)
    .first<{ owner: string; monitor_id: string; slot_at: number }>();
  return row === null ? undefined : { owner: row.owner, id: row.monitor_id, slotAt: row.slot_at };
}

/**
 * The status of the last ended run among the `lookback` slots of its monitor strictly before the
 * slot of run `runId` ("errored" for a slot whose run could not be started, as {@link slotStatus}
 * judges it; a cancelled run or one still going is passed over); undefined when none of them
 * ended, or no slot started `runId`. Newer slots never count, however many there are.
 * @example
 * const previous = await previousEndedStatus(db, runId, 10); // "passed"
 */
export async function previousEndedStatus(
  db: D1Database,
  runId: string,
  lookback: number,
): Promise<RunStatus | undefined> {
  const { results } = await db
    .prepare(
      `SELECT s.start_error, r.status FROM monitor_slots own
       JOIN monitor_slots s ON s.owner = own.owner AND s.monitor_id = own.monitor_id AND s.slot_at < own.slot_at
       LEFT JOIN runs r ON r.run_id = s.run_id
       WHERE own.run_id = ?
       ORDER BY s.slot_at DESC LIMIT ?`,
    )
    .bind(runId, lookback)
    .all<{ start_error: string | null; status: RunStatus | null }>();
  for (const row of results) {
    const status = slotStatus({ status: row.status ?? undefined, startError: row.start_error ?? undefined });
    if (status === "passed" || status === "failed" || status === "errored") return status;
  }
  return undefined;
}
