/**
 * A monitor as the API shows it: its alert URL redacted, its recent runs with their durations,
 * the pass rate over them and the recent alert deliveries.
 */
import { nextFire } from "./monitor-schedule.ts";
import type { RecordedDelivery } from "./store/alert-deliveries.ts";
import { type MonitorRun, slotStatus } from "./store/monitor-slots.ts";
import type { MonitorListing } from "./store/monitors.ts";
import { FINAL_STATUSES } from "./store/runs.ts";

/** How many recent runs `GET /monitors/:id` shows (and its pass rate covers). */
export const MONITOR_HISTORY = 20;

/**
 * The fields every monitor view has (`GET /monitors` lists these); `nextRunAt` is the schedule's
 * next fire time after `now` (the Cron Trigger starts it at the first tick at or after it).
 * @example
 * json({ monitors: (await listMonitors(db, owner, 200)).map((monitor) => monitorSummary(monitor, Date.now())) });
 */
export function monitorSummary(monitor: MonitorListing, now: number): Record<string, unknown> {
  const next = nextFire(monitor.schedule, now);
  return {
    id: monitor.id,
    collection: monitor.collection,
    // The collection's content it runs (null: saved before pins, it runs the collection as it stands).
    collectionSha256: monitor.collectionSha256 ?? null,
    schedule: monitor.schedule,
    nextRunAt: next === undefined ? null : new Date(next).toISOString(),
    alert: monitor.alert === undefined ? null : { url: monitor.alert.shown, on: monitor.alert.on },
    createdAt: new Date(monitor.createdAt).toISOString(),
    updatedAt: new Date(monitor.updatedAt).toISOString(),
  };
}

/**
 * Passed runs over the runs that ended passing, failing or errored (cancelled ones and those
 * still going left out), or null when there are none.
 * @example
 * passRate([{ status: "passed", startError: undefined }, { status: "failed", startError: undefined }]); // 0.5
 */
export function passRate(runs: readonly Pick<MonitorRun, "status" | "startError">[]): number | null {
  const judged = runs
    .map(slotStatus)
    .filter((status) => status !== undefined && status !== "cancelled" && FINAL_STATUSES.has(status));
  if (judged.length === 0) return null;
  return judged.filter((status) => status === "passed").length / judged.length;
}

/**
 * `GET /monitors/:id`: the summary, the last runs newest first and the pass rate.
 * @example
 * json(monitorDetail(monitor, Date.now(), await monitorRuns(db, key, MONITOR_HISTORY), deliveries));
 */
export function monitorDetail(
  monitor: MonitorListing,
  now: number,
  runs: readonly MonitorRun[],
  deliveries: readonly RecordedDelivery[],
): Record<string, unknown> {
  return {
    ...monitorSummary(monitor, now),
    lastRuns: runs.map((run) => {
      const ended = run.status !== undefined && FINAL_STATUSES.has(run.status) && run.updatedAt !== undefined;
      return {
        runId: run.runId,
        // A slot whose run could not be started has no run record: it shows as errored, with why.
        status: slotStatus(run) ?? "queued",
        slot: new Date(run.slotAt).toISOString(),
        startedAt: new Date(run.startedAt).toISOString(),
        durationMs: ended ? Math.max(0, (run.updatedAt ?? run.startedAt) - run.startedAt) : null,
        ...(run.startError === undefined ? {} : { startError: run.startError }),
      };
    }),
    passRate: passRate(runs),
    alertDeliveries: deliveries.map((delivery) => ({
      runId: delivery.runId,
      attempt: delivery.attempt,
      at: new Date(delivery.at).toISOString(),
      ok: delivery.ok,
      status: delivery.status ?? null,
      ...(delivery.errorCode === undefined ? {} : { errorCode: delivery.errorCode }),
    })),
  };
}
