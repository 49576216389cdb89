/**
 * Runs the planned collections one after another, with live progress, until the last one, Ctrl-C,
 * SIGTERM, the `--deadline` or `--bail` stops them. Collections that cannot start are listed as
 * not run.
 */
import type { Variables } from "../../collection/model.ts";
import { createSecretMasker } from "../../core/mask-secrets.ts";
import { printable } from "../../core/printable.ts";
import type { ItemResult, RunResult, WebhookEventSource } from "../../runner/index.ts";
import type { CollectionFile } from "../collection-files.ts";
import { createProgress, type Progress, progressOptions } from "../progress.ts";
import { reportBaseNames, reportPath, runPassed, summaryLine } from "../reports.ts";
import type { InterruptSignal, Output, Runtime } from "../runtime.ts";
import {
  isStreamed,
  type StreamedReporter,
  type StreamedReports,
  startStreamedReports,
} from "../streamed-reports.ts";
import type { ReporterName } from "./run-options.ts";
import type { LoadedCollection, RunPlan } from "./run-plan.ts";

/** The runner's entry, loaded on demand. */
type Runner = typeof import("../../runner/index.ts");

/** One collection's run. */
export interface CollectionRun {
  file: CollectionFile;
  result: RunResult;
  /** The report files written as the run went (`--out` with json or junit). */
  written: string[];
  /** The name its report files take under `--out` (unique among the planned collections). */
  baseName: string;
  /** What the run's items captured (strings, numbers, booleans), the last value of each name. */
  captured: Variables;
  /** Names whose last capture was reported masked (a secret or personal value): not in `captured`. */
  masked: string[];
  /** An item the runner's deadline cut short or kept from starting. */
  cutByDeadline: boolean;
}

/** Where and how the reports go, for the runs to stream what they can. */
export interface ReportPlan {
  /** `--out`: the reports' folder, or undefined for stdout. */
  out: string | undefined;
  reporters: readonly ReporterName[];
}

/** What running the plan gave. */
export interface RunOutcome {
  runs: CollectionRun[];
  /** What stopped the runs: Ctrl-C (SIGINT) or SIGTERM; undefined when nothing did. */
  interrupted: InterruptSignal | undefined;
  /** The `--deadline` passed before everything ran. */
  deadlinePassed: boolean;
}

/** Ctrl-C, SIGTERM and the `--deadline`, as one abort signal for the runs. */
interface RunStop {
  readonly signal: AbortSignal;
  /** The signal that interrupted the runs, if one did. */
  readonly interrupted: InterruptSignal | undefined;
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
  const state: { interrupted: InterruptSignal | undefined; deadlineHit: boolean } = {
    interrupted: undefined,
    deadlineHit: false,
  };
  const stopListening = runtime.onInterrupt((signal) => {
    state.interrupted = signal;
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
  if (stop.interrupted) return stop.interrupted === "SIGTERM" ? "terminated" : "interrupted";
  return bailed ? "--bail" : undefined;
}

/**
 * Runs one collection with the plan's inputs. Each item result is seen once, as it is made: its
 * captures and deadline code noted, and written to the streamed report files, so the result only
 * keeps what the runner's default keeps (every item of a small run, the failures of a large one)
 * unless a report needs them all (HTML, or a machine-readable report on stdout).
 */
async function runOne(
  runner: Runner,
  plan: RunPlan,
  { collection, file }: LoadedCollection,
  stop: RunStop,
  progress: Progress,
  webhooks: WebhookEventSource | undefined,
  reports: ReportPlan,
  baseName: string,
  runtime: Runtime,
): Promise<CollectionRun> {
  const { connection } = plan;
  const remaining = stop.remainingMs();
  const captured: Variables = {};
  const masked = new Set<string>();
  let cutByDeadline = false;
  const needsAll =
    reports.reporters.includes("html") ||
    (reports.out === undefined && reports.reporters.some((name) => name !== "text"));
  const streamedPaths: Partial<Record<StreamedReporter, string>> = {};
  if (reports.out !== undefined) {
    for (const name of reports.reporters) {
      if (isStreamed(name))
        streamedPaths[name] = runtime.resolvePath(reportPath(reports.out, baseName, name));
    }
  }
  let streamed: StreamedReports | undefined;
  const onItem = (item: ItemResult): void => {
    if (item.error?.code === runner.RunnerErrorCode.DEADLINE) cutByDeadline = true;
    for (const [name, value] of Object.entries(item.captures ?? {})) {
      // A reported capture is masked where it held a secret or personal value: that text is not
      // the value, and written out it would be sent as one by a later run.
      if (typeof value === "string" && runner.showsMasked(value)) {
        masked.add(name);
        delete captured[name];
      } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
        captured[name] = value;
        masked.delete(name);
      }
    }
    streamed?.item(item);
  };
  const running = runner.runCollection(collection, {
    client: connection.clientFor(collection),
    ...plan.inputs,
    ...(remaining !== undefined && !connection.clock ? { deadlineMs: remaining } : {}),
    signal: stop.signal,
    onEvent: (event) => {
      progress.onEvent(event);
      if (event.type === "item-end") onItem(event.item);
      else if (event.type === "run-start" && Object.keys(streamedPaths).length > 0) {
        streamed = startStreamedReports(streamedPaths, event.collection, event.iterations, runner);
      }
    },
    ...(needsAll ? { keepItems: "all" as const } : {}),
    ...(webhooks ? { webhooks } : {}),
    ...(connection.clock ? { now: connection.clock.now, sleep: connection.clock.sleep } : {}),
  });
  let result: RunResult;
  try {
    result = await running;
  } catch (error) {
    await streamed?.discard();
    throw error;
  }
  const written = streamed === undefined ? [] : await streamed.finish(result);
  return { file, baseName, result, written, captured, masked: [...masked], cutByDeadline };
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
  reports: ReportPlan,
  webhooks?: WebhookEventSource,
): Promise<RunOutcome> {
  const runner = await import("../../runner/index.ts");
  const progress = createProgress(out, progressOptions(out, runtime.env));
  const stop = createRunStop(runtime, plan.deadlineMs, plan.connection.clock !== undefined);
  const baseNames = reportBaseNames(plan.collections.map(({ file }) => file.id));
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
      // A collection's name may hold a secret's value, masked as the results mask it.
      const name = createSecretMasker(runner.secretTexts(plan.inputs.secrets ?? {}))(loaded.collection.name);
      out.write(`Running "${printable(name)}" (${loaded.file.shown})\n`);
      const sources = webhooks ?? plan.connection.webhooks;
      const baseName = baseNames[index] ?? "collection";
      const run = await runOne(runner, plan, loaded, stop, progress, sources, reports, baseName, runtime);
      progress.close();
      runs.push(run);
      out.write(`${summaryLine(run.result.summary, run.result.durationMs)}\n`);
      if (plan.inputs.bail === true && !runPassed(run.result)) bailed = true;
    }
  } finally {
    stop.dispose();
    progress.close();
  }
  const cutByDeadline = runs.some((run) => run.cutByDeadline);
  return { runs, interrupted: stop.interrupted, deadlinePassed: stop.deadlineHit || cutByDeadline };
}
