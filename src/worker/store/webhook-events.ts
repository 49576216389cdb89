/**
 * The `webhook_events` table: verified webhook events (bodies with personal values masked, and
 * keyed digests of what the masking replaced), stored once by source and event id. A body is kept
 * and looked at for {@link WEBHOOK_EVENT_RETENTION_MS}, so an event that arrives before its wait
 * begins is found when the wait starts; its id is kept for {@link WEBHOOK_EVENT_ID_RETENTION_MS},
 * so a delivery repeated later is still known as one.
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

/**
 * How long before its run was created (its record's `created_at`) an event may have been received
 * and still be taken by the run's waits: a few seconds, for the clocks of the isolates. Earlier
 * events are other runs' (a run started after a case's report was ready must not pass at once on
 * that old event).
 */
export const RUN_START_MARGIN_MS = 5_000;

/** A stored event. */
export interface StoredWebhookEvent {
  eventId: string;
  receivedAt: number;
  /** The body, personal values masked. */
  body: unknown;
  /** Digests of the values the masking replaced, at their places (see wait-match.ts); undefined when none. */
  digests?: unknown;
}

/** What is stored of a new event. */
export interface NewWebhookEvent {
  /** The masked body, as JSON text. */
  body: string;
  /** The digests of what the masking replaced, as JSON text; undefined when nothing was. */
  digests: string | undefined;
  /** Whether its hand-off to open waits is still to come (a repeat offers it again until it completes). */
  offerPending: boolean;
}

/** Stores an event; false when one with this id was stored before (a repeated delivery). */
export async function storeWebhookEvent(
  db: D1Database,
  source: WebhookSource,
  eventId: string,
  event: NewWebhookEvent,
  now: number,
): Promise<boolean> {
  const outcome = await db
    .prepare(
      `INSERT OR IGNORE INTO webhook_events (source, event_id, received_at, body, digests, offer_pending)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .bind(source, eventId, now, event.body, event.digests ?? null, event.offerPending ? 1 : 0)
    .run();
  return outcome.meta.changes > 0;
}

/** Notes that the event's hand-off completed: a repeat of it is then answered without offering it again. */
export async function offerCompleted(db: D1Database, source: WebhookSource, eventId: string): Promise<void> {
  await db
    .prepare(
      "UPDATE webhook_events SET offer_pending = 0 WHERE source = ? AND event_id = ? AND offer_pending = 1",
    )
    .bind(source, eventId)
    .run();
}

function storedEvent(row: {
  event_id: string;
  received_at: number;
  body: string;
  digests: string | null;
}): StoredWebhookEvent {
  const stored: StoredWebhookEvent = {
    eventId: row.event_id,
    receivedAt: row.received_at,
    body: JSON.parse(row.body),
  };
  if (row.digests !== null) stored.digests = JSON.parse(row.digests);
  return stored;
}

/**
 * Bodies one read of {@link untakenEvents} holds at most: a body may be 256 KB, and the newest
 * {@link MAX_EVENTS_SCANNED} read at once could be 250 MB, past a Worker's memory (and D1's
 * answer size), where a page of them is 8 MB.
 */
export const EVENTS_PAGE = 32;

/**
 * Events of `source` received since `runId` was created (less {@link RUN_START_MARGIN_MS}) and
 * within the retention window, not yet taken by `runId`, oldest first, of the newest
 * {@link MAX_EVENTS_SCANNED}: their ids in one read, their bodies {@link EVENTS_PAGE} at a time,
 * so a take that stops at the first match reads no more bodies than it looks at. (A run without a
 * record, as in tests, is bounded by the retention window alone.)
 * @example
 * for await (const stored of untakenEvents(db, "certn", runId, now)) if (matches(stored)) break;
 */
export async function* untakenEvents(
  db: D1Database,
  source: WebhookSource,
  runId: string,
  now: number,
): AsyncGenerator<StoredWebhookEvent> {
  // The run's creation from its record, in the same statement (a take step runs once a wait
  // slice): a fan-out child's record is made with its parent's rows, before its instance, and an
  // event about its case may come in between, which is its own.
  const { results: ids } = await db
    .prepare(
      `SELECT event_id FROM (
         SELECT e.event_id, e.received_at FROM webhook_events e
         WHERE e.source = ?1 AND e.received_at >= ?2
           AND e.received_at >= COALESCE((SELECT created_at FROM runs WHERE run_id = ?3) - ?5, ?2)
           AND NOT EXISTS (SELECT 1 FROM webhook_takes t WHERE t.run_id = ?3 AND t.source = e.source AND t.event_id = e.event_id)
         ORDER BY e.received_at DESC, e.event_id DESC LIMIT ?4
       ) ORDER BY received_at ASC, event_id ASC`,
    )
    .bind(source, now - WEBHOOK_EVENT_RETENTION_MS, runId, MAX_EVENTS_SCANNED, RUN_START_MARGIN_MS)
    .all<{ event_id: string }>();
  for (let from = 0; from < ids.length; from += EVENTS_PAGE) {
    const page = ids.slice(from, from + EVENTS_PAGE).map((row) => row.event_id);
    const { results } = await db
      .prepare(
        `SELECT event_id, received_at, body, digests FROM webhook_events
         WHERE source = ? AND event_id IN (${page.map(() => "?").join(", ")})
         ORDER BY received_at ASC, event_id ASC`,
      )
      .bind(source, ...page)
      .all<{ event_id: string; received_at: number; body: string; digests: string | null }>();
    for (const row of results) {
      // Emptied by the retention sweep between the two reads: nothing left to take.
      if (row.body === EMPTIED_EVENT_BODY) continue;
      yield storedEvent(row);
    }
  }
}

/**
 * A stored event whose hand-off to the open waits did not complete (it failed, or is still going),
 * to offer again on a repeat of its delivery: undefined when its hand-off completed, when no such
 * event is stored, or when it is past {@link WEBHOOK_EVENT_RETENTION_MS} (its body emptied, or
 * about to be: the sweep runs in batches), as a wait's look at stored events would also pass it by.
 */
export async function pendingOffer(
  db: D1Database,
  source: WebhookSource,
  eventId: string,
  now: number,
): Promise<StoredWebhookEvent | undefined> {
  const row = await db
    .prepare(
      `SELECT event_id, received_at, body, digests FROM webhook_events
       WHERE source = ? AND event_id = ? AND offer_pending = 1 AND received_at >= ?`,
    )
    .bind(source, eventId, now - WEBHOOK_EVENT_RETENTION_MS)
    .first<{ event_id: string; received_at: number; body: string; digests: string | null }>();
  if (row === null || row.body === EMPTIED_EVENT_BODY) return undefined;
  return storedEvent(row);
}
