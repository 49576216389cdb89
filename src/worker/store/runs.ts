/**
 * The `runs` table: one record per run, immediate or durable, visible to its owner (the caller
 * JWT's `sub`) and to `runs:admin` callers. Rows hold only redacted data: the runner's redacted
 * result, progress counts and, for a durable run, its request with the inputs sealed.
 */

/** A run's mode. */
export type RunMode = "immediate" | "durable";

/** A run's status. */
export type RunStatus = "queued" | "running" | "waiting" | "passed" | "failed" | "errored" | "cancelled";

/** Statuses a run never leaves. */
export const FINAL_STATUSES: ReadonlySet<RunStatus> = new Set(["passed", "failed", "errored", "cancelled"]);

/** Counts of a run's items so far. */
export interface RunProgress {
  items: number;
  done: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
}

/** Progress before anything ran. */
export const NO_PROGRESS: RunProgress = { items: 0, done: 0, passed: 0, failed: 0, errored: 0, skipped: 0 };

/** What a listing of runs shows of each ({@link listRuns}): no result, progress or wait. */
export interface RunHeader {
  runId: string;
  collection: string;
  mode: RunMode;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
  /** A fan-out child's parent run and data row (from 0). */
  parent?: { runId: string; row: number };
  /** A fan-out parent's data rows. */
  fanOutRows?: number;
}

/** A run record as the API shows it (without the stored request). */
export interface RunRecord extends RunHeader {
  owner: string;
  progress: RunProgress;
  waitingFor: unknown;
  cancelRequested: boolean;
  result: unknown;
}

/** A new run. */
export interface NewRun {
  runId: string;
  owner: string;
  collection: string;
  mode: RunMode;
  status: RunStatus;
  /** A durable run's request (JSON text, inputs sealed). */
  request?: string;
  /** A fan-out parent's data rows. */
  fanOutRows?: number;
  now: number;
}

/** A `runs` row as {@link HEADER_COLUMNS} reads it. */
interface RunHeaderRow {
  run_id: string;
  collection: string;
  mode: RunMode;
  status: RunStatus;
  created_at: number;
  updated_at: number;
  parent_run_id: string | null;
  row_index: number | null;
  fan_out_rows: number | null;
}

/** A `runs` row as {@link COLUMNS} reads it. */
export interface RunRow extends RunHeaderRow {
  owner: string;
  progress: string;
  waiting_for: string | null;
  cancel_requested: number;
  result: string | null;
}

function parseJson(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}

/** The header of a row read with {@link HEADER_COLUMNS} (or {@link COLUMNS}). */
function toHeader(row: RunHeaderRow): RunHeader {
  return {
    runId: row.run_id,
    collection: row.collection,
    mode: row.mode,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.parent_run_id === null ? {} : { parent: { runId: row.parent_run_id, row: row.row_index ?? 0 } }),
    ...(row.fan_out_rows === null ? {} : { fanOutRows: row.fan_out_rows }),
  };
}

/** The record of a row read with {@link COLUMNS}. */
export function toRecord(row: RunRow): RunRecord {
  return {
    ...toHeader(row),
    owner: row.owner,
    progress: JSON.parse(row.progress) as RunProgress,
    waitingFor: parseJson(row.waiting_for),
    cancelRequested: row.cancel_requested !== 0,
    result: parseJson(row.result),
  };
}

/**
 * The columns of a {@link RunHeader}. A listing reads no more: a row's result may be up to 900 KB,
 * and a page of 201 runs would read and parse them all to show none.
 */
const HEADER_COLUMNS =
  "run_id, collection, mode, status, created_at, updated_at, parent_run_id, row_index, fan_out_rows";

/** The columns of a {@link RunRecord} (for the stores that read runs). */
export const COLUMNS = `${HEADER_COLUMNS}, owner, progress, waiting_for, cancel_requested, result`;

/** Inserts a run; false when its id exists already. */
export async function insertRun(db: D1Database, run: NewRun): Promise<boolean> {
  const outcome = await db
    .prepare(
      `INSERT OR IGNORE INTO runs (run_id, owner, collection, mode, status, created_at, updated_at, progress, request, fan_out_rows)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      run.runId,
      run.owner,
      run.collection,
      run.mode,
      run.status,
      run.now,
      run.now,
      JSON.stringify(NO_PROGRESS),
      run.request ?? null,
      run.fanOutRows ?? null,
    )
    .run();
  return outcome.meta.changes > 0;
}

/** A run by id, or undefined. */
export async function getRun(db: D1Database, runId: string): Promise<RunRecord | undefined> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM runs WHERE run_id = ?`).bind(runId).first<RunRow>();
  return row === null ? undefined : toRecord(row);
}

/**
 * A durable run's stored request (JSON text), or undefined. A fan-out child's request names the
 * run whose request holds its collection (`collectionOf`: its parent's) instead of a copy; the
 * text returned has that collection in place, as a request stored whole has (older children's
 * included). One that names a run without a request reads as undefined.
 */
export async function getRunRequest(db: D1Database, runId: string): Promise<string | undefined> {
  // json() gives json_set the collection as JSON, not as a string holding it.
  const row = await db
    .prepare(
      `SELECT CASE
         WHEN json_extract(r.request, '$.collectionOf') IS NULL THEN r.request
         WHEN p.request IS NULL THEN NULL
         ELSE json_set(r.request, '$.collection', json(json_extract(p.request, '$.collection')))
       END AS request
       FROM runs r LEFT JOIN runs p ON p.run_id = json_extract(r.request, '$.collectionOf')
       WHERE r.run_id = ?`,
    )
    .bind(runId)
    .first<{ request: string | null }>();
  return row?.request ?? undefined;
}

