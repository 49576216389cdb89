-- certn-edge D1 schema: one event per wait, digests of masked event values, and re-offers only of
-- events whose hand-off did not complete (src/worker/routes/webhooks.ts, src/worker/durable-run.ts).

-- The event a webhook receiver claimed the wait for (and sent to its run), NULL while unclaimed.
-- A receiver or the run's own look at stored events claims it with
-- `UPDATE ... WHERE claimed_event IS NULL`, so two events that arrive together never both go to
-- one wait: the one that loses stays untaken and the run's next wait finds it.
ALTER TABLE waits ADD COLUMN claimed_event TEXT;

-- The values the masking replaced in `body` (personal values), as HMAC-SHA256 digests under the
-- key of the source's webhook secret, at their places in the body (a JSON mirror of the body that
-- holds only them); NULL when nothing was masked or for rows from before. Emptied with the body.
ALTER TABLE webhook_events ADD COLUMN digests TEXT;

-- 1 while the event's hand-off to the open waits has not completed (it failed, or is still going):
-- only then does a repeated delivery offer the stored event to the waits again.
ALTER TABLE webhook_events ADD COLUMN offer_pending INTEGER NOT NULL DEFAULT 0;
