/**
 * Durable run records whose Workflow instance ended without writing them (an operator's
 * terminate, a crash no handler saw) are made `errored`, as the run's own failure handler would
 * have, and a monitor's run alerts as it would have. Two ways find them: a read of the run
 * (`GET /runs/:runId`) and the Cron Trigger's sweep, which asks the engine about a few open runs
 * least recently heard of, so a run nobody reads is still ended and alerted.
 */
import type { Env } from "./env.ts";
import { alertOutsideWorkflow } from "./monitor-direct-alert.ts";
import type { RouteDeps } from "./routes/context.ts";
import { markEngineChecked, quietOpenRuns } from "./store/engine-checks.ts";
import { monitorOfRun } from "./store/monitor-slots.ts";
import { FINAL_STATUSES, type RunRecord, updateRun } from "./store/runs.ts";
import { ENDED_ENGINE_STATUSES, instanceStatus, NO_INSTANCE } from "./workflow-instance.ts";

/** How long a durable record may go unwritten before a read asks the engine about its instance. */
export const QUIET_BEFORE_ENGINE_CHECK_MS = 60_000;

/**
 * How long an open run goes unheard of (no record write, no engine answer) before the sweep asks
 * about it: longer than a step's 10-minute timeout, so a running step is never asked about.
 */
export const SWEEP_QUIET_MS = 15 * 60 * 1000;

/**
 * Most runs one sweep asks about: one or two subrequests each, beside the tick's starts.
 */
export const MAX_ENGINE_CHECKS_PER_SWEEP = 25;

/**
 * Makes `run` errored when its instance has ended, or, for a top-level run, when the engine has
 * none (its start died between writing the record and creating the instance: left queued, it
 * would also keep its monitor from ever starting again); true when this call did (false when the
 * instance goes on, cannot be read, or the record ended meanwhile: `updateRun` never changes an
 * ended record, so of two reconcilers racing only one alerts). A fan-out child has no instance
 * until it is started, and its parent looks after it.
 */
async function endIfInstanceEnded(
  runs: NonNullable<Env["RUNS"]>,
  db: D1Database,
  run: RunRecord,
  now: number,
): Promise<boolean> {
  const status = await instanceStatus(runs, run.runId);
  const ended = ENDED_ENGINE_STATUSES.has(status) || (status === NO_INSTANCE && run.parent === undefined);
  if (!ended) return false;
  return updateRun(db, run.runId, { status: "errored", waitingFor: null, now });
}

/** The alert of a run made errored here, when a monitor started it (its `alert.on` decides). */
async function alertEnded(env: Env, db: D1Database, run: RunRecord, deps: RouteDeps): Promise<void> {
  const monitor = await monitorOfRun(db, run.runId);
  if (monitor === undefined) return;
  const summary = { ...run.progress };
  await alertOutsideWorkflow(env, db, { runId: run.runId, monitor, status: "errored", summary }, deps);
}

/**
 * What a read of `run` shows: `run` itself, or, for a durable run quiet for
 * {@link QUIET_BEFORE_ENGINE_CHECK_MS} whose instance has ended, the record made `errored`. The
 * alert of a monitor's run so ended is handed to `later` (to go on after the answer).
 * @example
 * const shown = await reconciledOnRead(c.env, db, run, deps, (work) => afterAnswer(c, work));
 */
export async function reconciledOnRead(
  env: Env,
  db: D1Database,
  run: RunRecord,
  deps: RouteDeps,
  later: (work: Promise<void>) => Promise<void>,
): Promise<RunRecord> {
  const runs = env.RUNS;
  if (runs === undefined || run.mode !== "durable" || FINAL_STATUSES.has(run.status)) return run;
  const now = Date.now();
  // A waiting run is quiet for days (its instance says `waiting`): asked at most once a minute.
  if (now - run.updatedAt < QUIET_BEFORE_ENGINE_CHECK_MS) return run;
  if (await endIfInstanceEnded(runs, db, run, now)) {
    await later(alertEnded(env, db, run, deps));
    return { ...run, status: "errored", updatedAt: now, waitingFor: undefined };
  }
  return run;
}

/** What one sweep did, in counts (logged). */
export interface SweepOutcome {
  checked: number;
  ended: number;
}

/**
 * The Cron Trigger's sweep: asks the engine about at most
 * {@link MAX_ENGINE_CHECKS_PER_SWEEP} open durable runs unheard of for {@link SWEEP_QUIET_MS},
 * ends (and alerts) those whose instance has ended, and notes the others as heard of, so the next
 * sweeps ask about other runs.
 * @example
 * const { checked, ended } = await sweepEndedRuns(env, deps);
 */
export async function sweepEndedRuns(env: Env, deps: RouteDeps): Promise<SweepOutcome> {
  const { DB: db, RUNS: runs } = env;
  if (db === undefined || runs === undefined) return { checked: 0, ended: 0 };
  // The clock the records were written with, not the controller's scheduled time (which may lag).
  const quiet = await quietOpenRuns(db, Date.now() - SWEEP_QUIET_MS, MAX_ENGINE_CHECKS_PER_SWEEP);
  const goingOn: string[] = [];
  const ended: RunRecord[] = [];
  for (const run of quiet) {
    if (await endIfInstanceEnded(runs, db, run, Date.now())) ended.push(run);
    else goingOn.push(run.runId);
  }
  await markEngineChecked(db, goingOn, Date.now());
  // Side by side: one slow alert receiver must not hold up the others' alerts.
  await Promise.all(ended.map((run) => alertEnded(env, db, run, deps)));
  return { checked: quiet.length, ended: ended.length };
}