/**
 * The collection column of run `runId` (the saved collection's id, or "ad-hoc"), or undefined when
 * the run has no record.
 * @example
 * const collection = (await recordedCollection(db, runId)) ?? monitor.collection;
 */
export async function recordedCollection(db: D1Database, runId: string): Promise<string | undefined> {
  const row = await db
    .prepare("SELECT collection FROM runs WHERE run_id = ?")
    .bind(runId)
    .first<{ collection: string }>();
  return row?.collection ?? undefined;
}

/** Deletes a run that never started (its checks refused it after the record was made). */
export async function deleteRun(db: D1Database, runId: string): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM runs WHERE run_id = ?").bind(runId),
    db.prepare("DELETE FROM run_events WHERE run_id = ?").bind(runId),
  ]);
}

/** What changes in a running run. Final statuses are never left. */
export interface RunUpdate {
  status?: RunStatus;
  progress?: RunProgress;
  /** `null` clears it. */
  waitingFor?: unknown;
  result?: string;
  now: number;
}

/** Updates a run unless it has already ended; false when it had (or does not exist). */
export async function updateRun(db: D1Database, runId: string, update: RunUpdate): Promise<boolean> {
  const sets: string[] = ["updated_at = ?"];
  const values: unknown[] = [update.now];
  if (update.status !== undefined) {
    sets.push("status = ?");
    values.push(update.status);
  }
  if (update.progress !== undefined) {
    sets.push("progress = ?");
    values.push(JSON.stringify(update.progress));
  }
  if (update.waitingFor !== undefined) {
    sets.push("waiting_for = ?");
    values.push(update.waitingFor === null ? null : JSON.stringify(update.waitingFor));
  }
  if (update.result !== undefined) {
    sets.push("result = ?");
    values.push(update.result);
  }
  const outcome = await db
    .prepare(
      `UPDATE runs SET ${sets.join(", ")} WHERE run_id = ? AND status NOT IN ('passed', 'failed', 'errored', 'cancelled')`,
    )
    .bind(...values, runId)
    .run();
  return outcome.meta.changes > 0;
}

/** Marks a run for cancellation; false when it has already ended. */
export async function requestCancel(db: D1Database, runId: string, now: number): Promise<boolean> {
  const outcome = await db
    .prepare(
      "UPDATE runs SET cancel_requested = 1, updated_at = ? WHERE run_id = ? AND status NOT IN ('passed', 'failed', 'errored', 'cancelled')",
    )
    .bind(now, runId)
    .run();
  return outcome.meta.changes > 0;
}

/** True when cancellation of the run was asked for. */
export async function isCancelRequested(db: D1Database, runId: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT cancel_requested FROM runs WHERE run_id = ?")
    .bind(runId)
    .first<{ cancel_requested: number }>();
  return row !== null && row.cancel_requested !== 0;
}

/** Filters and paging of {@link listRuns}. */
export interface RunQuery {
  /** Only this owner's runs; undefined lists every owner's (runs:admin). */
  owner: string | undefined;
  collection?: string;
  status?: RunStatus;
  /** Only the children of this fan-out parent; without it, children are left out. */
  parent?: string;
  limit: number;
  /** Runs strictly older than this position (created_at, run_id). */
  after?: { createdAt: number; runId: string };
}

/**
 * The statement of {@link listRuns}: every filter reads an index in the listing's order (the
 * caller's runs `runs_top_by_owner`, every owner's `runs_top_by_time`, a parent's children
 * `runs_children_by_time`), so a page reads about its rows and needs no sort.
 * @example
 * const { sql, values } = listRunsStatement({ owner: undefined, limit: 50 });
 */
export function listRunsStatement(query: RunQuery): { sql: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  if (query.owner !== undefined) {
    where.push("owner = ?");
    values.push(query.owner);
  }
  if (query.collection !== undefined) {
    where.push("collection = ?");
    values.push(query.collection);
  }
  if (query.status !== undefined) {
    where.push("status = ?");
    values.push(query.status);
  }
  // A fan-out's children (up to 10,000) are listed under their parent, not among the caller's runs.
  if (query.parent === undefined) where.push("parent_run_id IS NULL");
  else {
    where.push("parent_run_id = ?");
    values.push(query.parent);
  }
  if (query.after !== undefined) {
    where.push("(created_at < ? OR (created_at = ? AND run_id < ?))");
    values.push(query.after.createdAt, query.after.createdAt, query.after.runId);
  }
  const clause = where.length === 0 ? "" : `WHERE ${where.join(" AND ")}`;
  return {
    sql: `SELECT ${HEADER_COLUMNS} FROM runs ${clause} ORDER BY created_at DESC, run_id DESC LIMIT ?`,
    values: [...values, query.limit + 1],
  };
}

/** Runs' headers newest first, one more than `limit` to tell whether a next page exists. */
export async function listRuns(db: D1Database, query: RunQuery): Promise<RunHeader[]> {
  const { sql, values } = listRunsStatement(query);
  const { results } = await db
    .prepare(sql)
    .bind(...values)
    .all<RunHeaderRow>();
  return results.map(toHeader);
}
