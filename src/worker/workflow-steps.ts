/**
 * The Workflow steps one durable run's instance may take, worked out before it starts. An instance
 * that reaches the engine's limit errors part-way, after sending (perhaps ordering) everything
 * before, so a run that could reach it is refused with 422 `RUN_TOO_LARGE` and the arithmetic,
 * the way the subrequest budget refuses an immediate run. Each fan-out child is an instance of its
 * own (one data row); the parent's instance creates them in batches and waits.
 */
import { type Item, isFolder, isWaitItem } from "../collection/model.ts";
import { DEFAULT_POLL_MAX_ATTEMPTS, type RunEstimate } from "../runner/index.ts";
import { WorkerError } from "./errors.ts";
import { FAN_OUT_BATCH } from "./fan-out.ts";

/**
 * Steps one Workflow instance may take: the engine's default on the Workers Paid plan (1,024 on
 * the Free plan). `step.sleep` does not count towards it, so poll intervals, `delayMs` pauses
 * and the sleeps before asking the rate budget again cost nothing; `step.do` and
 * `step.waitForEvent` are counted. See https://developers.cloudflare.com/workflows/reference/limits/
 */
export const WORKFLOW_STEP_LIMIT = 10_000;

/**
 * Steps of the limit no run is planned to use: an exchange whose rate-limit slot is more than
 * 30 s away ends unsent and is tried again as another step after a sleep (a spent day window, a
 * 429's pause, other runs of the credential), which nothing known at the start can count.
 */
export const SLOT_ROUND_RESERVE = 1_000;

/** Most steps a durable run (or a fan-out parent) is planned to take. */
export const MAX_PLANNED_STEPS = WORKFLOW_STEP_LIMIT - SLOT_ROUND_RESERVE;

/**
 * A webhook wait's `waitForEvent` runs in slices of a minute doubling up to 6 hours, with a step
 * that looks at stored events before each one and after the last (durable-run.ts,
 * `waitForWebhook`); test/workers/worker/workflow-steps.test.ts checks these against it.
 */
const FIRST_WAIT_SLICE_MS = 60_000;
const LONGEST_WAIT_SLICE_MS = 6 * 60 * 60_000;

/**
 * The most steps one webhook wait of `timeoutMs` takes (a `wait` item, or a poll interval with
 * `wakeOn`): two a slice of its `waitForEvent` (the look at stored events, the wait), the look
 * after the last slice, and the step that closes it.
 * @example
 * waitSteps(30_000); // 4
 * waitSteps(7 * 24 * 60 * 60_000); // 74
 */
export function waitSteps(timeoutMs: number): number {
  let slices = 0;
  for (let waited = 0; waited < timeoutMs; slices += 1) {
    waited += Math.min(FIRST_WAIT_SLICE_MS * 2 ** Math.min(slices, 30), LONGEST_WAIT_SLICE_MS);
  }
  return 2 * slices + 2;
}

/** Steps of a run besides its items: its finish, a fan-out child's start of the next, a monitor's alert. */
export const RUN_END_STEPS = 3;

/** Steps of a fan-out parent besides its batches and rounds: its finish and a monitor's alert. */
export const FAN_OUT_END_STEPS = 2;

/** A run's planned steps and how they add up, in words. */
export interface StepEstimate {
  /** What is counted ("durable run", "fan-out parent"). */
  kind: string;
  steps: number;
  arithmetic: string;
  /** What the caller can change. */
  advice: string;
}

/** The webhook waits of one iteration (wait items, poll intervals with `wakeOn`) and their steps. */
function waitsOf(items: readonly Item[]): { waits: number; steps: number } {
  const total = { waits: 0, steps: 0 };
  for (const item of items) {
    if (isFolder(item)) {
      const inner = waitsOf(item.items);
      total.waits += inner.waits;
      total.steps += inner.steps;
    } else if (item.skip === true) continue;
    else if (isWaitItem(item)) {
      total.waits += 1;
      total.steps += waitSteps(item.wait.timeoutMs);
    } else if (item.poll?.wakeOn !== undefined) {
      const intervals = Math.max(0, (item.poll.maxAttempts ?? DEFAULT_POLL_MAX_ATTEMPTS) - 1);
      // The runner's default interval (2 s) is one slice, as is any up to a minute.
      total.waits += intervals;
      total.steps += intervals * waitSteps(item.poll.intervalMs ?? FIRST_WAIT_SLICE_MS);
    }
  }
  return total;
}

/**
 * The most steps a durable run's instance takes: per iteration, one per exchange (each request,
 * each poll attempt: the transport's retries happen inside it) and those of its webhook waits
 * ({@link waitSteps}), times the iterations, plus {@link RUN_END_STEPS}. A poll's intervals are
 * counted as the collection sets them: a server's longer `Retry-After` stretches a `wakeOn` wait,
 * like the rounds of a wait for a rate-limit slot, out of {@link SLOT_ROUND_RESERVE}.
 * @example
 * durableRunSteps(collection.items, estimateRequests(collection, inputs)).steps; // 10,003 for 10,000 rows × 1 request
 */
export function durableRunSteps(items: readonly Item[], estimate: RunEstimate): StepEstimate {
  const exchanges = estimate.requests + estimate.pollAttempts;
  const waits = waitsOf(items);
  const perIteration = exchanges + waits.steps;
  const steps = perIteration * estimate.iterations + RUN_END_STEPS;
  return {
    kind: "durable run",
    steps,
    arithmetic:
      `${estimate.requests} requests + ${estimate.pollAttempts} poll attempts + ${waits.steps} steps of ` +
      `${waits.waits} webhook waits = ${perIteration} per iteration; × ${estimate.iterations} iterations = ` +
      `${perIteration * estimate.iterations}, + ${RUN_END_STEPS} (finish, next fan-out child, monitor alert) = ${steps}`,
    advice:
      'Fan the data rows out ("fanOut": true: each row runs as a run of its own), or use fewer ' +
      "iterations, data rows, poll attempts or webhook waits.",
  };
}

/**
 * The steps of a fan-out parent known at its start: a batch step per {@link FAN_OUT_BATCH} rows
 * and {@link FAN_OUT_END_STEPS}. Its rounds take two more each (one at most every 15 minutes once
 * the children run long), out of what is left.
 * @example
 * fanOutParentSteps(10_000).steps; // 102
 */
export function fanOutParentSteps(rows: number): StepEstimate {
  const batches = Math.ceil(rows / FAN_OUT_BATCH);
  const steps = batches + FAN_OUT_END_STEPS;
  return {
    kind: "fan-out parent",
    steps,
    arithmetic: `${batches} batches of ${FAN_OUT_BATCH} rows + ${FAN_OUT_END_STEPS} (finish, monitor alert) = ${steps}`,
    advice: "Use fewer data rows.",
  };
}

/** Throws 422 `RUN_TOO_LARGE` when the estimate is over {@link MAX_PLANNED_STEPS}. */
export function enforceStepLimit(estimate: StepEstimate): void {
  if (estimate.steps <= MAX_PLANNED_STEPS) return;
  throw new WorkerError(
    "RUN_TOO_LARGE",
    `this ${estimate.kind} may take ${estimate.steps} Workflow steps, over the ${MAX_PLANNED_STEPS} one ` +
      `instance is planned for (Workflows allow ${WORKFLOW_STEP_LIMIT}; ${SLOT_ROUND_RESERVE} are kept for ` +
      `retries after a wait for a rate-limit slot): ${estimate.arithmetic}. ${estimate.advice}`,
  );
}
