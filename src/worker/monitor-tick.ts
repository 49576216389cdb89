/**
 * The Cron Trigger (`*\/5 * * * *`): at each tick, every monitor with a fire time in (previous
 * tick, this tick] is started as a durable run owned by the monitor's owner, and so is a monitor
 * whose latest fire time in the last {@link CATCH_UP_MS} no tick started (left out by the cap, or
 * a tick that did not run), oldest fire time first. The slot is claimed in D1 first (INSERT OR
 * IGNORE on monitor, fire time), so when two invocations overlap only one starts the run. Work per
 * invocation is bounded: at most {@link MAX_MONITORS_SCANNED} monitors read and
 * {@link MAX_STARTS_PER_TICK} runs started; the rest wait for the next ticks (counts logged).
 * A monitor runs only the stored collection it was saved with (`collectionPin`): another content
 * under its id is a start error, `COLLECTION_CHANGED`, recorded and alerted like the others.
 */
import type { Cron } from "croner";
import { CollectionStore } from "./collections-store.ts";
import { readWorkerConfig } from "./config.ts";
import { monitorSealer } from "./durable-seal.ts";
import { INPUTS_PURPOSE, launchDurableRun } from "./durable-start.ts";
import type { Env } from "./env.ts";
import { WorkerError } from "./errors.ts";
import { errorKind } from "./log.ts";
import { alertOutsideWorkflow } from "./monitor-direct-alert.ts";
import { latestFire, TICK_MS } from "./monitor-schedule.ts";
import { validCollection } from "./routes/collections.ts";
import type { RouteDeps } from "./routes/context.ts";
import type { WorkerRunInputs } from "./run-inputs.ts";
import { monitorKeyText, monitorsWithRunGoingOn } from "./store/monitor-activity.ts";
import { claimedSlots, claimSlot, markSlotFailed, releaseSlot, slotKey } from "./store/monitor-slots.ts";
import {
  collectionPin,
  getMonitor,
  MAX_MONITORS,
  type MonitorSchedule,
  scanSchedules,
} from "./store/monitors.ts";
import { NO_PROGRESS } from "./store/runs.ts";

/**
 * Most runs one tick starts. Each start costs about five subrequests (the claim, the collection,
 * a token unless cached, the record, the Workflow instance); 25 stay well inside a paid plan's
 * 1,000 per invocation. Past it, due monitors wait for the next ticks (logged with their count),
 * which catch their fire time up within {@link CATCH_UP_MS}.
 */
export const MAX_STARTS_PER_TICK = 25;

/**
 * How far back a tick looks for a monitor's latest fire time that no tick started: six ticks of
 * {@link MAX_STARTS_PER_TICK}, so 150 monitors sharing a fire time all get it. Only the latest fire
 * time of each monitor, and only one after the monitor was last saved, is caught up.
 */
export const CATCH_UP_MS = 30 * 60 * 1000;

/** Most monitors one tick reads, in pages of {@link SCAN_PAGE}: all a deployment may hold. */
export const MAX_MONITORS_SCANNED = MAX_MONITORS;
const SCAN_PAGE = 250;

/** What one tick did, in counts (also logged). */
export interface TickOutcome {
  /** Monitors with a fire time in this tick. */
  due: number;
  /** Monitors whose earlier fire time (within {@link CATCH_UP_MS}) no tick started. */
  missed: number;
  started: number;
  /** Slots another invocation had claimed already. */
  alreadyClaimed: number;
  /** Claimed slots whose run could not be started (recorded on the slot). */
  failed: number;
  /** Due or missed monitors left out by {@link MAX_STARTS_PER_TICK} (the next ticks take them). */
  deferred: number;
  /** Due or missed monitors not started because their previous run goes on. */
  overlapping: number;
}

/** A monitor to start, at its fire time. */
interface DueMonitor {
  monitor: MonitorSchedule;
  slotAt: number;
}

/** The monitors to start: those due in this tick, and those whose latest fire time was missed. */
interface TickWork {
  due: DueMonitor[];
  missed: DueMonitor[];
}

/** Those of `earlier` whose slot no tick claimed; none when D1 cannot say (the due ones still start). */
async function unclaimed(
  db: D1Database,
  earlier: readonly DueMonitor[],
  deps: RouteDeps,
): Promise<DueMonitor[]> {
  const slotOf = ({ monitor, slotAt }: DueMonitor) => ({ owner: monitor.owner, id: monitor.id, slotAt });
  try {
    const claimed = await claimedSlots(db, earlier.map(slotOf));
    return earlier.filter((entry) => !claimed.has(slotKey(slotOf(entry))));
  } catch (error) {
    deps.log("warn", "missed monitor slots not looked up", { error: errorKind(error) });
    return [];
  }
}

