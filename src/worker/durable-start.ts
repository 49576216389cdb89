/**
 * Starting a durable run (`Prefer: respond-async`): the same checks as an immediate run (but no
 * subrequest budget: each step is its own invocation; the Workflow steps of one instance instead),
 * a token first (502 when Certn refuses the credentials), then the record (queued, with the
 * request and its sealed inputs) and the Workflow instance named by the run id. Answers 202 with
 * `Location: /runs/<id>`.
 */
import type { Collection } from "../collection/model.ts";
import { type ClientContext, createRequestClient } from "./certn-client.ts";
import type { WorkerConfig } from "./config.ts";
import { runSealer } from "./durable-seal.ts";
import type { DurableRunParams } from "./env.ts";
import { json } from "./routes/context.ts";
import { checkRunCanStart, ensureToken, type RunRequest } from "./run-execution.ts";
import type { WorkerRunInputs } from "./run-inputs.ts";
import { insertRun, updateRun } from "./store/runs.ts";
import { INPUTS_PURPOSE, type StoredRunRequest } from "./stored-request.ts";
import { enforceStepLimit, fanOutParentSteps } from "./workflow-steps.ts";

export { INPUTS_PURPOSE, type StoredRunRequest } from "./stored-request.ts";

/** Everything needed to start one durable run. */
export interface DurableStart {
  runId: string;
  owner: string;
  collection: Collection;
  collectionId: string | undefined;
  source: RunRequest["source"];
  inputs: WorkerRunInputs;
  config: WorkerConfig;
  client: ClientContext;
  db: D1Database;
  runs: Workflow<DurableRunParams>;
  now: number;
  /** The monitor that started the run, whose alert follows its end. */
  monitor?: DurableRunParams["monitor"];
}

/**
 * Starts a durable run and answers 202.
 * @example
 * return startDurableRun({ runId: crypto.randomUUID(), owner, collection, ... });
 */
export async function startDurableRun(start: DurableStart): Promise<Response> {
  await launchDurableRun(start);
  const { runId } = start;
  return json({ runId, status: "queued" }, 202, { location: `/runs/${runId}`, "x-run-id": runId });
}

/**
 * Starts a durable run: its checks, a token, its record (queued) and its Workflow instance.
 * @throws WorkerError when a check refuses it (nothing recorded); the engine's error when the
 * instance cannot be created (the record then says "errored")
 * @example
 * await launchDurableRun({ ...start, monitor: { owner: "alice", id: "nightly" } });
 */
export async function launchDurableRun(start: DurableStart): Promise<void> {
  const { runId, config, db, runs } = start;
  // A fan-out parent runs nothing itself: each child runs one row, so one row is what is checked.
  const fanOut = start.inputs.fanOut === true;
  const rows = start.inputs.data ?? [];
  checkRunCanStart(
    fanOut ? { ...start, inputs: { ...start.inputs, data: rows.slice(0, 1) } } : start,
    "durable",
  );
  // The parent's own instance creates the children in batches and waits for them.
  if (fanOut) enforceStepLimit(fanOutParentSteps(rows.length));
  const sealer = await runSealer(config.credentials, runId);
  if (start.inputs.dryRun !== true) await ensureToken(createRequestClient(config, start.client));
  const request: StoredRunRequest = {
    collection: start.collection,
    collectionId: start.collectionId,
    source: start.source,
    inputs: await sealer.seal(INPUTS_PURPOSE, start.inputs),
  };
  await insertRun(db, {
    runId,
    owner: start.owner,
    collection: start.collectionId ?? "ad-hoc",
    mode: "durable",
    status: "queued",
    request: JSON.stringify(request),
    ...(fanOut ? { fanOutRows: rows.length } : {}),
    now: start.now,
  });
  try {
    await runs.create({
      id: runId,
      params: start.monitor === undefined ? { runId } : { runId, monitor: start.monitor },
    });
  } catch (error) {
    await updateRun(db, runId, { status: "errored", now: Date.now() });
    throw error;
  }
}
