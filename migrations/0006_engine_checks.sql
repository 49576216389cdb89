-- certn-edge D1 schema: the sweep that finds durable runs whose Workflow instance ended without
-- writing their record (an operator's terminate, a crash no handler saw). Each Cron Trigger
-- invocation asks the engine about a few open durable runs, least recently heard of first;
-- `engine_checked_at` notes a run found still going, so the next invocations ask about others
-- (a waiting run is quiet for days, and would otherwise be asked about at every tick).
ALTER TABLE runs ADD COLUMN engine_checked_at INTEGER;   -- ms since the epoch, NULL before any check

-- Open durable runs that have an instance (a fan-out child has one once started), by when they
-- were last heard of: the sweep reads this index alone, however many runs have ended.
CREATE INDEX runs_open_by_last_heard ON runs (max(updated_at, coalesce(engine_checked_at, 0)))
  WHERE mode = 'durable' AND status IN ('queued', 'running', 'waiting')
    AND (parent_run_id IS NULL OR started_at IS NOT NULL);
