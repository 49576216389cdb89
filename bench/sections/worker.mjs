// 4 and 5b. Through the Worker: the production entry under `wrangler dev`, pointed at the same
// simulator server, the collection POSTed to /runs; rounds interleaved with the in-process runner
// doing the same run. Then the token economy across two restarts with KV persisted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, pairedRatio, perSecond, round } from "../lib/stats.mjs";
import { startWorker } from "../lib/worker.mjs";
import { COLLECTION } from "../lib/workload.mjs";

/** A budget no bench run reaches, so the Worker's throughput is measured, not its pacing. */
const WIDE_RATE_LIMIT = "100000/60s";

/** The runner's default limit: without a way to lift it, a Worker run is sized to fit one window. */
const DEFAULT_WINDOW_REQUESTS = 240;

/** True when POST /runs accepts a `rateLimit` run input (checked with a dry run). */
async function acceptsRateLimit(worker) {
  try {
    await worker.run(COLLECTION, { iterations: 1, dryRun: true, rateLimit: false });
    return true;
  } catch {
    return false;
  }
}

/** @param {import("../run.mjs").Context} ctx */
export async function throughWorker(ctx) {
  const { sim, host, requests, log } = ctx;
  const rounds = Math.min(ctx.rounds, 3);
  const persistTo = mkdtempSync(join(tmpdir(), "certn-bench-kv-"));
  const tokensBefore = (await sim.stats()).tokenRequests;
  // Token requests of the in-process runner's runs (a new client each), not the Worker's.
  let runnerTokens = 0;
  const figures = { rounds };
  let worker;
  try {
    const started = performance.now();
    // Throughput, not pacing: the credential's shared budget (the CertnRateLimiter object, Certn's
    // 240 a minute by default) would hold the Worker to 4 requests a second; section 10 measures it.
    worker = await startWorker({
      simulatorUrl: sim.url,
      credentials: sim.credentials,
      persistTo,
      vars: { RUNNER_RATE_LIMIT: WIDE_RATE_LIMIT },
    });
    figures.startMs = Math.round(performance.now() - started);
    let size = requests;
    const inputs = { concurrency: 1 };
    if (await acceptsRateLimit(worker)) inputs.rateLimit = false;
    else {
      size = Math.min(requests, DEFAULT_WINDOW_REQUESTS);
      figures.note =
        `POST /runs has no rateLimit input, so the runner's default ${DEFAULT_WINDOW_REQUESTS} requests/min applies; ` +
        `runs of ${size} requests (one window) measure throughput rather than the limiter`;
      log(`  ${figures.note}`);
    }
    figures.requestsPerRun = size;
    const connectionsBefore = (await sim.stats()).connections;
    let runnerConnections = 0;
    await worker.run(COLLECTION, {
      iterations: 10,
      concurrency: 1,
      ...(inputs.rateLimit === false ? { rateLimit: false } : {}),
    });
    const times = { worker: [], runner: [] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ["worker", "runner"] : ["runner", "worker"];
      for (const contender of order) {
        if (contender === "worker") {
          const { ms, result } = await worker.run(COLLECTION, { iterations: size, ...inputs });
          if (result.summary.passed !== size)
            throw new Error(`worker run: ${result.summary.passed}/${size} passed`);
          times.worker.push(ms);
        } else {
          const before = await sim.stats();
          const outcome = await host.run({
            contender: "runner",
            baseUrl: sim.url,
            credentials: sim.credentials,
            iterations: size,
            concurrency: 1,
          });
          const after = await sim.stats();
          runnerTokens += after.tokenRequests - before.tokenRequests;
          runnerConnections += after.connections - before.connections;
          times.runner.push(outcome.ms);
        }
      }
      log(
        `  round ${r + 1}: worker ${Math.round(times.worker.at(-1))} ms, in-process runner ${Math.round(times.runner.at(-1))} ms`,
      );
    }
    figures.workerMs = times.worker.map(Math.round);
    figures.runnerMs = times.runner.map(Math.round);
    figures.workerRps = round(perSecond(size, median(times.worker)), 0);
    figures.runnerRps = round(perSecond(size, median(times.runner)), 0);
    figures.workerOverRunner = round(pairedRatio(times.worker, times.runner), 2);
    // Connections workerd opened to the simulator in this lifetime (warm-up and measured runs).
    figures.workerUpstreamConnections =
      (await sim.stats()).connections - connectionsBefore - runnerConnections;

    // Token economy: two restarts on the same persisted KV, a small run after each.
    await worker.close();
    for (let restart = 1; restart <= 2; restart++) {
      worker = await startWorker({ simulatorUrl: sim.url, credentials: sim.credentials, persistTo });
      const { result } = await worker.run(COLLECTION, { iterations: 10, concurrency: 1 });
      if (result.summary.passed !== 10) throw new Error(`run after restart ${restart} failed`);
      await worker.close();
    }
    figures.tokenRequestsAcrossRestarts = (await sim.stats()).tokenRequests - tokensBefore - runnerTokens;
    log(`  token requests across 3 Worker lifetimes: ${figures.tokenRequestsAcrossRestarts}`);
  } finally {
    await worker?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
  return {
    figures,
    targets: [
      {
        id: "4",
        name: `Worker (wrangler dev) throughput, ${figures.requestsPerRun}-request runs`,
        measured:
          `${figures.workerRps} req/s; in-process runner ${figures.runnerRps} req/s; ` +
          `time ratio Worker / runner ${figures.workerOverRunner}; ${figures.workerUpstreamConnections} upstream connections`,
        goal: "report",
        met: null,
      },
      {
        id: "5",
        name: "token requests across two Worker restarts (KV persisted)",
        measured: String(figures.tokenRequestsAcrossRestarts),
        goal: "1",
        met: figures.tokenRequestsAcrossRestarts === 1,
      },
    ],
  };
}
