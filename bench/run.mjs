#!/usr/bin/env node
// `npm run bench`: certn-edge measured side by side with plain `fetch`, Newman and Step CI on one
// machine, in one run, rounds interleaved; prints each target beside its figure (nothing asserts a
// time) and writes bench/RESULTS.md. See docs/bench.md.
//
// Options: --rounds N (default 5), --peer-rounds N (Newman/Step CI rounds, default 3),
// --requests N (default 1000), --only inprocess,process,worker,durable,pacing,memory,size,hostile,budget,
// --no-build (measure dist/ as it is), --no-write (leave RESULTS.md alone). A run of some sections
// (--only) never writes RESULTS.md: the file holds one whole run, never a mix of runs.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildPackage } from "./lib/build.mjs";
import { startHost } from "./lib/host.mjs";
import { describeMachine, load1 } from "./lib/machine.mjs";
import { resultsMarkdown, targetTable } from "./lib/report.mjs";
import { startSimulator } from "./lib/server.mjs";
import { durable } from "./sections/durable.mjs";
import { hostileInputs } from "./sections/hostile-inputs.mjs";
import { inprocess } from "./sections/inprocess.mjs";
import { memory } from "./sections/memory.mjs";
import { startPacing } from "./sections/pacing.mjs";
import { sharedBudget } from "./sections/shared-budget.mjs";
import { size } from "./sections/size.mjs";
import { wholeProcess } from "./sections/whole-process.mjs";
import { throughWorker } from "./sections/worker.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const bench = fileURLToPath(new URL("./", import.meta.url));

/**
 * What every section gets.
 * @typedef {{ sim: Awaited<ReturnType<typeof startSimulator>>, host: Awaited<ReturnType<typeof startHost>>,
 *   requests: number, rounds: number, peerRounds: number, tmp: string, log: (line: string) => void,
 *   paths: Record<string, string>, packageDir: string }} Context
 */

const USAGE = `usage: npm run bench -- [--rounds N] [--peer-rounds N] [--requests N]
  [--only SECTION,...] [--no-build] [--no-write]   (see docs/bench.md)`;

/** The options, or exit 2 with one line naming what is wrong and the usage (not a stack). */
function readOptions() {
  try {
    return parseArgs({
      options: {
        rounds: { type: "string", default: "5" },
        "peer-rounds": { type: "string", default: "3" },
        requests: { type: "string", default: "1000" },
        only: { type: "string" },
        build: { type: "boolean", default: true },
        "no-build": { type: "boolean", default: false },
        write: { type: "boolean", default: true },
        "no-write": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    console.error(`npm run bench: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
}

const { values } = readOptions();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const SECTIONS = [
  "inprocess",
  "process",
  "worker",
  "durable",
  "pacing",
  "memory",
  "size",
  "hostile",
  "budget",
];
const only = values.only ? values.only.split(",").map((s) => s.trim()) : SECTIONS;
for (const name of only) {
  if (!SECTIONS.includes(name)) {
    console.error(`--only: unknown section "${name}"; choose from ${SECTIONS.join(", ")}`);
    process.exit(2);
  }
}
const positive = (name) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number >= 1, got "${values[name]}"`);
    process.exit(2);
  }
  return n;
};
const options = {
  rounds: positive("rounds"),
  peerRounds: positive("peer-rounds"),
  requests: positive("requests"),
  sections: only,
};

const log = (line) => console.log(line);
const began = performance.now();
const machine = describeMachine();
log(`certn-edge bench: ${machine.cpu} x${machine.nproc}, Node ${machine.node}, load ${machine.load}`);

const tmp = mkdtempSync(join(tmpdir(), "certn-bench-"));
let packageDir = root;
if (values.build && !values["no-build"]) {
  log("building the package into a private folder (scripts/build.mjs --outdir) ...");
  const built = await buildPackage(join(tmp, "package"));
  packageDir = built.dir;
  if (built.warnings)
    log(
      `  the build reported errors (it still emitted; measuring that):\n  ${built.warnings.split("\n").slice(0, 4).join("\n  ")}`,
    );
}
// Every child (simulator server, in-process host, pacing run) imports from this dist.
process.env.CERTN_BENCH_DIST = join(packageDir, "dist");
const paths = {
  cli: join(packageDir, "dist/cli/main.js"),
  plainScript: join(bench, "plain-script.mjs"),
  newman: join(bench, "node_modules/newman/bin/newman.js"),
  stepci: join(bench, "node_modules/stepci/dist/index.js"),
  peakMemory: join(bench, "lib/peak-memory.mjs"),
};
for (const file of [
  paths.cli,
  join(packageDir, "dist/runner/index.js"),
  join(packageDir, "dist/simulator/node.js"),
]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run npm run build first`);
    process.exit(1);
  }
}

const sim = await startSimulator({ rateLimit: false });
const host = await startHost();
/** @type {Context} */
const ctx = { sim, host, ...options, tmp, log, paths, packageDir };
const targets = [];
const sections = {};
let pacing;

async function section(key, title, measure) {
  if (!only.includes(key)) return;
  log(`\n== ${title}`);
  const t0 = performance.now();
  try {
    const outcome = await measure(ctx);
    sections[title] = outcome.figures;
    targets.push(...outcome.targets);
    for (const t of outcome.targets) log(`  -> ${t.name}: ${t.measured} (target ${t.goal})`);
  } catch (error) {
    sections[title] = { error: String(error?.stack ?? error) };
    log(`  FAILED: ${String(error?.message ?? error)}`);
  }
  log(`  (${Math.round((performance.now() - t0) / 1000)} s)`);
}

try {
  // The pacing run is two minutes of waiting with three bursts of 20 requests: it overlaps the
  // other sections without disturbing them (or being disturbed beyond its 6 s tolerance).
  if (only.includes("pacing")) {
    log("\n== 6. rate-limit pacing: started in the background (2 to 3 minutes)");
    pacing = startPacing();
    pacing.catch(() => undefined);
  }
  await section("inprocess", "1. runner overhead, in-process", inprocess);
  await section("process", "2-3. whole process: CLI, plain script, Newman, Step CI", wholeProcess);
  await section("worker", "4-5. through the Worker (wrangler dev), token economy", throughWorker);
  await section("durable", "11. durable runs (wrangler dev): step overhead, webhook wake-up", durable);
  await section("memory", "7. memory", memory);
  await section("size", "8. size", size);
  await section("hostile", "9. hostile inputs: linear-time patterns, work budgets", hostileInputs);
  await section("budget", "10. one rate budget per credential (Durable Object, wrangler dev)", sharedBudget);
  if (pacing) await section("pacing", "6. rate-limit pacing", () => pacing);
} finally {
  await host.close();
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
}

const order = (t) => Number(t.id);
targets.sort((a, b) => order(a) - order(b));
const durationS = Math.round((performance.now() - began) / 1000);
log(`\n== targets (${durationS} s in all)\n`);
log(targetTable(targets));
if (values.write && !values["no-write"] && values.only === undefined) {
  const file = join(bench, "RESULTS.md");
  const date = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  // The hand-written notes at the end of the file (profiles, causes) outlive each run's figures.
  const notes = existsSync(file)
    ? /<!-- notes: kept by bench\/run\.mjs -->[\s\S]*$/.exec(readFileSync(file, "utf8"))
    : null;
  writeFileSync(
    file,
    resultsMarkdown({ date, machine, loadAfter: load1(), durationS, options, targets, sections }) +
      (notes ? `\n${notes[0]}` : ""),
  );
  log(`\nwrote ${file}`);
}
