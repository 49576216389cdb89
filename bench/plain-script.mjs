#!/usr/bin/env node
// The whole-process baseline: a plain Node script doing what `certn-edge run` does for the bench
// workload, with nothing but `fetch`: one token request, then the requests one after another (or
// CONCURRENCY at a time), the JSON parsed and the three checks and the capture done by hand, and
// a one-line summary. Usage: node bench/plain-script.mjs <baseUrl> <iterations> [concurrency]
// with CERTN_CLIENT_ID and CERTN_CLIENT_SECRET in the environment.
import { checkByHand, fetchToken, PATH } from "./lib/workload.mjs";

const [baseUrl, iterationsText = "1000", concurrencyText = "1"] = process.argv.slice(2);
const iterations = Number(iterationsText);
const concurrency = Number(concurrencyText);
const token = await fetchToken(baseUrl, {
  clientId: process.env.CERTN_CLIENT_ID,
  clientSecret: process.env.CERTN_CLIENT_SECRET,
});
const url = `${baseUrl}${PATH}`;
const headers = { authorization: `Bearer ${token}`, accept: "application/json" };
const started = performance.now();
const results = [];
let next = 0;
let failed = 0;
async function loop() {
  while (next < iterations) {
    const iteration = next++;
    const t0 = performance.now();
    const response = await fetch(url, { headers, redirect: "manual" });
    const body = await response.json();
    const check = checkByHand(response.status, body);
    if (check.passed !== 3) failed++;
    results.push({ iteration, status: response.status, ms: performance.now() - t0, teamId: check.teamId });
  }
}
await Promise.all(Array.from({ length: concurrency }, loop));
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${results.length} requests: ${results.length - failed} passed, ${failed} failed; ${seconds} s`);
process.exitCode = failed === 0 ? 0 : 1;
