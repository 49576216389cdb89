// 10. One rate budget per credential. The production Worker under `wrangler dev` (its
// CertnRateLimiter Durable Object included), pointed at a simulator whose rate limit is N per
// compressed window (windowMs), with RUNNER_RATE_LIMIT set to the same N per window. Three runs
// and a 50-row data run are POSTed at once, all with the one credential: every request takes a
// slot from the one object. Measured: 429s the simulator gave (target 0), the finish time over
// the theoretical minimum (full windows the requests need), and the object's round trip per
// acquire as each run's "run finished" log line reports it (p50, p99). Then a durable fan-out of
// 1,000 rows through the same budget: 429s, its finish over the minimum, and the parent record's
// largest size while it ran (counts only, so flat whatever the rows).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulator } from "../lib/server.mjs";
import { median, round } from "../lib/stats.mjs";
import { FINAL_STATUSES, startWorker } from "../lib/worker.mjs";
import { COLLECTION } from "../lib/workload.mjs";

/** Requests per window, the window, and the runs: three of `RUN_ITERATIONS` plus one of 50 rows. */
const PER_WINDOW = 10;
const WINDOW_MS = 1_000;
const RUN_ITERATIONS = 40;
const DATA_ROWS = 50;
/** Then a durable fan-out: one child run per row, each one request, all from the same budget. */
const FAN_OUT_ROWS = 1_000;
const FAN_OUT_CONCURRENCY = 6;

/**
 * Starts a durable fan-out of `rows` and polls its record to the end; the wall time a caller sees,
 * the final record, and the largest the record's JSON ever was while it ran (the parent holds
 * counts, so this should not grow with the rows).
 */
async function durableFanOut(worker, rows) {
  const started = performance.now();
  const runId = await worker.startDurable(COLLECTION, {
    data: Array.from({ length: rows }, (_, row) => ({ row })),
    fanOut: true,
    concurrency: FAN_OUT_CONCURRENCY,
  });
  let largestRecord = 0;
  const run = await worker.untilRun(runId, (r) => FINAL_STATUSES.has(r.status), {
    pollMs: 250,
    timeoutMs: 15 * 60_000,
    onRecord: (text) => {
      largestRecord = Math.max(largestRecord, text.length);
    },
  });
  return { ms: performance.now() - started, run, largestRecord };
}

/** The "run finished" log lines of the Worker, parsed. */
function finishedLines(logs) {
  return logs
    .split("\n")
    .map((line) => line.slice(line.indexOf("{")))
    .filter((line) => line.includes('"run finished"'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line)];
      } catch {
        return [];
      }
    });
}

