/**
 * The `webhook_events` table: verified webhook events (bodies with personal values masked), stored
 * once by source and event id and kept at least {@link WEBHOOK_EVENT_RETENTION_MS}, so an event
 * that arrives before its wait begins is found when the wait starts.
 */
import type { WebhookSource } from "../../collection/model.ts";

/** How long events are kept and looked at: 7 days. */
export const WEBHOOK_EVENT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Most stored events one take looks at (the newest of the retention window). */
export const MAX_EVENTS_SCANNED = 1000;

/** A stored event. */
export interface StoredWebhookEvent {
  eventId: string;
  receivedAt: number;
  body: unknown;
}

/** Stores an event; false when one with this id was stored before (a repeated delivery). */
export async function storeWebhookEvent(
  db: D1Database,
  source: WebhookSource,
  eventId: string,
  body: string,
  now: number,
): Promise<boolean> {
  const outcome = await db
    .prepare("INSERT OR IGNORE INTO webhook_events (source, event_id, received_at, body) VALUES (?, ?, ?, ?)")
    .bind(source, eventId, now, body)
    .run();
  return outcome.meta.changes > 0;
}

/** Events of `source` from the retention window not yet taken by `runId`, oldest first. */
export async function untakenEvents(
  db: D1Database,
  source: WebhookSource,
  runId: string,
  now: number,
): Promise<StoredWebhookEvent[]> {
  const { results } = await db
    .prepare(
      `SELECT event_id, received_at, body FROM (
         SELECT e.event_id, e.received_at, e.body FROM webhook_events e
         WHERE e.source = ? AND e.received_at >= ?
           AND NOT EXISTS (SELECT 1 FROM webhook_takes t WHERE t.run_id = ? AND t.source = e.source AND t.event_id = e.event_id)
         ORDER BY e.received_at DESC LIMIT ?
       ) ORDER BY received_at ASC`,
    )
    .bind(source, now - WEBHOOK_EVENT_RETENTION_MS, runId, MAX_EVENTS_SCANNED)
    .all<{ event_id: string; received_at: number; body: string }>();
  return results.map((row) => ({
    eventId: row.event_id,
    receivedAt: row.received_at,
    body: JSON.parse(row.body),
  }));
}
