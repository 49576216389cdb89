/**
 * Which monitors have a run going on: the run of their latest claimed fire time is queued,
 * running or waiting. Certn work lasts days, so a monitor firing every 5 minutes would otherwise
 * pile up hundreds of live runs, each holding waits and rate budget, and some ordering.
 */
import type { MonitorKey } from "./monitor-slots.ts";

/** A monitor as one string (for sets): JSON of owner and id. */
export const monitorKeyText = (monitor: MonitorKey): string => JSON.stringify([monitor.owner, monitor.id]);

/**
 * Those of `monitors` whose latest slot's run has not ended, as {@link monitorKeyText} strings: one
 * statement however many (they travel as one JSON parameter; each looks up its latest slot through
 * the slots' primary key, then that run's record).
 * @example
 * const busy = await monitorsWithRunGoingOn(db, due.map((entry) => entry.monitor));
 * const startable = due.filter((entry) => !busy.has(monitorKeyText(entry.monitor)));
 */
export async function monitorsWithRunGoingOn(
  db: D1Database,
  monitors: readonly MonitorKey[],
): Promise<Set<string>> {
  if (monitors.length === 0) return new Set();
  const keys = JSON.stringify(monitors.map((monitor) => [monitor.owner, monitor.id]));
  const { results } = await db
    .prepare(
      `SELECT json_extract(k.value, '$[0]') AS owner, json_extract(k.value, '$[1]') AS id FROM json_each(?) AS k
       WHERE (SELECT r.status FROM monitor_slots s JOIN runs r ON r.run_id = s.run_id
              WHERE s.owner = json_extract(k.value, '$[0]') AND s.monitor_id = json_extract(k.value, '$[1]')
              ORDER BY s.slot_at DESC LIMIT 1) IN ('queued', 'running', 'waiting')`,
    )
    .bind(keys)
    .all<{ owner: string; id: string }>();
  return new Set(results.map((row) => monitorKeyText({ owner: row.owner, id: row.id })));
}