/** @param {import("../run.mjs").Context} ctx */
export async function sharedBudget(ctx) {
  const { log } = ctx;
  const sim = await startSimulator({
    realTime: true,
    rateLimit: { perMinute: PER_WINDOW, windowMs: WINDOW_MS },
  });
  const persistTo = mkdtempSync(join(tmpdir(), "certn-bench-budget-"));
  let worker;
  try {
    worker = await startWorker({
      simulatorUrl: sim.url,
      credentials: sim.credentials,
      persistTo,
      vars: { RUNNER_RATE_LIMIT: `${PER_WINDOW}/${WINDOW_MS}ms` },
    });
    // Warm-up: one request, so the token and the object exist before the clock starts; then
    // wait out its window, so the measured runs start from an empty one.
    await worker.run(COLLECTION, { iterations: 1 });
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100));
    const before = await sim.stats();
    const rows = Array.from({ length: DATA_ROWS }, (_, index) => ({ row: index }));
    const started = performance.now();
    const runs = await Promise.all([
      worker.run(COLLECTION, { iterations: RUN_ITERATIONS }),
      worker.run(COLLECTION, { iterations: RUN_ITERATIONS }),
      worker.run(COLLECTION, { iterations: RUN_ITERATIONS }),
      worker.run(COLLECTION, { data: rows, concurrency: 2 }),
    ]);
    const ms = performance.now() - started;
    const after = await sim.stats();
    const requests = runs.reduce((sum, run) => sum + run.result.summary.requests, 0);
    const passed = runs.reduce((sum, run) => sum + run.result.summary.passed, 0);
    // N per rolling window, starting empty: the last request can go out no sooner than this.
    const minimumMs = Math.floor((requests - 1) / PER_WINDOW) * WINDOW_MS;
    const finished = finishedLines(worker.logs()).slice(-4);
    const figures = {
      perWindow: PER_WINDOW,
      windowMs: WINDOW_MS,
      runs: runs.map((run) => run.result.summary.requests),
      requests,
      passed,
      throttled: after.throttled - before.throttled,
      serverRequests: after.requests - before.requests - (after.tokenRequests - before.tokenRequests),
      ms: Math.round(ms),
      minimumMs,
      ratio: round(ms / minimumMs, 3),
      rateLimiter: finished.map((line) => line.rateLimiter),
      calls: finished.map((line) => line.rateLimiterCalls),
      p50Ms: finished.map((line) => line.rateLimiterP50Ms),
      p99Ms: finished.map((line) => line.rateLimiterP99Ms),
      measuredIn:
        "wrangler dev (production entry, local Durable Object), round trip per acquire call as the Worker sees it",
    };
    log(
      `  ${requests} requests in ${figures.ms} ms (minimum ${minimumMs} ms, ratio ${figures.ratio}); ` +
        `${figures.throttled} × 429; acquire p50 ${figures.p50Ms.join("/")} ms, p99 ${figures.p99Ms.join("/")} ms per run`,
    );

    // The durable fan-out, from an empty window again.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 100));
    const fanBefore = await sim.stats();
    const fan = await durableFanOut(worker, FAN_OUT_ROWS);
    const fanAfter = await sim.stats();
    const fanMinimumMs = Math.floor((FAN_OUT_ROWS - 1) / PER_WINDOW) * WINDOW_MS;
    figures.fanOut = {
      rows: FAN_OUT_ROWS,
      concurrency: FAN_OUT_CONCURRENCY,
      status: fan.run.status,
      progress: fan.run.progress,
      throttled: fanAfter.throttled - fanBefore.throttled,
      ms: Math.round(fan.ms),
      minimumMs: fanMinimumMs,
      ratio: round(fan.ms / fanMinimumMs, 3),
      largestParentRecordBytes: fan.largestRecord,
    };
    log(
      `  durable fan-out of ${FAN_OUT_ROWS} rows: ${fan.run.status} in ${figures.fanOut.ms} ms ` +
        `(minimum ${fanMinimumMs} ms, ratio ${figures.fanOut.ratio}); ${figures.fanOut.throttled} × 429; ` +
        `parent record at most ${fan.largestRecord} bytes`,
    );
    const label = `shared budget, 3 runs × ${RUN_ITERATIONS} + a ${DATA_ROWS}-row run at ${PER_WINDOW}/${WINDOW_MS} ms (one credential, wrangler dev)`;
    return {
      figures,
      targets: [
        {
          id: "10",
          name: `${label}: 429 responses`,
          measured: String(figures.throttled),
          goal: "0",
          met: figures.throttled === 0,
        },
        {
          id: "10",
          name: `${label}: finish over the minimum (${minimumMs / 1000} s)`,
          measured: `${(ms / 1000).toFixed(1)} s (ratio ${figures.ratio}; ${requests} requests, ${passed} passed)`,
          goal: "≤ 1.05",
          met: figures.ratio <= 1.05 && passed === requests,
        },
        {
          id: "10",
          name: `durable fan-out of ${FAN_OUT_ROWS} rows (concurrency ${FAN_OUT_CONCURRENCY}) at ${PER_WINDOW}/${WINDOW_MS} ms: 429s, finish over the minimum`,
          measured:
            `${figures.fanOut.throttled} × 429; ${(figures.fanOut.ms / 1000).toFixed(1)} s over ${figures.fanOut.minimumMs / 1000} s ` +
            `(ratio ${figures.fanOut.ratio}); ${figures.fanOut.progress?.passed}/${FAN_OUT_ROWS} passed; parent record ≤ ${figures.fanOut.largestParentRecordBytes} B`,
          goal: "0 × 429, ≤ 1.05",
          met:
            figures.fanOut.throttled === 0 &&
            figures.fanOut.ratio <= 1.05 &&
            figures.fanOut.progress?.passed === FAN_OUT_ROWS,
        },
        {
          id: "10",
          name: "Durable Object round trip per acquire (p50, p99; per run, wrangler dev)",
          measured: `p50 ${median(figures.p50Ms)} ms (runs: ${figures.p50Ms.join(", ")}), p99 max ${Math.max(...figures.p99Ms)} ms (runs: ${figures.p99Ms.join(", ")})`,
          goal: "report",
          met: null,
        },
      ],
    };
  } finally {
    await worker?.close();
    await sim.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
