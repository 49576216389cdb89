/**
 * Data-row fan-out: a durable run with `fanOut: true` runs each data row as a child durable run.
 * The parent creates the children's records in batch steps (idempotent in D1: one child per
 * parent and row), starting the first as it goes, and keeps at most `concurrency` of them
 * running. A child that ends starts the next queued sibling itself (so the parent's step count
 * does not grow with the rows: Workflows allow 10,000 steps an instance) and, when none is left,
 * sends the parent {@link FAN_OUT_EVENT}; the parent waits for it with a growing timeout as a
 * fallback poll, each round topping up children a crashed claimer left and marking errored the
 * children whose Workflow instance ended without their record (terminated, or died before it could
 * write). The parent's state is counts: children's results stay in their own records, and their
 * requests refer to the parent's collection instead of copying it.
 */
import type { WorkflowStep, WorkflowStepConfig } from "cloudflare:workers";
import { MAX_CONCURRENCY, resolveRunSettings } from "../runner/index.ts";
import type { CertnCredentials } from "./config.ts";
import { runSealer } from "./durable-seal.ts";
import type { DurableRunParams } from "./env.ts";
import { errorKind, type Logger } from "./log.ts";
import type { WorkerRunInputs } from "./run-inputs.ts";
import {
  cancelUnstartedChildren,
  childCounts,
  claimedNotBegun,
  claimNextChild,
  countChildren,
  fanOutProgress,
  firstChildrenWith,
  hasOpenChildren,
  insertChildren,
  type NewChild,
  quietBegunChildren,
} from "./store/children.ts";
import { getRun, isCancelRequested, type RunStatus, updateRun } from "./store/runs.ts";
import { INPUTS_PURPOSE, type StoredChildRequest, type StoredRunRequest } from "./stored-request.ts";
import { ENDED_ENGINE_STATUSES, instanceStatus } from "./workflow-instance.ts";

/** Children created by one batch step (a step's work stays well under its CPU limit). */
export const FAN_OUT_BATCH = 100;

/** The event type a child sends its parent when the fan-out has nothing left to run. */
export const FAN_OUT_EVENT = "fan-out";

/** First and longest fallback poll of a waiting parent (a lost event delays it at most this). */
export const FAN_OUT_FIRST_POLL_MS = 10_000;
export const FAN_OUT_MAX_POLL_MS = 15 * 60_000;

/**
 * A child that began and whose record was not written for this long has its engine status looked
 * at by the parent's rounds (a waiting child writes nothing while it waits, so not every round).
 */
export const CHILD_QUIET_MS = 5 * 60_000;

/** Most children whose engine status one round looks at (at most `concurrency` have begun). */
export const CHILD_CHECKS_PER_ROUND = 10;

/** Failing children named in a parent's result. */
export const FAN_OUT_FAILING_SHOWN = 10;

/** What a child's stored request says of its parent (the parent's own record holds the rest). */
export type FanOutParentLink = NonNullable<StoredRunRequest["parent"]>;

/** The result of a fan-out parent: counts only, and the first failing children's run ids. */
export interface FanOutResult {
  fanOut: { rows: number; concurrency: number; children: Record<RunStatus, number> };
  failingRuns: string[];
}

type Workflows = Workflow<DurableRunParams>;

const BATCH_CONFIG: WorkflowStepConfig = {
  retries: { limit: 3, delay: "2 seconds", backoff: "exponential" },
};

/**
 * Makes sure the Workflow instance of a claimed child exists: looked up first (a local `create`
 * with an existing id does not fail, so it cannot be the test), created when missing. Its engine
 * status ("unknown" while the engine has not begun it).
 */
async function ensureInstance(runs: Workflows, runId: string): Promise<string> {
  let instance: WorkflowInstance;
  try {
    instance = await runs.get(runId);
  } catch {
    await runs.create({ id: runId, params: { runId } });
    return "queued";
  }
  try {
    return (await instance.status()).status;
  } catch {
    return "unknown";
  }
}

