// 10. Durable runs: what a Workflow step costs over the same request made inside one HTTP request,
// and how soon a verified webhook moves a waiting run on. The production entry under
// `wrangler dev`, pointed at the served simulator; poll intervals never sleep here (the workload
// has no poll), so the figures are the engine's own cost.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, round } from "../lib/stats.mjs";
import { FINAL_STATUSES, startWorker } from "../lib/worker.mjs";
import { COLLECTION, PATH } from "../lib/workload.mjs";

/** Upstream requests (Workflow steps) per measured run. */
const STEPS = 20;
/** Random per bench run; only this process and the Worker know it. */
const CENTRIC_SECRET = `bench-${Math.random().toString(36).slice(2)}${Date.now()}`;

const stepsCollection = {
  ...COLLECTION,
  name: "bench: durable steps",
  items: Array.from({ length: STEPS }, (_, i) => ({ ...COLLECTION.items[0], name: `list teams ${i + 1}` })),
};

/** Waits for one CertnCentric event about `{{caseId}}`, then sends one request. */
const wakeCollection = {
  formatVersion: 1,
  name: "bench: webhook wake-up",
  variables: { caseId: "" },
  items: [
    {
      name: "event",
      wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 600_000 },
    },
    {
      name: "after the event",
      request: { method: "GET", url: PATH },
      assert: [{ that: "status", equals: 200 }],
    },
  ],
};

/** @param {import("../run.mjs").Context} ctx */
export async function durable(ctx) {
  const { sim, log } = ctx;
  const rounds = Math.min(ctx.rounds, 3);
  const persistTo = mkdtempSync(join(tmpdir(), "certn-bench-durable-"));
  const figures = { rounds, steps: STEPS };
  let worker;
  try {
    worker = await startWorker({
      simulatorUrl: sim.url,
      credentials: sim.credentials,
      persistTo,
      secrets: { CERTN_CENTRIC_WEBHOOK_SECRET: CENTRIC_SECRET },
    });
    const api = apiOf(worker);
    // Warm-up: the token is fetched and cached, workerd compiles the Workflow class.
    await worker.run(stepsCollection, { concurrency: 1 });
    await api.durable(stepsCollection, {});

    const times = { immediate: [], durable: [] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? ["immediate", "durable"] : ["durable", "immediate"];
      for (const mode of order) {
        if (mode === "immediate") {
          const { ms, result } = await worker.run(stepsCollection, { concurrency: 1 });
          if (result.summary.passed !== STEPS)
            throw new Error(`immediate run: ${result.summary.passed}/${STEPS}`);
          times.immediate.push(ms);
        } else {
          const { ms, run } = await api.durable(stepsCollection, {});
          if (run.status !== "passed") throw new Error(`durable run ended ${run.status}`);
          times.durable.push(ms);
        }
      }
      log(
        `  round ${r + 1}: immediate ${Math.round(times.immediate.at(-1))} ms, durable ${Math.round(times.durable.at(-1))} ms (${STEPS} requests each)`,
      );
    }
    figures.immediateMs = times.immediate.map(Math.round);
    figures.durableMs = times.durable.map(Math.round);
    figures.overheadPerStepMs = round(
      median(times.durable.map((d, i) => (d - times.immediate[i]) / STEPS)),
      1,
    );

    // Webhook receipt to the next request at the simulator.
    const wakes = [];
    for (let r = 0; r < rounds; r++) {
      const caseId = crypto.randomUUID();
      const runId = await worker.startDurable(wakeCollection, { variables: { caseId } });
      await worker.untilRun(runId, (run) => run.status === "waiting");
      const before = (await sim.stats()).byRoute;
      const t0 = performance.now();
      await api.deliverCentric({
        id: crypto.randomUUID(),
        event_type: "CASE_STATUS_CHANGED",
        object_id: caseId,
        object_type: "CASE",
      });
      for (;;) {
        const after = (await sim.stats()).byRoute;
        if (sumOf(after) > sumOf(before)) break;
        if (performance.now() - t0 > 60_000) throw new Error("no request within 60 s of the webhook");
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      wakes.push(performance.now() - t0);
      const run = await worker.untilRun(runId, (r) => FINAL_STATUSES.has(r.status));
      if (run.status !== "passed") throw new Error(`webhook run ended ${run.status}`);
    }
    figures.webhookToNextRequestMs = wakes.map(Math.round);
    log(`  webhook receipt to next request: ${figures.webhookToNextRequestMs.join(", ")} ms`);
  } finally {
    await worker?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
  return {
    figures,
    targets: [
      {
        id: "11",
        name: `durable run overhead per step (${STEPS}-step run, wrangler dev)`,
        measured: `${figures.overheadPerStepMs} ms per step; immediate ${median(figures.immediateMs)} ms, durable ${median(figures.durableMs)} ms`,
        goal: "report",
        met: null,
      },
      {
        id: "11",
        name: "webhook receipt to the waiting run's next request (wrangler dev)",
        measured: `median ${median(figures.webhookToNextRequestMs)} ms`,
        goal: "report",
        met: null,
      },
    ],
  };
}

const sumOf = (byRoute) => Object.values(byRoute).reduce((sum, n) => sum + n, 0);

/** Durable-run calls against a started Worker, on top of its own start and poll. */
function apiOf(worker) {
  const api = {
    /** Starts a durable run and waits for its end: the wall time a caller sees. */
    async durable(collection, inputs) {
      const started = performance.now();
      const runId = await worker.startDurable(collection, inputs);
      const run = await worker.untilRun(runId, (r) => FINAL_STATUSES.has(r.status));
      return { ms: performance.now() - started, run };
    },
    /** Posts a CertnCentric event signed as Certn signs it (HMAC-SHA256 of the body, hex). */
    async deliverCentric(event) {
      const body = JSON.stringify(event);
      const signature = createHmac("sha256", CENTRIC_SECRET).update(body).digest("hex");
      const response = await fetch(`${worker.url}/webhooks/certncentric`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": signature },
        body,
      });
      if (!response.ok)
        throw new Error(`webhook answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    },
  };
  return api;
}
