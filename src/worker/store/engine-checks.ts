/**
 * Which open durable runs the Cron Trigger asks the Workflows engine about (migration 0006): those
 * least recently heard of, by the later of their record's last write and the engine's last answer
 * that they go on. The SQL repeats the partial index's terms word for word, so SQLite reads the
 * index (`runs_open_by_last_heard`) and never the runs that ended.
 */
import { COLUMNS, type RunRecord, type RunRow, toRecord } from "./runs.ts";

const LAST_HEARD = "max(updated_at, coalesce(engine_checked_at, 0))";
const OPEN_WITH_INSTANCE =
  "mode = 'durable' AND status IN ('queued', 'running', 'waiting') " +
  "AND (parent_run_id IS NULL OR started_at IS NOT NULL)";

/** The statement of {@link quietOpenRuns} (for its query-plan test). */
export const QUIET_OPEN_RUNS_SQL = `SELECT ${COLUMNS} FROM runs WHERE ${OPEN_WITH_INSTANCE} AND ${LAST_HEARD} < ? ORDER BY ${LAST_HEARD} LIMIT ?`;

/**
 * At most `limit` open durable runs not heard of since `before`, least recently heard of first.
 * @example
 * const runs = await quietOpenRuns(db, Date.now() - 15 * 60_000, 25);
 */
export async function quietOpenRuns(db: D1Database, before: number, limit: number): Promise<RunRecord[]> {
  const { results } = await db.prepare(QUIET_OPEN_RUNS_SQL).bind(before, limit).all<RunRow>();
  return results.map(toRecord);
}

/**
 * Notes that the engine said runs `runIds` go on (one statement, the ids as one JSON parameter).
 * @example
 * await markEngineChecked(db, ["run-1", "run-2"], Date.now());
 */
export async function markEngineChecked(
  db: D1Database,
  runIds: readonly string[],
  now: number,
): Promise<void> {
  if (runIds.length === 0) return;
  await db
    .prepare("UPDATE runs SET engine_checked_at = ? WHERE run_id IN (SELECT value FROM json_each(?))")
    .bind(now, JSON.stringify(runIds))
    .run();
}
