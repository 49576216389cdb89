-- certn-edge D1 schema, version 1: run records, their events, idempotency keys, webhook events and
-- the waits of durable runs. No row holds a secret or a personal value: results and events are the
-- runner's redacted ones, a durable run's inputs are sealed (AES-GCM), webhook bodies are masked.

-- One row per run, immediate or durable. `owner` is the caller JWT's `sub` ("" without one).
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  collection TEXT NOT NULL,              -- saved collection id, or "ad-hoc"
  mode TEXT NOT NULL CHECK (mode IN ('immediate', 'durable')),
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'waiting', 'passed', 'failed', 'errored', 'cancelled')),
  created_at INTEGER NOT NULL,           -- ms since the epoch
  updated_at INTEGER NOT NULL,
  progress TEXT NOT NULL,                -- JSON {items, done, passed, failed, errored, skipped}
  waiting_for TEXT,                      -- JSON, while status is "waiting"
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  result TEXT,                           -- JSON: the redacted RunResult (failures only past ~900 KB)
  request TEXT                           -- durable runs: JSON {collection, source, inputs: sealed}
);
CREATE INDEX runs_by_owner ON runs (owner, created_at DESC, run_id DESC);

-- A run's events in emission order; INSERT OR IGNORE keeps a replay from writing one twice.
CREATE TABLE run_events (
  run_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);

-- Idempotency-Key claims: one per caller and key, kept at least 24 h.
CREATE TABLE idempotency_keys (
  owner TEXT NOT NULL,
  key TEXT NOT NULL,
  body_hash TEXT NOT NULL,               -- hex SHA-256 of route and body
  run_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (owner, key)
);

-- Verified webhook events, stored once by event id and kept at least 7 days.
CREATE TABLE webhook_events (
  source TEXT NOT NULL,                  -- "certn" | "certncentric"
  event_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  body TEXT NOT NULL,                    -- JSON, personal values masked
  PRIMARY KEY (source, event_id)
);
CREATE INDEX webhook_events_by_time ON webhook_events (source, received_at);

-- Events taken by a wait of a run: never taken again by that run.
CREATE TABLE webhook_takes (
  run_id TEXT NOT NULL,
  source TEXT NOT NULL,
  event_id TEXT NOT NULL,
  taken_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, source, event_id)
);

-- Open waits of durable runs, matched by the webhook receivers.
CREATE TABLE waits (
  run_id TEXT NOT NULL,
  name TEXT NOT NULL,                    -- the runner's wait name
  source TEXT NOT NULL,
  match TEXT NOT NULL,                   -- JSON {selector: expected text}
  event_type TEXT NOT NULL,              -- the step.waitForEvent type
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE INDEX waits_by_source ON waits (source, expires_at);
