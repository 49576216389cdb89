/**
 * The `run_events` table: a run's redacted events numbered in emission order. A durable run emits
 * its events again on every replay; numbering them the same way and inserting with
 * `INSERT OR IGNORE` writes each one once.
 */

/** One stored event. */
export interface StoredRunEvent {
  seq: number;
  at: number;
  event: unknown;
}

/** Largest stored sequence number of a run, or -1. */
export async function maxEventSeq(db: D1Database, runId: string): Promise<number> {
  const row = await db
    .prepare("SELECT MAX(seq) AS seq FROM run_events WHERE run_id = ?")
    .bind(runId)
    .first<{ seq: number | null }>();
  return row?.seq ?? -1;
}

/** Stores events (JSON text) by sequence number; ones stored before are left alone. */
export async function appendEvents(
  db: D1Database,
  runId: string,
  events: ReadonlyArray<{ seq: number; at: number; json: string }>,
): Promise<void> {
  if (events.length === 0) return;
  const statement = db.prepare(
    "INSERT OR IGNORE INTO run_events (run_id, seq, at, event) VALUES (?, ?, ?, ?)",
  );
  await db.batch(events.map((event) => statement.bind(runId, event.seq, event.at, event.json)));
}

/** Events after `afterSeq`, oldest first, at most `limit`. */
export async function listEvents(
  db: D1Database,
  runId: string,
  afterSeq: number,
  limit = 500,
): Promise<Array<{ seq: number; at: number; json: string }>> {
  const { results } = await db
    .prepare("SELECT seq, at, event FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?")
    .bind(runId, afterSeq, limit)
    .all<{ seq: number; at: number; event: string }>();
  return results.map((row) => ({ seq: row.seq, at: row.at, json: row.event }));
}
