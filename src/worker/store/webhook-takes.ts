/**
 * The `webhook_takes` table and the claims of waits (`waits.claimed_event`, migration 0007): an
 * event taken by a wait of a run is never taken again by that run, and a wait takes one event.
 * Whoever claims an open wait first, a webhook receiver or the run's own look at stored events,
 * hands it its event; an event that loses the claim stays untaken, so the run's next wait finds it.
 * Each claim is one D1 batch (a transaction): the claim and the take are written together or not
 * at all.
 */
import type { WebhookSource } from "../../collection/model.ts";

/** A wait of a run, as its row is keyed. */
export interface WaitKey {
  runId: string;
  name: string;
}

/**
 * The claim of an unclaimed wait for `claim` (an event id, or the run's own mark) when its run
 * has not taken `eventId` yet, then the take, recorded only while the wait holds that claim.
 */
function claimStatements(
  db: D1Database,
  wait: WaitKey,
  source: WebhookSource,
  eventId: string,
  claim: string,
  now: number,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE waits SET claimed_event = ? WHERE run_id = ? AND name = ? AND claimed_event IS NULL
           AND NOT EXISTS (SELECT 1 FROM webhook_takes WHERE run_id = ? AND source = ? AND event_id = ?)`,
      )
      .bind(claim, wait.runId, wait.name, wait.runId, source, eventId),
    db
      .prepare(
        `INSERT OR IGNORE INTO webhook_takes (run_id, source, event_id, taken_at)
         SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM waits WHERE run_id = ? AND name = ? AND claimed_event = ?)`,
      )
      .bind(wait.runId, source, eventId, now, wait.runId, wait.name, claim),
  ];
}

function claimOf(db: D1Database, wait: WaitKey): D1PreparedStatement {
  return db
    .prepare("SELECT claimed_event FROM waits WHERE run_id = ? AND name = ?")
    .bind(wait.runId, wait.name);
}

function claimedEventIn(result: D1Result | undefined): string | null {
  const row = result?.results[0] as { claimed_event: string | null } | undefined;
  return row?.claimed_event ?? null;
}

/**
 * How a receiver's claim went: `won`; `already`, the wait was claimed for this same event by an
 * earlier delivery of it (whose hand-off may not have reached the run: it is handed again); or
 * `lost`, to another event, or the run took this one before.
 */
export type ClaimOutcome = "won" | "already" | "lost";

/**
 * A webhook receiver's claim of an open wait for an event, with the run's take of it.
 * @example
 * if ((await claimWait(db, wait, "certn", eventId, Date.now())) !== "lost") await send(wait);
 */
export async function claimWait(
  db: D1Database,
  wait: WaitKey,
  source: WebhookSource,
  eventId: string,
  now: number,
): Promise<ClaimOutcome> {
  const [claimed, , current] = await db.batch([
    ...claimStatements(db, wait, source, eventId, eventId, now),
    claimOf(db, wait),
  ]);
  if ((claimed?.meta.changes ?? 0) > 0) return "won";
  return claimedEventIn(current) === eventId ? "already" : "lost";
}

/**
 * Gives back a receiver's claim and take of an event that could not be handed to the run (the
 * Workflow binding or `sendEvent` failed), so the run's next look at stored events, or a repeat of
 * the delivery, can still take it.
 */
export async function releaseClaim(
  db: D1Database,
  wait: WaitKey,
  source: WebhookSource,
  eventId: string,
): Promise<void> {
  await db.batch([
    db
      .prepare("UPDATE waits SET claimed_event = NULL WHERE run_id = ? AND name = ? AND claimed_event = ?")
      .bind(wait.runId, wait.name, eventId),
    db
      .prepare("DELETE FROM webhook_takes WHERE run_id = ? AND source = ? AND event_id = ?")
      .bind(wait.runId, source, eventId),
  ]);
}

/**
 * What a run's own claim holds for the moment of its batch (the wait is deleted in the same
 * transaction), so it is never mistaken for a receiver's claim of the same event.
 */
const RUN_CLAIM = "run-take:";

/**
 * How the run's own take of a stored event went: `taken` (the wait is closed); `claimed`, a
 * receiver claimed the wait first and is handing it an event, which the engine delivers; or
 * `passed`, the run took this event meanwhile (look at the next one).
 */
export type TakeOutcome = "taken" | "claimed" | "passed";

/**
 * The run's own claim of its open wait for a stored event: claim, take and closing of the wait in
 * one transaction, so a receiver's claim of the same wait cannot come in between.
 * @example
 * if ((await takeForWait(db, { runId, name }, "certncentric", stored.eventId, now)) === "taken") return stored.body;
 */
export async function takeForWait(
  db: D1Database,
  wait: WaitKey,
  source: WebhookSource,
  eventId: string,
  now: number,
): Promise<TakeOutcome> {
  const claim = `${RUN_CLAIM}${eventId}`;
  const [claimed, , , current] = await db.batch([
    ...claimStatements(db, wait, source, eventId, claim, now),
    db
      .prepare("DELETE FROM waits WHERE run_id = ? AND name = ? AND claimed_event = ?")
      .bind(wait.runId, wait.name, claim),
    claimOf(db, wait),
  ]);
  if ((claimed?.meta.changes ?? 0) > 0) return "taken";
  return claimedEventIn(current) === null ? "passed" : "claimed";
}
