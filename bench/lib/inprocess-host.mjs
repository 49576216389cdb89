// Child process that runs one contender at a time, in-process, on the parent's command:
// certn-edge's `runCollection` (built dist/) or a plain `fetch` loop doing the same requests,
// JSON parsing and checks by hand. Both live in this one process, so they share a warmed-up JIT
// and the same global fetch; the parent interleaves them and reads the server's counters between
// runs.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { distDir } from "./build.mjs";
import { COLLECTION, checkByHand, fetchToken, PATH } from "./workload.mjs";

const load = (file) => import(pathToFileURL(join(distDir(), file)).href);
const { createCertnClient } = await load("index.js");
const { parseCollection, runCollection } = await load("runner/index.js");

/** certn-edge: parse the collection, make a client, run it. */
async function runner({ baseUrl, credentials, iterations, concurrency }) {
  const parsed = parseCollection(COLLECTION);
  if (!parsed.ok) throw new Error(`bench collection invalid: ${JSON.stringify(parsed.issues)}`);
  const client = createCertnClient({ baseUrl, ...credentials });
  const result = await runCollection(parsed.collection, {
    client,
    iterations,
    concurrency,
    rateLimit: false,
  });
  const { summary } = result;
  return { passed: summary.passed, requests: summary.requests, assertionsPassed: summary.assertions.passed };
}

/** The baseline: a token, then `concurrency` loops sharing a counter, each check done by hand. */
async function plain({ baseUrl, credentials, iterations, concurrency }) {
  const token = await fetchToken(baseUrl, credentials);
  const url = `${baseUrl}${PATH}`;
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
  const results = [];
  let next = 0;
  let passed = 0;
  let assertionsPassed = 0;
  async function loop() {
    while (next < iterations) {
      const iteration = next++;
      const started = performance.now();
      const response = await fetch(url, { headers, redirect: "manual" });
      const body = await response.json();
      const check = checkByHand(response.status, body);
      assertionsPassed += check.passed;
      if (check.passed === 3) passed++;
      results.push({
        iteration,
        status: response.status,
        ms: performance.now() - started,
        teamId: check.teamId,
      });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { passed, requests: results.length, assertionsPassed };
}

const contenders = { runner, plain };

process.on("message", async (message) => {
  if (message.type === "exit") {
    process.disconnect();
    return;
  }
  try {
    const started = performance.now();
    const outcome = await contenders[message.contender](message);
    const ms = performance.now() - started;
    process.send({ id: message.id, ms, ...outcome });
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) });
  }
});
process.send({ type: "ready" });
