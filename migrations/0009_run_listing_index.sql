-- certn-edge D1 schema: GET /runs of a `runs:admin` caller lists every owner's runs, newest
-- first, without their fan-out children. No index had that order, so each page read every
-- top-level run ever recorded (records are kept) and sorted them in a temporary B-tree
-- (EXPLAIN QUERY PLAN said SCAN runs, USE TEMP B-TREE FOR ORDER BY). With this index a page reads
-- about its own rows; a cursor seeks into it. A `collection` or `status` filter reads it in the
-- same order and skips the runs that do not match.
CREATE INDEX runs_top_by_time ON runs (created_at DESC, run_id DESC) WHERE parent_run_id IS NULL;
