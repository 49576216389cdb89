// Child process that runs one contender at a time, in-process, on the parent's command:
// certn-edge's `runCollection` (built dist/) or a plain `fetch` loop doing the same requests,
// JSON parsing and checks by hand; and, between the two, the loop with only the attempt's deadline
// added (`deadline`) and a loop over certn-edge's `client.send` (`client`), so one run shows where
// the runner's extra time goes, layer by layer. Section 1 starts one such process per contender
// (bench/sections/inprocess.mjs says why); the parent interleaves the runs and reads the server's
// counters between them.
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

/**
 * `concurrency` loops sharing a counter, each doing `exchange()` (status and parsed
 * body) and the checks by hand.
 */
async function loops({ iterations, concurrency }, exchange) {
  const results = [];
  let next = 0;
  let passed = 0;
  let assertionsPassed = 0;
  async function loop() {
    while (next < iterations) {
      const iteration = next++;
      const started = performance.now();
      const { status, body } = await exchange();
      const check = checkByHand(status, body);
      assertionsPassed += check.passed;
      if (check.passed === 3) passed++;
      results.push({ iteration, status, ms: performance.now() - started, teamId: check.teamId });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { passed, requests: results.length, assertionsPassed };
}

/** The baseline: a token, then the loops, each request a bare `fetch` and `json()`. */
async function plain(params) {
  const token = await fetchToken(params.baseUrl, params.credentials);
  const url = `${params.baseUrl}${PATH}`;
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
  return loops(params, async () => {
    const response = await fetch(url, { headers, redirect: "manual" });
    return { status: response.status, body: await response.json() };
  });
}

/**
 * The baseline plus only what the attempt's deadline needs (the guarantee that a stalled server
 * cannot hang a run): its own AbortController, whose signal the fetch follows, a timer, and the
 * body read whole under it, then decoded and parsed. The floor under any transport with a deadline.
 */
async function deadline(params) {
  const token = await fetchToken(params.baseUrl, params.credentials);
  const url = `${params.baseUrl}${PATH}`;
  const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
  const decoder = new TextDecoder();
  return loops(params, async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 30_000);
    try {
      const response = await fetch(url, { headers, redirect: "manual", signal: controller.signal });
      const bytes = await response.arrayBuffer();
      return { status: response.status, body: JSON.parse(decoder.decode(bytes)) };
    } finally {
      clearTimeout(timer);
    }
  });
}

/** certn-edge's transport alone: `client.send` (token, checks, deadline, size cap, retries), then the checks by hand. */
async function client(params) {
  const certn = createCertnClient({ baseUrl: params.baseUrl, ...params.credentials });
  const url = `${params.baseUrl}${PATH}`;
  const request = new Request(url, { headers: { accept: "application/json" } });
  return loops(params, async () => {
    const response = await certn.send(request, { maxBodyBytes: 5 * 1024 * 1024 });
    return { status: response.status, body: JSON.parse(await response.text()) };
  });
}

const contenders = { runner, plain, deadline, client };

process.on("message", async (message) => {
  if (message.type === "exit") {
    process.disconnect();
    return;
  }
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const outcome = await contenders[message.contender](message);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    process.send({ id: message.id, ms, cpuMs: (used.user + used.system) / 1000, ...outcome });
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) });
  }
});
process.send({ type: "ready" });
