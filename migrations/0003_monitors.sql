-- certn-edge D1 schema: monitors (collections run on a schedule by the Cron Trigger),
-- the slots they claimed and the deliveries of their alerts. A monitor's inputs are sealed
-- (AES-GCM, like a durable run's); its alert URL may hold a webhook token, so it is sealed too,
-- never shown whole (the API shows its origin and a redacted path) and never logged.

-- One row per monitor. Ids are per owner (the caller JWT's `sub`, "" without one): two callers
-- may both have a monitor "nightly" and neither sees the other's.
CREATE TABLE monitors (
  owner TEXT NOT NULL,
  id TEXT NOT NULL,
  collection TEXT NOT NULL,              -- saved collection id (bundled or stored)
  schedule TEXT NOT NULL,                -- UTC cron expression, at most every 5 minutes
  inputs TEXT NOT NULL,                  -- the run inputs, sealed JSON
  alert TEXT,                            -- JSON {on, shown, sealedUrl}, or NULL for no alert
  created_at INTEGER NOT NULL,           -- ms since the epoch
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (owner, id)
);

-- One row per fire time a monitor was started for. The primary key decides, with INSERT OR
-- IGNORE, which of two overlapping cron invocations starts the run: the other inserts nothing.
CREATE TABLE monitor_slots (
  owner TEXT NOT NULL,
  monitor_id TEXT NOT NULL,
  slot_at INTEGER NOT NULL,              -- the schedule's fire time, ms since the epoch
  run_id TEXT NOT NULL,                  -- the durable run started for it (runs.run_id)
  claimed_at INTEGER NOT NULL,
  start_error TEXT,                      -- an error code when the run could not be started
  PRIMARY KEY (owner, monitor_id, slot_at)
);
CREATE UNIQUE INDEX monitor_slots_by_run ON monitor_slots (run_id);

-- Every attempt to deliver an alert: its HTTP status (NULL when no answer came) and an error code.
CREATE TABLE alert_deliveries (
  run_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,              -- 1, 2, ... for the run's alert
  owner TEXT NOT NULL,
  monitor_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  status INTEGER,                        -- the receiver's HTTP status
  ok INTEGER NOT NULL,                   -- 1 when the receiver answered 2xx
  error_code TEXT,                       -- e.g. ALERT_HTTP_STATUS, ALERT_NETWORK, ALERT_REDIRECT
  PRIMARY KEY (run_id, attempt)
);
CREATE INDEX alert_deliveries_by_monitor ON alert_deliveries (owner, monitor_id, at DESC);
