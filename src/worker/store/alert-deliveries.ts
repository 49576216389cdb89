/**
 * The `alert_deliveries` table: every attempt to deliver a monitor's alert, with the receiver's
 * status and an error code; never the URL, the body or the receiver's answer.
 */

/** One attempt to deliver an alert. */
export interface AlertDelivery {
  runId: string;
  owner: string;
  monitorId: string;
  at: number;
  /** The receiver's HTTP status; undefined when none came (network failure, refused URL). */
  status: number | undefined;
  ok: boolean;
  errorCode: string | undefined;
}

/**
 * Records an attempt as the run's next one; its attempt number.
 * @example
 * await recordDelivery(db, { runId, owner, monitorId, at: Date.now(), status: 200, ok: true, errorCode: undefined });
 */
export async function recordDelivery(db: D1Database, delivery: AlertDelivery): Promise<number> {
  const row = await db
    .prepare(
      `INSERT INTO alert_deliveries (run_id, attempt, owner, monitor_id, at, status, ok, error_code)
       SELECT ?, COALESCE(MAX(attempt), 0) + 1, ?, ?, ?, ?, ?, ? FROM alert_deliveries WHERE run_id = ?
       RETURNING attempt`,
    )
    .bind(
      delivery.runId,
      delivery.owner,
      delivery.monitorId,
      delivery.at,
      delivery.status ?? null,
      delivery.ok ? 1 : 0,
      delivery.errorCode ?? null,
      delivery.runId,
    )
    .first<{ attempt: number }>();
  return row?.attempt ?? 0;
}

/** A recorded attempt with its number. */
export interface RecordedDelivery extends AlertDelivery {
  attempt: number;
}

interface DeliveryRow {
  run_id: string;
  attempt: number;
  owner: string;
  monitor_id: string;
  at: number;
  status: number | null;
  ok: number;
  error_code: string | null;
}

/**
 * The deliveries of a monitor's alerts, newest first, at most `limit`.
 * @example
 * const recent = await monitorDeliveries(db, "alice", "nightly", 20);
 */
export async function monitorDeliveries(
  db: D1Database,
  owner: string,
  monitorId: string,
  limit: number,
): Promise<RecordedDelivery[]> {
  const { results } = await db
    .prepare(
      `SELECT run_id, attempt, owner, monitor_id, at, status, ok, error_code FROM alert_deliveries
       WHERE owner = ? AND monitor_id = ? ORDER BY at DESC, attempt DESC LIMIT ?`,
    )
    .bind(owner, monitorId, limit)
    .all<DeliveryRow>();
  return results.map((row) => ({
    runId: row.run_id,
    attempt: row.attempt,
    owner: row.owner,
    monitorId: row.monitor_id,
    at: row.at,
    status: row.status ?? undefined,
    ok: row.ok !== 0,
    errorCode: row.error_code ?? undefined,
  }));
}
