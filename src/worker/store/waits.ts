/**
 * The `waits` table: open waits of durable runs, which the webhook receivers match events to. A
 * wait takes one event: see the claims in webhook-takes.ts.
 */
import type { WebhookSource } from "../../collection/model.ts";
import { parseStoredMatch, type StoredMatch, storedMatchText } from "../wait-match.ts";

/** An open wait. */
export interface OpenWait {
  runId: string;
  name: string;
  source: WebhookSource;
  /** What the wait matches, its secret and personal values digested ({@link StoredMatch}). */
  match: StoredMatch;
  /** The `step.waitForEvent` type that wakes it. */
  eventType: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Opens a wait, or keeps it open (a replay, or the run's next look between slices of its wait):
 * its match, type and expiry are written again, while its creation and its claim stay. Returns
 * the event a receiver claimed it for (the engine delivers that one), or null.
 */
export async function openWait(db: D1Database, wait: OpenWait): Promise<{ claimedEvent: string | null }> {
  const row = await db
    .prepare(
      `INSERT INTO waits (run_id, name, source, match, event_type, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name) DO UPDATE SET source = excluded.source, match = excluded.match,
         event_type = excluded.event_type, expires_at = excluded.expires_at
       RETURNING claimed_event`,
    )
    .bind(
      wait.runId,
      wait.name,
      wait.source,
      storedMatchText(wait.match),
      wait.eventType,
      wait.createdAt,
      wait.expiresAt,
    )
    .first<{ claimed_event: string | null }>();
  return { claimedEvent: row?.claimed_event ?? null };
}

/** Closes a wait (woken, or found an event at once). */
export async function closeWait(db: D1Database, runId: string, name: string): Promise<void> {
  await db.prepare("DELETE FROM waits WHERE run_id = ? AND name = ?").bind(runId, name).run();
}

/**
 * Closes a wait that got no event (its timeout, or a cancel): the take of an event a receiver
 * claimed it for too late to be received is given back, so the run's next wait can take that
 * event from storage.
 */
export async function closeUnansweredWait(
  db: D1Database,
  runId: string,
  name: string,
  source: WebhookSource,
): Promise<void> {
  await db.batch([
    db
      .prepare(
        `DELETE FROM webhook_takes WHERE run_id = ? AND source = ?
           AND event_id = (SELECT claimed_event FROM waits WHERE run_id = ? AND name = ?)`,
      )
      .bind(runId, source, runId, name),
    db.prepare("DELETE FROM waits WHERE run_id = ? AND name = ?").bind(runId, name),
  ]);
}

/** Most open waits one read returns: a webhook's scan holds one page at a time, however many runs wait. */
export const WAITS_PAGE = 500;

/**
 * Open, unexpired waits for events of `source` that `eventId` may still claim (unclaimed, or
 * claimed for it by an earlier delivery), in (run, name) order after `after` (the last of the
 * previous page), at most {@link WAITS_PAGE}.
 * @example
 * for (let page = await openWaitsFor(db, "certn", now, id); page.length > 0; page = await openWaitsFor(db, "certn", now, id, page.at(-1))) { ... }
 */
export async function openWaitsFor(
  db: D1Database,
  source: WebhookSource,
  now: number,
  eventId: string,
  after?: Pick<OpenWait, "runId" | "name">,
): Promise<OpenWait[]> {
  // The first page starts after the empty (run, name), which sorts before every real one.
  const from = after ?? { runId: "", name: "" };
  const statement = db
    .prepare(
      `SELECT run_id, name, source, match, event_type, created_at, expires_at FROM waits
       WHERE source = ? AND expires_at >= ? AND (claimed_event IS NULL OR claimed_event = ?)
         AND (run_id > ? OR (run_id = ? AND name > ?))
       ORDER BY run_id, name LIMIT ?`,
    )
    .bind(source, now, eventId, from.runId, from.runId, from.name, WAITS_PAGE);
  const { results } = await statement.all<{
    run_id: string;
    name: string;
    source: WebhookSource;
    match: string;
    event_type: string;
    created_at: number;
    expires_at: number;
  }>();
  return results.map((row) => ({
    runId: row.run_id,
    name: row.name,
    source: row.source,
    match: parseStoredMatch(row.match),
    eventType: row.event_type,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }));
}

/** The open waits of one run (a cancel wakes them). */
export async function openWaitsOfRun(
  db: D1Database,
  runId: string,
): Promise<Array<{ name: string; eventType: string }>> {
  const { results } = await db
    .prepare("SELECT name, event_type FROM waits WHERE run_id = ?")
    .bind(runId)
    .all<{ name: string; event_type: string }>();
  return results.map((row) => ({ name: row.name, eventType: row.event_type }));
}