/**
 * Claims and starts queued children of `parentRunId` while fewer than `concurrency` run; how many
 * it started.
 * @example
 * await startChildren(env.DB, env.RUNS, parentRunId, 2);
 */
export async function startChildren(
  db: D1Database,
  runs: Workflows,
  parentRunId: string,
  concurrency: number,
): Promise<number> {
  let started = 0;
  for (;;) {
    const childId = await claimNextChild(db, parentRunId, concurrency, Date.now());
    if (childId === undefined) return started;
    // The claim is this caller's alone: no other creates this child (a crash in between is the
    // parent round's to repair, see fanOutRound).
    await runs.create({ id: childId, params: { runId: childId } });
    started += 1;
  }
}

/**
 * What a child does when it has ended: starts the next queued siblings, and tells the parent when
 * nothing of the fan-out is left to run (the parent also polls, so a lost event only delays it).
 * @example
 * if (request.parent !== undefined) await afterChildEnded(env.DB, env.RUNS, request.parent, log);
 */
export async function afterChildEnded(
  db: D1Database,
  runs: Workflows,
  parent: FanOutParentLink,
  log: Logger,
): Promise<void> {
  await startChildren(db, runs, parent.runId, parent.concurrency);
  if (!(await hasOpenChildren(db, parent.runId))) await wakeParent(runs, parent.runId, log);
}

/**
 * Wakes a fan-out parent from its wait for children (it then looks at them in D1). A parent that
 * has ended or is not waiting yet is no error: the engine keeps the event for a later wait, and
 * the parent's poll covers an event that never arrives.
 * @example
 * await wakeParent(env.RUNS, parentRunId, log);
 */
export async function wakeParent(runs: Workflows, parentRunId: string, log: Logger): Promise<void> {
  try {
    await (await runs.get(parentRunId)).sendEvent({ type: FAN_OUT_EVENT, payload: {} });
  } catch (error) {
    log("warn", "fan-out parent not woken", { runId: parentRunId, error: errorKind(error) });
  }
}

/** One round of the parent: tops up its children; how many have not ended. */
async function fanOutRound(
  db: D1Database,
  runs: Workflows,
  runId: string,
  concurrency: number,
): Promise<number> {
  const cancelled = await isCancelRequested(db, runId);
  if (cancelled) await cancelUnstartedChildren(db, runId, Date.now());
  // A claimer that stopped between its claim and the create left a child without an instance; a
  // child whose instance died before its first write never leaves "queued": it errored.
  for (const childId of await claimedNotBegun(db, runId)) {
    if (ENDED_ENGINE_STATUSES.has(await ensureInstance(runs, childId))) {
      await updateRun(db, childId, { status: "errored", now: Date.now() });
    }
  }
  // A child whose instance ended after it began without writing its end (terminated, or lost
  // before its last write) stays running or waiting: it errored. A child's own end is written
  // before its instance completes, and updateRun leaves an ended record as it is. Once cancelled,
  // every such child is looked at (the cancel wrote to each, so none looks quiet).
  const quietSince = cancelled ? Number.MAX_SAFE_INTEGER : Date.now() - CHILD_QUIET_MS;
  for (const childId of await quietBegunChildren(db, runId, quietSince, CHILD_CHECKS_PER_ROUND)) {
    if (ENDED_ENGINE_STATUSES.has(await instanceStatus(runs, childId))) {
      await updateRun(db, childId, { status: "errored", waitingFor: null, now: Date.now() });
    }
  }
  await startChildren(db, runs, runId, concurrency);
  const counts = await childCounts(db, runId);
  return counts.queued + counts.running + counts.waiting;
}

/** Everything the parent of a fan-out needs. */
export interface FanOutRun {
  db: D1Database;
  runs: Workflows;
  runId: string;
  request: StoredRunRequest;
  inputs: WorkerRunInputs;
  credentials: CertnCredentials;
  step: WorkflowStep;
}

