/**
 * Retention: rows past the time the design promises to keep them are deleted, a bounded batch per
 * table and call, so one cron invocation never runs long however much has piled up (the next
 * invocation takes the rest). Run records and their events are history and are kept.
 */
import { CONSOLE_LOGIN_CODE_TTL_MS } from "./console-logins.ts";
import { IDEMPOTENCY_KEY_TTL_MS } from "./idempotency-keys.ts";
import {
  EMPTIED_EVENT_BODY,
  WEBHOOK_EVENT_ID_RETENTION_MS,
  WEBHOOK_EVENT_RETENTION_MS,
} from "./webhook-events.ts";

/** A wait row is kept this long past its expiry (a run's wait may outlive it by a step or two). */
const WAIT_GRACE_MS = 24 * 60 * 60 * 1000;

/** Most rows one call deletes from each table. */
export const MAX_PRUNED_PER_TABLE = 1000;

/** Rows deleted by one {@link pruneExpired} call, by table. */
export interface PruneCounts {
  /** Events deleted, ids and all (past 180 days). */
  webhookEvents: number;
  /** Event bodies emptied, with the digests of their masked values (past 7 days; their ids stay). */
  webhookBodies: number;
  webhookTakes: number;
  idempotencyKeys: number;
  waits: number;
  consoleLogins: number;
}

/**
 * Empties webhook event bodies older than their 7 days, and the digests of their masked values
 * (the ids stay, to know a repeated delivery) and deletes events older than 180 days, and takes older than 7 days; idempotency keys
 * older than 24 hours, waits a day past their expiry (their run's wait step timed out on its own) and
 * spent console sign-in codes past their 15 minutes (refused as expired by then anyway).
 *
 * @example
 * ```ts
 * const counts = await pruneExpired(env.DB, controller.scheduledTime);
 * ```
 */
export async function pruneExpired(db: D1Database, now: number): Promise<PruneCounts> {
  const statements = pruneStatements(now).map(({ sql, value }) =>
    db.prepare(sql).bind(value, MAX_PRUNED_PER_TABLE),
  );
  const [events, bodies, takes, keys, waits, logins] = await db.batch(statements);
  return {
    webhookEvents: events?.meta.changes ?? 0,
    webhookBodies: bodies?.meta.changes ?? 0,
    webhookTakes: takes?.meta.changes ?? 0,
    idempotencyKeys: keys?.meta.changes ?? 0,
    waits: waits?.meta.changes ?? 0,
    consoleLogins: logins?.meta.changes ?? 0,
  };
}

/**
 * The statements of one {@link pruneExpired} call, in its order, each with its time bound (`?1`)
 * and taking the batch size as `?2`: each reads an index (migrations/), not its whole table.
 */
export function pruneStatements(now: number): Array<{ sql: string; value: number }> {
  const eventsBefore = now - WEBHOOK_EVENT_RETENTION_MS;
  return [
    batchDelete("webhook_events", "received_at < ?", now - WEBHOOK_EVENT_ID_RETENTION_MS),
    {
      // The digests of its masked values go with the body; a re-offer of it never comes.
      sql: `UPDATE webhook_events SET body = '${EMPTIED_EVENT_BODY}', digests = NULL, offer_pending = 0 WHERE rowid IN (
         SELECT rowid FROM webhook_events WHERE received_at < ? AND body <> '${EMPTIED_EVENT_BODY}' LIMIT ?)`,
      value: eventsBefore,
    },
    batchDelete("webhook_takes", "taken_at < ?", eventsBefore),
    batchDelete("idempotency_keys", "created_at < ?", now - IDEMPOTENCY_KEY_TTL_MS),
    batchDelete("waits", "expires_at < ?", now - WAIT_GRACE_MS),
    batchDelete("console_logins", "spent_at < ?", now - CONSOLE_LOGIN_CODE_TTL_MS),
  ];
}

/** A DELETE of at most `?2` rows matching `where` (D1's SQLite has no DELETE ... LIMIT). */
function batchDelete(table: string, where: string, value: number): { sql: string; value: number } {
  return {
    sql: `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ?)`,
    value,
  };
}
