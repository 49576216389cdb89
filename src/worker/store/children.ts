/**
 * The children of a fan-out parent in the `runs` table: one ordinary durable run record per data
 * row, linked by `parent_run_id` and `row_index` (unique together, so a replayed batch step
 * inserts nothing twice). A child is claimed (`started_at`) before its Workflow instance is
 * created; the claim is one SQL statement that counts the parent's running children, so however
 * many claimers race (the parent's rounds, children that end), at most `concurrency` run at once.
 */
import { NO_PROGRESS, type RunProgress, type RunStatus } from "./runs.ts";

/** One child record to insert. */
export interface NewChild {
  runId: string;
  row: number;
  /**
   * The child's request (JSON text, its inputs sealed under its own run id, its collection named
   * by reference to the parent's request: see stored-request.ts).
   */
  request: string;
}

/** What the children of one parent share. */
export interface ChildrenOf {
  parentRunId: string;
  owner: string;
  collection: string;
  now: number;
}

/**
 * Inserts the children of one batch as queued durable runs; rows that have a child already keep it.
 * Returns how many were inserted.
 * @example
 * const inserted = await insertChildren(db, { parentRunId, owner, collection, now }, batch);
 */
export async function insertChildren(
  db: D1Database,
  parent: ChildrenOf,
  children: readonly NewChild[],
): Promise<number> {
  const progress = JSON.stringify(NO_PROGRESS);
  const statement = db.prepare(
    `INSERT OR IGNORE INTO runs (run_id, owner, collection, mode, status, created_at, updated_at, progress, request, parent_run_id, row_index)
     VALUES (?, ?, ?, 'durable', 'queued', ?, ?, ?, ?, ?, ?)`,
  );
  let inserted = 0;
  // A child's request holds its sealed inputs (its collection is its parent's, by reference): large
  // shared inputs make a batch large, so batches are cut by size (a cut batch is still idempotent:
  // every insert is).
  for (const chunk of chunksOf(children, MAX_INSERT_BATCH_BYTES)) {
    const outcomes = await db.batch(
      chunk.map((child) =>
        statement.bind(
          child.runId,
          parent.owner,
          parent.collection,
          parent.now,
          parent.now,
          progress,
          child.request,
          parent.parentRunId,
          child.row,
        ),
      ),
    );
    inserted += outcomes.reduce((sum, outcome) => sum + outcome.meta.changes, 0);
  }
  return inserted;
}

/** Request text sent to D1 in one batch of child inserts, at most (one child may exceed it alone). */
const MAX_INSERT_BATCH_BYTES = 1_000_000;

/** `children` in runs whose requests add up to at most `limit` characters (at least one each). */
function chunksOf(children: readonly NewChild[], limit: number): NewChild[][] {
  const chunks: NewChild[][] = [];
  let current: NewChild[] = [];
  let size = 0;
  for (const child of children) {
    if (current.length > 0 && size + child.request.length > limit) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(child);
    size += child.request.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Rows of the parent that have a child record.
 * @example
 * const created = await countChildren(db, parentRunId); // 100 after the first batch step
 */
export async function countChildren(db: D1Database, parentRunId: string): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM runs WHERE parent_run_id = ?")
    .bind(parentRunId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Claims the next queued child (lowest row) when fewer than `concurrency` children of the parent
 * are claimed and not ended, and the parent was not cancelled; its run id, or undefined.
 * @example
 * for (let id = await claimNextChild(db, parentRunId, 2, Date.now()); id; id = await claimNextChild(db, parentRunId, 2, Date.now())) {
 *   await runs.create({ id, params: { runId: id } });
 * }
 */
export async function claimNextChild(
  db: D1Database,
  parentRunId: string,
  concurrency: number,
  now: number,
): Promise<string | undefined> {
  // One statement: SQLite runs it alone, so the count and the claim cannot interleave with another.
  const row = await db
    .prepare(
      `UPDATE runs SET started_at = ?, updated_at = ?
       WHERE run_id = (
         SELECT run_id FROM runs
         WHERE parent_run_id = ? AND status = 'queued' AND started_at IS NULL
         ORDER BY row_index LIMIT 1
       )
       AND (
         SELECT COUNT(*) FROM runs
         WHERE parent_run_id = ? AND status IN ('queued', 'running', 'waiting') AND started_at IS NOT NULL
       ) < ?
       AND NOT EXISTS (SELECT 1 FROM runs WHERE run_id = ? AND cancel_requested = 1)
       RETURNING run_id`,
    )
    .bind(now, now, parentRunId, parentRunId, concurrency, parentRunId)
    .first<{ run_id: string }>();
  return row?.run_id ?? undefined;
}

/**
 * Children claimed whose run has not begun (a claimer may have stopped before creating them).
 * @example
 * for (const childId of await claimedNotBegun(db, parentRunId)) await ensureInstance(runs, childId);
 */
export async function claimedNotBegun(db: D1Database, parentRunId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      "SELECT run_id FROM runs WHERE parent_run_id = ? AND status = 'queued' AND started_at IS NOT NULL ORDER BY row_index",
    )
    .bind(parentRunId)
    .all<{ run_id: string }>();
  return results.map((row) => row.run_id);
}

/**
 * Children that began (running or waiting) whose record was last written before `before`, least
 * recently written first, at most `limit`: those whose Workflow instance may have died since.
 * @example
 * const quiet = await quietBegunChildren(db, parentRunId, Date.now() - 5 * 60_000, 10);
 */
export async function quietBegunChildren(
  db: D1Database,
  parentRunId: string,
  before: number,
  limit: number,
): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT run_id FROM runs WHERE parent_run_id = ? AND status IN ('running', 'waiting') AND updated_at < ?
       ORDER BY updated_at LIMIT ?`,
    )
    .bind(parentRunId, before, limit)
    .all<{ run_id: string }>();
  return results.map((row) => row.run_id);
}

/**
 * Children claimed and not ended (running, waiting, or about to begin).
 * @example
 * for (const childId of await activeChildren(db, parentRunId)) await requestCancel(db, childId, Date.now());
 */
export async function activeChildren(db: D1Database, parentRunId: string): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT run_id FROM runs WHERE parent_run_id = ? AND status IN ('queued', 'running', 'waiting')
       AND started_at IS NOT NULL ORDER BY row_index`,
    )
    .bind(parentRunId)
    .all<{ run_id: string }>();
  return results.map((row) => row.run_id);
}