/**
 * Runs the parent of a fan-out to its end: the children's records in batches, then rounds until
 * every child ended; its status is passed only when every child passed, failed when any failed,
 * cancelled when it was cancelled, else errored.
 * @example
 * if (inputs.fanOut === true) return executeFanOut({ db, runs, runId, request, inputs, credentials, step });
 */
export async function executeFanOut(run: FanOutRun): Promise<{ status: string }> {
  const { db, runs, runId, request, inputs, step } = run;
  const record = await getRun(db, runId);
  if (record === undefined) throw new Error("the fan-out parent has no record");
  const rows = inputs.data ?? [];
  const resolved = resolveRunSettings(request.collection, inputs);
  const concurrency = Math.min(resolved.ok ? resolved.settings.concurrency : 1, MAX_CONCURRENCY);
  const { data: _rows, fanOut: _fanOut, ...shared } = inputs;
  const link: FanOutParentLink = { runId, concurrency };
  await updateRun(db, runId, { status: "running", waitingFor: null, now: Date.now() });

  for (let first = 0, batch = 0; first < rows.length; first += FAN_OUT_BATCH, batch += 1) {
    await step.do(`fan-out batch ${batch}`, BATCH_CONFIG, async () => {
      // A parent cancelled while it still creates children creates no more.
      if (await isCancelRequested(db, runId)) return { inserted: 0, started: 0 };
      const children: NewChild[] = [];
      for (const [offset, row] of rows.slice(first, first + FAN_OUT_BATCH).entries()) {
        const childId = crypto.randomUUID();
        const sealer = await runSealer(run.credentials, childId);
        // The collection stays in the parent's record alone: 10,000 copies of one up to 1 MB
        // would fill D1 (getRunRequest puts it back when the child reads its request).
        const childRequest: StoredChildRequest = {
          collectionOf: runId,
          collectionId: request.collectionId,
          source: request.source,
          inputs: await sealer.seal(INPUTS_PURPOSE, { ...shared, data: [row] } satisfies WorkerRunInputs),
          parent: link,
        };
        children.push({ runId: childId, row: first + offset, request: JSON.stringify(childRequest) });
      }
      const parent = {
        parentRunId: runId,
        owner: record.owner,
        collection: record.collection,
        now: Date.now(),
      };
      const inserted = await insertChildren(db, parent, children);
      // The first rows start while later batches are still being made.
      return { inserted, started: await startChildren(db, runs, runId, concurrency) };
    });
  }

  let pollMs = FAN_OUT_FIRST_POLL_MS;
  for (let round = 0; ; round += 1) {
    const open = await step.do(`fan-out round ${round}`, BATCH_CONFIG, () =>
      fanOutRound(db, runs, runId, concurrency),
    );
    if (open === 0) break;
    try {
      await step.waitForEvent(`fan-out wait ${round}`, { type: FAN_OUT_EVENT, timeout: pollMs });
    } catch {
      // The timeout: the fallback poll, in case a child's event was lost.
    }
    pollMs = Math.min(pollMs * 2, FAN_OUT_MAX_POLL_MS);
  }

  return step.do("fan-out finish", BATCH_CONFIG, async () => {
    const counts = await childCounts(db, runId);
    const cancelled = await isCancelRequested(db, runId);
    const created = await countChildren(db, runId);
    let status: RunStatus = "passed";
    if (cancelled) status = "cancelled";
    else if (counts.failed > 0) status = "failed";
    else if (counts.passed < rows.length || created < rows.length) status = "errored";
    const result: FanOutResult = {
      fanOut: { rows: rows.length, concurrency, children: counts },
      failingRuns: await firstChildrenWith(
        db,
        runId,
        ["failed", "errored", "cancelled"],
        FAN_OUT_FAILING_SHOWN,
      ),
    };
    await updateRun(db, runId, {
      status,
      progress: fanOutProgress(rows.length, counts),
      waitingFor: null,
      result: JSON.stringify(result),
      now: Date.now(),
    });
    return { status };
  });
}