async function tickWork(db: D1Database, tickAt: number, deps: RouteDeps): Promise<TickWork> {
  const work: TickWork = { due: [], missed: [] };
  const parsed = new Map<string, Cron>();
  // Monitors often share a schedule: its latest fire time is found once per tick.
  const latest = new Map<string, number | undefined>();
  const latestOf = (schedule: string): number | undefined => {
    if (!latest.has(schedule)) {
      latest.set(schedule, latestFire(schedule, tickAt - CATCH_UP_MS, tickAt, parsed));
    }
    return latest.get(schedule);
  };
  let after: { owner: string; id: string } | undefined;
  for (let scanned = 0; scanned < MAX_MONITORS_SCANNED; ) {
    const page = await scanSchedules(db, after, SCAN_PAGE);
    const earlier: DueMonitor[] = [];
    for (const monitor of page) {
      try {
        const slotAt = latestOf(monitor.schedule);
        if (slotAt === undefined) continue;
        if (slotAt > tickAt - TICK_MS) work.due.push({ monitor, slotAt });
        else if (slotAt > monitor.updatedAt) earlier.push({ monitor, slotAt });
      } catch (error) {
        // Checked when stored; a parser upgrade that refuses it now must not stop the others.
        deps.log("warn", "monitor schedule unreadable", { monitor: monitor.id, error: errorKind(error) });
      }
    }
    work.missed.push(...(await unclaimed(db, earlier, deps)));
    scanned += page.length;
    const last = page[page.length - 1];
    if (page.length < SCAN_PAGE || last === undefined) return work;
    after = { owner: last.owner, id: last.id };
  }
  deps.log("warn", "monitors past the scan limit were not looked at", { limit: MAX_MONITORS_SCANNED });
  return work;
}