/**
 * Cancels the children never claimed (they will not start); how many.
 * @example
 * await cancelUnstartedChildren(db, parentRunId, Date.now());
 */
export async function cancelUnstartedChildren(
  db: D1Database,
  parentRunId: string,
  now: number,
): Promise<number> {
  const outcome = await db
    .prepare(
      `UPDATE runs SET status = 'cancelled', cancel_requested = 1, updated_at = ?
       WHERE parent_run_id = ? AND status = 'queued' AND started_at IS NULL`,
    )
    .bind(now, parentRunId)
    .run();
  return outcome.meta.changes;
}

/**
 * True while a child of the parent is queued or has not ended (one index seek, however many rows).
 * @example
 * if (!(await hasOpenChildren(db, parentRunId))) await tellParent();
 */
export async function hasOpenChildren(db: D1Database, parentRunId: string): Promise<boolean> {
  const row = await db
    .prepare(
      "SELECT 1 AS open FROM runs WHERE parent_run_id = ? AND status IN ('queued', 'running', 'waiting') LIMIT 1",
    )
    .bind(parentRunId)
    .first<{ open: number }>();
  return row !== null;
}

/** A parent's children by status (every status present, zero when none). */
export type ChildCounts = Record<RunStatus, number>;

/**
 * Counts the parent's children by status.
 * @example
 * const counts = await childCounts(db, parentRunId); // { queued: 3, running: 2, passed: 5, ... }
 */
export async function childCounts(db: D1Database, parentRunId: string): Promise<ChildCounts> {
  const counts: ChildCounts = {
    queued: 0,
    running: 0,
    waiting: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    cancelled: 0,
  };
  const { results } = await db
    .prepare("SELECT status, COUNT(*) AS n FROM runs WHERE parent_run_id = ? GROUP BY status")
    .bind(parentRunId)
    .all<{ status: RunStatus; n: number }>();
  for (const row of results) counts[row.status] = row.n;
  return counts;
}

/**
 * A fan-out parent's progress over `rows`: a child counts as done when it ended; a cancelled
 * child counts as skipped.
 * @example
 * fanOutProgress(5, await childCounts(db, parentRunId)); // { items: 5, done: 3, passed: 3, ... }
 */
export function fanOutProgress(rows: number, counts: ChildCounts): RunProgress {
  const done = counts.passed + counts.failed + counts.errored + counts.cancelled;
  return {
    items: rows,
    done,
    passed: counts.passed,
    failed: counts.failed,
    errored: counts.errored,
    skipped: counts.cancelled,
  };
}

/**
 * The first children (by row) with one of `statuses`: their run ids, at most `limit`.
 * @example
 * const failing = await firstChildrenWith(db, parentRunId, ["failed", "errored"], 10);
 */
export async function firstChildrenWith(
  db: D1Database,
  parentRunId: string,
  statuses: readonly RunStatus[],
  limit: number,
): Promise<string[]> {
  const marks = statuses.map(() => "?").join(", ");
  const { results } = await db
    .prepare(
      `SELECT run_id FROM runs WHERE parent_run_id = ? AND status IN (${marks}) ORDER BY row_index LIMIT ?`,
    )
    .bind(parentRunId, ...statuses, limit)
    .all<{ run_id: string }>();
  return results.map((row) => row.run_id);
}
