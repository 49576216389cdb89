/**
 * The `webhook_events` table: verified webhook events (bodies with personal values masked), stored
 * once by source and event id. A body is kept and looked at for {@link WEBHOOK_EVENT_RETENTION_MS},
 * so an event that arrives before its wait begins is found when the wait starts; its id is kept
 * for {@link WEBHOOK_EVENT_ID_RETENTION_MS}, so a delivery repeated later is still known as one.
 */
import type { WebhookSource } from "../../collection/model.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long event bodies are kept and looked at: 7 days. */
export const WEBHOOK_EVENT_RETENTION_MS = 7 * DAY_MS;

/**
 * How long an event's id is kept (its body emptied after {@link WEBHOOK_EVENT_RETENTION_MS}): 180
 * days, about 100 bytes an event. CertnCentric's signature has no timestamp, so a captured
 * delivery verifies forever and its id is all that tells a replay; with the ids kept only as long
 * as the bodies, one replayed on day 8 woke a wait (they last up to 30 days) as a new event.
 */
export const WEBHOOK_EVENT_ID_RETENTION_MS = 180 * DAY_MS;

/**
 * The oldest an event may say it was created (CertnCentric's `created`) and still be taken: 150
 * days, well inside the id retention, so an event whose id may have been forgotten is refused by
 * its age instead. Certn retries a delivery for about 2 hours; the margin is wide because the
 * sources do not confirm that `created` is the event's time rather than its case's.
 */
export const MAX_WEBHOOK_EVENT_AGE_MS = 150 * DAY_MS;

/** What an event's body becomes once it is past {@link WEBHOOK_EVENT_RETENTION_MS}: its id stays. */
export const EMPTIED_EVENT_BODY = "null";

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

/**
 * Bodies one read of {@link untakenEvents} holds at most: a body may be 256 KB, and the newest
 * {@link MAX_EVENTS_SCANNED} read at once could be 250 MB, past a Worker's memory (and D1's
 * answer size), where a page of them is 8 MB.
 */
export const EVENTS_PAGE = 32;

/**
 * Events of `source` from the retention window not yet taken by `runId`, oldest first, of the
 * newest {@link MAX_EVENTS_SCANNED}: their ids in one read, their bodies {@link EVENTS_PAGE} at a
 * time, so a take that stops at the first match reads no more bodies than it looks at.
 * @example
 * for await (const stored of untakenEvents(db, "certn", runId, now)) if (matches(stored.body)) break;
 */
export async function* untakenEvents(
  db: D1Database,
  source: WebhookSource,
  runId: string,
  now: number,
): AsyncGenerator<StoredWebhookEvent> {
  const { results: ids } = await db
    .prepare(
      `SELECT event_id FROM (
         SELECT e.event_id, e.received_at FROM webhook_events e
         WHERE e.source = ? AND e.received_at >= ?
           AND NOT EXISTS (SELECT 1 FROM webhook_takes t WHERE t.run_id = ? AND t.source = e.source AND t.event_id = e.event_id)
         ORDER BY e.received_at DESC, e.event_id DESC LIMIT ?
       ) ORDER BY received_at ASC, event_id ASC`,
    )
    .bind(source, now - WEBHOOK_EVENT_RETENTION_MS, runId, MAX_EVENTS_SCANNED)
    .all<{ event_id: string }>();
  for (let from = 0; from < ids.length; from += EVENTS_PAGE) {
    const page = ids.slice(from, from + EVENTS_PAGE).map((row) => row.event_id);
    const { results } = await db
      .prepare(
        `SELECT event_id, received_at, body FROM webhook_events
         WHERE source = ? AND event_id IN (${page.map(() => "?").join(", ")})
         ORDER BY received_at ASC, event_id ASC`,
      )
      .bind(source, ...page)
      .all<{ event_id: string; received_at: number; body: string }>();
    for (const row of results) {
      // Emptied by the retention sweep between the two reads: nothing left to take.
      if (row.body === EMPTIED_EVENT_BODY) continue;
      yield { eventId: row.event_id, receivedAt: row.received_at, body: JSON.parse(row.body) };
    }
  }
}

/**
 * The stored body of an event that runs may still take: undefined when no such event is stored,
 * when it is past {@link WEBHOOK_EVENT_RETENTION_MS} (its body emptied, or about to be: the sweep
 * runs in batches), as a wait's look at stored events would also pass it by.
 */
export async function takeableEventBody(
  db: D1Database,
  source: WebhookSource,
  eventId: string,
  now: number,
): Promise<unknown> {
  const row = await db
    .prepare("SELECT body FROM webhook_events WHERE source = ? AND event_id = ? AND received_at >= ?")
    .bind(source, eventId, now - WEBHOOK_EVENT_RETENTION_MS)
    .first<{ body: string }>();
  if (row === null || row.body === EMPTIED_EVENT_BODY) return undefined;
  return JSON.parse(row.body);
}