/** Fisher-Yates with the platform's random values: which monitors wait is not always the same. */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  const random = crypto.getRandomValues(new Uint32Array(copy.length));
  for (let index = copy.length - 1; index > 0; index--) {
    const other = (random[index] ?? 0) % (index + 1);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

/** Starts the run of a claimed slot; the error code when it cannot be started. */
async function startMonitorRun(
  env: Env,
  db: D1Database,
  runs: NonNullable<Env["RUNS"]>,
  due: DueMonitor,
  runId: string,
  deps: RouteDeps,
): Promise<string | undefined> {
  try {
    // Read whole only now: the scan leaves the inputs out, which may be large.
    const monitor = await getMonitor(db, due.monitor.owner, due.monitor.id);
    if (monitor === undefined) return "MONITOR_DELETED";
    const found = await new CollectionStore(deps.bundled, env.COLLECTIONS).get(monitor.collection);
    if (found === undefined) return "COLLECTION_NOT_FOUND";
    const pinned = monitor.collectionSha256;
    if (pinned === undefined) {
      // Saved before pins existed (migrations/0008): run as before until its owner saves it again.
      deps.log("warn", "monitor collection not pinned; save the monitor again to pin it", {
        monitor: monitor.id,
      });
    } else if (found.source !== "bundled" && (await collectionPin(found.value)) !== pinned) {
      // Stored collections are shared: another caller may have replaced this one since the
      // owner saved the monitor, and it would run as the owner, with the owner's sealed inputs.
      // A bundled one is deployed code, which no caller can change (a stored one never shadows
      // it; one found under its id after a deploy removed it is compared like any stored one).
      return "COLLECTION_CHANGED";
    }
    const collection = validCollection(found.value, "");
    const credentials =
      typeof deps.credentials === "function" ? deps.credentials(collection) : deps.credentials;
    const config = readWorkerConfig(env, credentials);
    const sealer = await monitorSealer(config.credentials, monitor.owner, monitor.id);
    const inputs = await sealer.open<WorkerRunInputs>(INPUTS_PURPOSE, monitor.inputs);
    await launchDurableRun({
      runId,
      owner: monitor.owner,
      collection,
      collectionId: monitor.collection,
      source: found.source,
      inputs,
      config,
      client: {
        env,
        certnFetch: deps.certnFetch,
        tokenStore: deps.tokenStore,
        log: deps.log,
        ...(deps.maxUpstreamConcurrency === undefined ? {} : { maxConcurrency: deps.maxUpstreamConcurrency }),
      },
      db,
      runs,
      now: Date.now(),
      monitor: { owner: monitor.owner, id: monitor.id },
    });
    return undefined;
  } catch (error) {
    return error instanceof WorkerError ? error.code : errorKind(error);
  }
}

/** How many candidates one look-up of going-on runs asks about. */
const OVERLAP_CHECK_BATCH = 100;

/**
 * The first {@link MAX_STARTS_PER_TICK} of `ordered` whose monitor has no run going on (a monitor
 * never has two at once: a fire time that comes while its previous run goes on is not started,
 * and its latest such fire time is caught up within {@link CATCH_UP_MS} of that run's end), with
 * the counts of those left out for overlapping and for the cap.
 */
async function startable(
  db: D1Database,
  ordered: readonly DueMonitor[],
): Promise<{ chosen: DueMonitor[]; overlapping: number; deferred: number }> {
  const chosen: DueMonitor[] = [];
  let overlapping = 0;
  let index = 0;
  while (index < ordered.length && chosen.length < MAX_STARTS_PER_TICK) {
    const batch = ordered.slice(index, index + OVERLAP_CHECK_BATCH);
    const busy = await monitorsWithRunGoingOn(
      db,
      batch.map((entry) => entry.monitor),
    );
    for (const entry of batch) {
      index += 1;
      if (busy.has(monitorKeyText(entry.monitor))) overlapping += 1;
      else chosen.push(entry);
      if (chosen.length === MAX_STARTS_PER_TICK) break;
    }
  }
  return { chosen, overlapping, deferred: ordered.length - index };
}

/**
 * Runs one tick of the Cron Trigger for `tickAt` (the controller's `scheduledTime`).
 * @example
 * export default {
 *   scheduled: (controller, env, ctx) => ctx.waitUntil(runMonitorTick(env, controller.scheduledTime, deps)),
 * };
 */
export async function runMonitorTick(env: Env, tickAt: number, deps: RouteDeps): Promise<TickOutcome> {
  const outcome: TickOutcome = {
    due: 0,
    missed: 0,
    started: 0,
    alreadyClaimed: 0,
    failed: 0,
    deferred: 0,
    overlapping: 0,
  };
  const { DB: db, RUNS: runs } = env;
  if (db === undefined || runs === undefined) {
    deps.log("warn", "monitors need the DB (D1) and RUNS (Workflow) bindings; tick skipped");
    return outcome;
  }
  const { due, missed } = await tickWork(db, tickAt, deps);
  outcome.due = due.length;
  outcome.missed = missed.length;
  // Oldest fire time first; which of one fire time wait is not always the same (the sort is stable).
  const ordered = shuffled([...missed, ...due]).sort((a, b) => a.slotAt - b.slotAt);
  const { chosen, overlapping, deferred } = await startable(db, ordered);
  outcome.overlapping = overlapping;
  outcome.deferred = deferred;
  const failures: Array<() => Promise<void>> = [];
  for (const entry of chosen) {
    const runId = crypto.randomUUID();
    if (!(await claimSlot(db, entry.monitor, entry.slotAt, runId, Date.now()))) {
      outcome.alreadyClaimed += 1;
      continue;
    }
    const failure = await startMonitorRun(env, db, runs, entry, runId, deps);
    if (failure === undefined) {
      outcome.started += 1;
      continue;
    }
    if (failure === "MONITOR_DELETED") {
      // Deleted since the scan: its slot goes too, or a monitor saved again under its id would
      // show this fire time as its own failed run.
      await releaseSlot(db, runId);
      continue;
    }
    outcome.failed += 1;
    await markSlotFailed(db, runId, failure);
    deps.log("warn", "monitor run not started", { monitor: entry.monitor.id, runId, error: failure });
    const summary = { ...NO_PROGRESS };
    // Sent once every start is done, side by side: a slow receiver of one caller's alert (up to
    // three 10 s attempts) must not hold up the starts of other callers' monitors.
    const run = { runId, monitor: entry.monitor, status: "errored" as const, summary, startError: failure };
    failures.push(async () => alertOutsideWorkflow(env, db, run, deps));
  }
  await Promise.all(failures.map((alert) => alert()));
  deps.log("info", "monitor tick", { tickAt: new Date(tickAt).toISOString(), ...outcome });
  return outcome;
}
