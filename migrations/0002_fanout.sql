-- certn-edge D1 schema, version 2: data-row fan-out. A fan-out parent is a durable run whose
-- `fan_out_rows` says how many data rows it has; each row is a child run of its own (an ordinary
-- durable run record) linked by `parent_run_id` and `row_index`.
ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
ALTER TABLE runs ADD COLUMN row_index INTEGER;           -- the child's data row, from 0
ALTER TABLE runs ADD COLUMN started_at INTEGER;          -- when the child's Workflow instance was claimed
ALTER TABLE runs ADD COLUMN fan_out_rows INTEGER;        -- a fan-out parent's data rows

-- One child per parent and row: a replayed batch step inserts nothing twice (INSERT OR IGNORE).
CREATE UNIQUE INDEX runs_children ON runs (parent_run_id, row_index) WHERE parent_run_id IS NOT NULL;
-- A parent's children by status: counts, the running ones, and the next unclaimed row, each read
-- from the index alone (no scan past the rows already done, however many rows there are).
CREATE INDEX runs_children_by_status ON runs (parent_run_id, status, started_at, row_index) WHERE parent_run_id IS NOT NULL;
-- Listing a parent's children newest first with cursor paging.
CREATE INDEX runs_children_by_time ON runs (parent_run_id, created_at DESC, run_id DESC) WHERE parent_run_id IS NOT NULL;
-- A caller's own runs without the children (GET /runs): no scan past a large fan-out's rows.
CREATE INDEX runs_top_by_owner ON runs (owner, created_at DESC, run_id DESC) WHERE parent_run_id IS NULL;
