/** The `webhook_takes` table: an event taken by a wait of a run is never taken again by that run. */
import type { WebhookSource } from "../../collection/model.ts";

/** Records that `runId` took the event; false when it had taken it already. */
export async function recordTake(
  db: D1Database,
  runId: string,
  source: WebhookSource,
  eventId: string,
  now: number,
): Promise<boolean> {
  const outcome = await db
    .prepare("INSERT OR IGNORE INTO webhook_takes (run_id, source, event_id, taken_at) VALUES (?, ?, ?, ?)")
    .bind(runId, source, eventId, now)
    .run();
  return outcome.meta.changes > 0;
}

/**
 * Gives back a take recorded for an event that could not be handed to the run (the Workflow
 * binding or `sendEvent` failed), so a repeat of the delivery, or the run's next wait, can still
 * take it.
 */
export async function releaseTake(
  db: D1Database,
  runId: string,
  source: WebhookSource,
  eventId: string,
): Promise<void> {
  await db
    .prepare("DELETE FROM webhook_takes WHERE run_id = ? AND source = ? AND event_id = ?")
    .bind(runId, source, eventId)
    .run();
}
