-- certn-edge D1 schema, version 2: data-row fan-out. A fan-out parent is a durable run whose
-- `fan_out_rows` says how many data rows it has; each row is a child run of its own (an ordinary
-- durable run record) linked by `parent_run_id` and `row_index`.
ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
ALTER TABLE runs ADD COLUMN row_index INTEGER;           -- the child's data row, from 0
ALTER TABLE runs ADD COLUMN started_at INTEGER;          -- when the child's Workflow instance was claimed
ALTER TABLE runs ADD COLUMN fan_out_rows INTEGER;        -- a fan-out parent's data rows

-- One child per parent and row: a replayed batch step inserts nothing twice (INSERT OR IGNORE).
CREATE UNIQUE INDEX runs_children ON runs (parent_run_id, row_index) WHERE parent_run_id IS NOT NULL;
-- Counting a parent's children by status, and listing them newest first with cursor paging.
CREATE INDEX runs_children_by_status ON runs (parent_run_id, status) WHERE parent_run_id IS NOT NULL;
CREATE INDEX runs_children_by_time ON runs (parent_run_id, created_at DESC, run_id DESC) WHERE parent_run_id IS NOT NULL;
