/**
 * Runs a collection for one incoming request: the size and subrequest-budget checks, a token
 * before anything starts (502 when Certn refuses the credentials), then the run, answered as JSON,
 * NDJSON or JUnit. The caller's disconnect stops it in every format.
 */
import type { Collection } from "../collection/model.ts";
import { isCertnAuthError, isCertnTimeoutError } from "../index.ts";
import type { RunEvent, RunResult } from "../runner/index.ts";
import { runCollection, toJUnit, toNdjsonLine } from "../runner/index.ts";
import { enforceBudget, enforceResultSize, estimateWorkerRun } from "./budget.ts";
import { type ClientContext, createRequestClient, type RequestClient } from "./certn-client.ts";
import type { WorkerConfig } from "./config.ts";
import { WorkerError, type WorkerErrorCode } from "./errors.ts";
import { errorKind, type Logger } from "./log.ts";
import type { OutputFormat } from "./output-format.ts";
import { budgetLogFields, runBudget } from "./rate-budget.ts";
import type { WorkerRunInputs } from "./run-inputs.ts";
import { durableRunSteps, enforceStepLimit } from "./workflow-steps.ts";

/** The code of the NDJSON error line (the 200 is already sent). */
const RUN_FAILED: WorkerErrorCode = "RUN_FAILED";

