/**
 * Runs the planned collections one after another, with live progress, until the last one, Ctrl-C,
 * the `--deadline` or `--bail` stops them. Collections that cannot start are listed as not run.
 */
import type { RunResult, WebhookEventSource } from "../../runner/index.ts";
import type { CollectionFile } from "../collection-files.ts";
import { createProgress, type Progress, progressOptions } from "../progress.ts";
import { runPassed, summaryLine } from "../reports.ts";
import type { Output, Runtime } from "../runtime.ts";
import type { LoadedCollection, RunPlan } from "./run-plan.ts";

/** The runner's entry, loaded on demand. */
type Runner = typeof import("../../runner/index.ts");

/** One collection's run. */
export interface CollectionRun {
  file: CollectionFile;
  result: RunResult;
}

/** What running the plan gave. */
export interface RunOutcome {
  runs: CollectionRun[];
  /** Ctrl-C stopped the runs. */
  interrupted: boolean;
  /** The `--deadline` passed before everything ran. */
  deadlinePassed: boolean;
}

/** Ctrl-C and the `--deadline`, as one abort signal for the runs. */
interface RunStop {
  readonly signal: AbortSignal;
  readonly interrupted: boolean;
  /** The deadline was seen to pass (by the timer, or by {@link RunStop.deadlinePassed}). */
  readonly deadlineHit: boolean;
  /** Ms left before the deadline, or undefined without one. */
  remainingMs(): number | undefined;
  /** Whether the deadline has passed by now (and records it when it has). */
  deadlinePassed(): boolean;
  dispose(): void;
}

/**
 * On simulated time every wait of the runner passes at once, its deadline timer included; so
 * against the simulator the deadline is a real timer here that stops the run like Ctrl-C. Against
 * Certn the runner keeps the deadline itself (it also bounds attempts and poll waits).
 */
function createRunStop(runtime: Runtime, deadlineMs: number | undefined, simulatedTime: boolean): RunStop {
  const controller = new AbortController();
  const started = Date.now();
  const state = { interrupted: false, deadlineHit: false };
  const stopListening = runtime.onInterrupt(() => {
    state.interrupted = true;
    controller.abort();
  });
  const timer =
    deadlineMs !== undefined && simulatedTime
      ? setTimeout(() => {
          state.deadlineHit = true;
          controller.abort();
        }, deadlineMs)
      : undefined;
  return {
    signal: controller.signal,
    get interrupted() {
      return state.interrupted;
    },
    get deadlineHit() {
      return state.deadlineHit;
    },
    remainingMs() {
      return deadlineMs === undefined ? undefined : deadlineMs - (Date.now() - started);
    },
    deadlinePassed() {
      const remaining = this.remainingMs();
      if (remaining !== undefined && remaining <= 0) state.deadlineHit = true;
      return state.deadlineHit;
    },
    dispose() {
      stopListening();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

/** Why a collection may not start, or undefined when it may. */
function notRunReason(stop: RunStop, bailed: boolean): string | undefined {
  if (stop.deadlinePassed()) return "deadline passed";
  if (stop.interrupted) return "interrupted";
  return bailed ? "--bail" : undefined;
}

/** Runs one collection with the plan's inputs. */
function runOne(
  runner: Runner,
  plan: RunPlan,
  { collection }: LoadedCollection,
  stop: RunStop,
  progress: Progress,
  webhooks: WebhookEventSource | undefined,
): Promise<RunResult> {
  const { connection } = plan;
  const remaining = stop.remainingMs();
  return runner.runCollection(collection, {
    client: connection.clientFor(collection),
    ...plan.inputs,
    ...(remaining !== undefined && !connection.clock ? { deadlineMs: remaining } : {}),
    signal: stop.signal,
    onEvent: (event) => progress.onEvent(event),
    ...(webhooks ? { webhooks } : {}),
    ...(connection.clock ? { now: connection.clock.now, sleep: connection.clock.sleep } : {}),
  });
}

/**
 * Runs every planned collection in turn; `out` gets the progress. `webhooks` (the
 * `--webhook-port` receiver's hub) feeds wait items and `poll.wakeOn`; in simulator mode the
 * connection's own hub does.
 */
export async function runCollections(
  plan: RunPlan,
  runtime: Runtime,
  out: Output,
  webhooks?: WebhookEventSource,
): Promise<RunOutcome> {
  const runner = await import("../../runner/index.ts");
  const progress = createProgress(out, progressOptions(out, runtime.env));
  const stop = createRunStop(runtime, plan.deadlineMs, plan.connection.clock !== undefined);
  const runs: CollectionRun[] = [];
  let bailed = false;
  try {
    for (const [index, loaded] of plan.collections.entries()) {
      const why = notRunReason(stop, bailed);
      if (why !== undefined) {
        out.write(`Not run: ${loaded.file.shown} (${why})\n`);
        continue;
      }
      if (index > 0) out.write("\n");
      out.write(`Running "${loaded.collection.name}" (${loaded.file.shown})\n`);
      const result = await runOne(runner, plan, loaded, stop, progress, webhooks ?? plan.connection.webhooks);
      progress.close();
      runs.push({ file: loaded.file, result });
      out.write(`${summaryLine(result.summary, result.durationMs)}\n`);
      if (plan.inputs.bail === true && !runPassed(result)) bailed = true;
    }
  } finally {
    stop.dispose();
    progress.close();
  }
  // An item the runner's deadline cut short or kept from starting carries its code.
  const cutByDeadline = runs.some(({ result }) =>
    result.items.some((item) => item.error?.code === runner.RunnerErrorCode.DEADLINE),
  );
  return { runs, interrupted: stop.interrupted, deadlinePassed: stop.deadlineHit || cutByDeadline };
}
