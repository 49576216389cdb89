/**
 * The Cron Trigger's work, the same in the production and development entries: start the monitors
 * that are due, end the durable runs whose instance ended without their record, then delete what
 * is past its retention. Each part fails alone: a failing sweep never keeps a monitor from
 * starting, and the other way round.
 */
import type { Env } from "./env.ts";
import { errorKind } from "./log.ts";
import { runMonitorTick } from "./monitor-tick.ts";
import type { RouteDeps } from "./routes/context.ts";
import { sweepEndedRuns } from "./run-reconcile.ts";
import { pruneExpired } from "./store/retention.ts";

/**
 * Runs one Cron Trigger invocation for `at` (the controller's `scheduledTime`).
 * @example
 * export default {
 *   scheduled: (controller, env) => runScheduled(env, controller.scheduledTime, deps),
 * };
 */
export async function runScheduled(env: Env, at: number, deps: RouteDeps): Promise<void> {
  await runMonitorTick(env, at, deps);
  try {
    const swept = await sweepEndedRuns(env, deps);
    if (swept.checked > 0) deps.log("info", "ended-run sweep", { ...swept });
  } catch (error) {
    deps.log("warn", "ended-run sweep failed", { error: errorKind(error) });
  }
  if (env.DB === undefined) return;
  try {
    const pruned = await pruneExpired(env.DB, at);
    deps.log("info", "retention sweep", { ...pruned });
  } catch (error) {
    deps.log("warn", "retention sweep failed", { error: errorKind(error) });
  }
}
