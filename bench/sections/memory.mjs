// 7. Memory: `certn-edge run --reporter junit --out DIR` in a fresh process per run (concurrency 6,
// limits off), peak RSS from the kernel (process.resourceUsage().maxRSS) and peak heapUsed sampled
// every 10 ms by lib/peak-memory.mjs, preloaded with --import. Runs of 10 N and 100 N requests
// (10,000 and 100,000 by default): the JUnit file is written as the run goes and the result keeps
// only failures, so memory should not grow with the run. The plain script doing the same (it
// keeps a small record per request) is a reference for what Node and `fetch` alone need.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runTimed } from "../lib/proc.mjs";
import { bytes, round } from "../lib/stats.mjs";
import { COLLECTION } from "../lib/workload.mjs";

/** @param {import("../run.mjs").Context} ctx */
export async function memory(ctx) {
  const { sim, requests, paths, tmp, log } = ctx;
  // Ten copies of the workload's item per iteration: a run may have at most 10,000 iterations
  // (MAX_ITERATIONS), so 100,000 requests are 10 items x 10,000 iterations.
  const ITEMS = 10;
  const [item] = COLLECTION.items;
  const collectionFile = join(tmp, "bench.memory.collection.json");
  writeFileSync(
    collectionFile,
    JSON.stringify({
      ...COLLECTION,
      items: Array.from({ length: ITEMS }, (_, index) => ({ ...item, name: `${item.name} ${index + 1}` })),
    }),
  );
  const preload = pathToFileURL(paths.peakMemory).href;
  const commands = {
    cli: (size) => [
      paths.cli,
      "run",
      collectionFile,
      "--base-url",
      sim.url,
      "--iterations",
      String(Math.ceil(size / ITEMS)),
      "--concurrency",
      "6",
      "--rate-limit",
      "off",
      "--reporter",
      "junit",
      "--out",
      join(tmp, `memory-reports-${size}`),
    ],
    plain: (size) => [paths.plainScript, sim.url, String(size), "6"],
  };
  const figures = { cli: {}, plain: {} };
  for (const [name, args] of Object.entries(commands)) {
    for (const size of [requests * 10, requests * 100]) {
      const out = join(tmp, `memory-${name}-${size}.json`);
      rmSync(out, { force: true });
      const outcome = await runTimed(process.execPath, ["--import", preload, ...args(size)], {
        env: {
          ...process.env,
          BENCH_MEMORY_OUT: out,
          CERTN_CLIENT_ID: sim.credentials.clientId,
          CERTN_CLIENT_SECRET: sim.credentials.clientSecret,
        },
      });
      if (outcome.code !== 0) {
        throw new Error(`${name} run of ${size} exited ${outcome.code}: ${outcome.tail.slice(-600)}`);
      }
      const peak = JSON.parse(readFileSync(out, "utf8"));
      figures[name][size] = { ...peak, ms: Math.round(outcome.ms) };
      log(
        `  ${name} ${size} requests: maxRSS ${bytes(peak.maxRssBytes)}, peak heapUsed ${bytes(peak.peakHeapUsedBytes)}`,
      );
    }
    const small = figures[name][requests * 10];
    const large = figures[name][requests * 100];
    figures[name].rssRatio = round(large.maxRssBytes / small.maxRssBytes, 2);
    figures[name].heapRatio = round(large.peakHeapUsedBytes / small.peakHeapUsedBytes, 2);
  }
  const cli = figures.cli;
  const small = cli[requests * 10];
  const large = cli[requests * 100];
  return {
    figures,
    targets: [
      {
        id: "7",
        name: `peak RSS, ${requests * 100} / ${requests * 10} requests (\`certn-edge run --reporter junit --out\`, concurrency 6)`,
        measured:
          `${cli.rssRatio} (${bytes(large.maxRssBytes)} / ${bytes(small.maxRssBytes)}; ` +
          `heapUsed ${bytes(large.peakHeapUsedBytes)} / ${bytes(small.peakHeapUsedBytes)} = ${cli.heapRatio}; ` +
          `plain script: RSS ${figures.plain.rssRatio}, heapUsed ${figures.plain.heapRatio})`,
        goal: "≤ 1.3",
        met: cli.rssRatio <= 1.3,
      },
    ],
  };
}