/** Longest silence on an NDJSON stream, by default (the limit is 15 s; this leaves room). */
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** Interval timers, injectable so tests can fire heartbeats without waiting. */
export interface IntervalTimers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: IntervalTimers = {
  setInterval: (callback, ms) => setInterval(callback, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/** Everything a run needs from the incoming request. */
export interface RunRequest {
  collection: Collection;
  /** The saved collection's id, or undefined for an ad-hoc run. */
  collectionId: string | undefined;
  source: "bundled" | "stored" | "ad-hoc";
  inputs: WorkerRunInputs;
  format: OutputFormat;
  config: WorkerConfig;
  client: ClientContext;
  log: Logger;
  heartbeatMs?: number;
  timers?: IntervalTimers;
  /** Keeps the invocation alive while an NDJSON stream is written. */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** The caller's disconnect, when the platform reports it. */
  signal?: AbortSignal;
  /** The run's id (its record's, when it is recorded); a random UUID by default. */
  runId?: string;
  /** Records the run's redacted result before it is answered (a failure here is logged, not answered). */
  onFinished?: (result: RunResult) => Promise<void>;
  /** Records that the run failed unexpectedly after it started. */
  onFailed?: () => Promise<void>;
}

/** Makes sure a token can be had before the run starts, mapping failures to 502 / 504. */
export async function ensureToken(requestClient: RequestClient): Promise<void> {
  try {
    await requestClient.client.getAccessToken();
  } catch (error) {
    // Refused outright, or a token it issued moments ago was refused (the cool-down): either way
    // the configured credentials are the problem, not Certn's availability.
    if (
      isCertnAuthError(error) &&
      (error.code === "CERTN_AUTH_REFUSED" || error.code === "CERTN_AUTH_TOKEN_REFUSED")
    ) {
      throw new WorkerError(
        "CERTN_CREDENTIALS_REFUSED",
        "Certn refused the configured credentials; check CERTN_CLIENT_ID and CERTN_CLIENT_SECRET",
      );
    }
    if (isCertnTimeoutError(error)) {
      throw new WorkerError("CERTN_TIMEOUT", "Certn's token endpoint did not answer in time");
    }
    const code =
      typeof error === "object" && error !== null && "code" in error ? String(error.code) : "unknown";
    throw new WorkerError("CERTN_UNAVAILABLE", `no Certn access token could be obtained (${code})`);
  }
}

/**
 * The checks every run passes before anything is sent: the result size (RUN_TOO_LARGE), Certn
 * credentials, and, for a run inside one request, the subrequest budget (a durable run's steps are
 * each their own invocation, so the budget does not apply to it); a durable run's Workflow steps
 * instead, which one instance has a limit of (RUN_TOO_LARGE, see workflow-steps.ts). A dry run
 * sends nothing and is held to neither.
 */
export function checkRunCanStart(
  run: Pick<RunRequest, "collection" | "source" | "inputs" | "config">,
  mode: "immediate" | "durable",
): void {
  const { config, inputs } = run;
  const dryRun = inputs.dryRun === true;
  const estimate = estimateWorkerRun(run.collection, inputs, {
    tokenCredentials: config.credentials.kind === "client-credentials",
    storedCollection: run.source === "stored",
  });
  // Dry or not, every item result is held in memory until the answer is written.
  enforceResultSize(estimate);
  if (!dryRun && config.credentials.kind === "none") {
    throw new WorkerError(
      "CERTN_NOT_CONFIGURED",
      "no Certn credentials are configured: set CERTN_CLIENT_ID and CERTN_CLIENT_SECRET, or CERTN_API_KEY",
    );
  }
  if (!dryRun && mode === "immediate") enforceBudget(estimate, config.subrequestBudget);
  if (!dryRun && mode === "durable") enforceStepLimit(durableRunSteps(run.collection.items, estimate));
}

/** Runs the collection and answers in the negotiated format. */
export async function executeRun(run: RunRequest): Promise<Response> {
  const { config, inputs, log } = run;
  const dryRun = inputs.dryRun === true;
  checkRunCanStart(run, "immediate");
  const requestClient = createRequestClient(config, run.client);
  if (!dryRun) await ensureToken(requestClient);
  // Every upstream request takes a slot from the credential's shared budget (a dry run sends none).
  const budget = dryRun ? undefined : runBudget(run.client.env, config, run.collection, log);

  const runId = run.runId ?? crypto.randomUUID();
  const fields = { runId, collection: run.collectionId ?? "ad-hoc", source: run.source };
  log("info", "run started", { ...fields, dryRun });
  const finished = async (result: RunResult): Promise<void> => {
    const { summary } = result;
    await budget?.drain();
    log("info", "run finished", {
      ...fields,
      items: summary.items,
      passed: summary.passed,
      failed: summary.failed,
      errored: summary.errored,
      skipped: summary.skipped,
      requests: summary.requests,
      durationMs: result.durationMs,
      tokenCacheHits:
        (requestClient.tokenStore?.stats.memoryHits ?? 0) + (requestClient.tokenStore?.stats.kvHits ?? 0),
      tokenCacheWrites: requestClient.tokenStore?.stats.kvWrites ?? 0,
      ...(budget === undefined ? {} : budgetLogFields(budget.stats)),
    });
    try {
      await run.onFinished?.(result);
    } catch (error) {
      log("error", "run record not updated", { runId, error: errorKind(error) });
    }
  };
  const start = (onEvent?: (event: RunEvent) => void, signal?: AbortSignal): Promise<RunResult> =>
    runCollection(run.collection, {
      client: requestClient.client,
      ...inputs,
      deadlineMs: config.deadlineMs,
      ...(budget === undefined ? {} : { rateLimiter: budget }),
      // The response holds every item (the Worker caps a run at MAX_ITEM_RESULTS).
      keepItems: "all",
      ...(signal === undefined ? {} : { signal }),
      ...(onEvent === undefined ? {} : { onEvent }),
    });
  const headers = { "x-run-id": runId, "cache-control": "no-store" };

  if (run.format === "ndjson") return streamRun(run, start, finished, headers, fields.runId);
  let result: RunResult;
  try {
    result = await start(undefined, run.signal);
  } catch (error) {
    await run.onFailed?.().catch(() => undefined);
    throw error;
  }
  await finished(result);
  if (run.format === "junit") {
    return new Response(toJUnit(result), {
      headers: { ...headers, "content-type": "application/xml; charset=utf-8" },
    });
  }
  return new Response(JSON.stringify(result), {
    headers: { ...headers, "content-type": "application/json; charset=utf-8" },
  });
}

/** NDJSON: one event per line as the run progresses, heartbeats while waiting, then the result. */
function streamRun(
  run: RunRequest,
  start: (onEvent: (event: RunEvent) => void, signal?: AbortSignal) => Promise<RunResult>,
  finished: (result: RunResult) => Promise<void>,
  headers: Record<string, string>,
  runId: string,
): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  const stop = new AbortController();
  const abortOnCaller = (): void => stop.abort(run.signal?.reason);
  run.signal?.addEventListener("abort", abortOnCaller, { once: true });
  const writeLine = (line: string): void => {
    // A failed write means the caller went away: stop the run rather than work for nobody.
    writer.write(encoder.encode(line)).catch(() => stop.abort());
  };
  const write = (event: RunEvent | { type: "result"; result: RunResult }): void =>
    writeLine(toNdjsonLine(event));
  const timers = run.timers ?? realTimers;
  const heartbeat = timers.setInterval(
    () => writeLine(`${JSON.stringify({ type: "heartbeat" })}\n`),
    run.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
  );
  const done = (async () => {
    try {
      const result = await start(write, stop.signal);
      await finished(result);
      write({ type: "result", result });
    } catch (error) {
      run.log("error", "run failed", { runId, error: errorKind(error) });
      await run.onFailed?.().catch(() => undefined);
      writeLine(
        `${JSON.stringify({ type: "error", error: { code: RUN_FAILED, message: "the run failed unexpectedly" } })}\n`,
      );
    } finally {
      timers.clearInterval(heartbeat);
      run.signal?.removeEventListener("abort", abortOnCaller);
      await writer.close().catch(() => undefined);
    }
  })();
  run.waitUntil?.(done);
  return new Response(readable, {
    headers: { ...headers, "content-type": "application/x-ndjson; charset=utf-8" },
  });
}
