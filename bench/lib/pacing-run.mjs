// Child process for the rate-limit pacing measurement: a simulator limited to N requests per
// rolling minute (its only window; simulated time follows the wall clock), and a run of 3N
// requests whose runner limit matches (N per 60,000 ms). Theoretical minimum: two full windows.
// Prints one JSON line: duration, 429 responses seen, requests sent, the server's counts.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { distDir } from "./build.mjs";
import { startSimulator } from "./server.mjs";
import { COLLECTION } from "./workload.mjs";

const load = (file) => import(pathToFileURL(join(distDir(), file)).href);
const { createCertnClient } = await load("index.js");
const { parseCollection, runCollection } = await load("runner/index.js");

const perWindow = Number(process.argv[2] ?? 20);
const concurrency = Number(process.argv[3] ?? 1);
const windowMs = 60_000;
const sim = await startSimulator({ realTime: true, rateLimit: { perMinute: perWindow } });
try {
  const parsed = parseCollection(COLLECTION);
  const client = createCertnClient({ baseUrl: sim.url, ...sim.credentials });
  let tooMany = 0;
  let attempts = 0;
  const started = performance.now();
  const result = await runCollection(parsed.collection, {
    client,
    iterations: 3 * perWindow,
    concurrency,
    rateLimit: { requests: perWindow, perMs: windowMs },
    onEvent: (event) => {
      if (event.type !== "attempt") return;
      attempts++;
      if (event.status === 429) tooMany++;
    },
  });
  const ms = performance.now() - started;
  const stats = await sim.stats();
  process.stdout.write(
    `${JSON.stringify({
      perWindow,
      windowMs,
      concurrency,
      iterations: 3 * perWindow,
      ms,
      minimumMs: 2 * windowMs,
      tooMany,
      attempts,
      summary: result.summary,
      server: { requests: stats.byRoute["GET /api/v1/teams/"] ?? 0, tokenRequests: stats.tokenRequests },
    })}\n`,
  );
} finally {
  await sim.close();
}
