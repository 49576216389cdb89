-- certn-edge D1 schema: indexes for the retention sweeps. Webhook event ids now outlive their
-- bodies (ids 180 days, bodies 7), so that table holds months of rows; every sweep statement
-- (src/worker/store/retention.ts) reads an index over its time column instead of its whole table
-- (EXPLAIN QUERY PLAN said SCAN for each before these).
CREATE INDEX webhook_events_by_received ON webhook_events (received_at);
-- Only rows whose body is still kept: the sweep that empties bodies reads just those.
CREATE INDEX webhook_events_with_body ON webhook_events (received_at) WHERE body <> 'null';
CREATE INDEX webhook_takes_by_time ON webhook_takes (taken_at);
CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at);
CREATE INDEX waits_by_expiry ON waits (expires_at);
CREATE INDEX console_logins_by_time ON console_logins (spent_at);
