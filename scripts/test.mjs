#!/usr/bin/env node
// `npm test`: typecheck, lint, then every test runner in turn. Each runner leaves a
// `{ runner, passed, failed, skipped }` file in TEST_REPORT_DIR (default .tmp/test-results),
// which `.ci/run` adds up into its closing `N passed, N failed` line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const reportDir = resolve(process.env.TEST_REPORT_DIR ?? ".tmp/test-results");
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

/** Runs a command with inherited output; returns its exit status. */
function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const steps = [
  // The CLI tests, the pack test and the browser test use the built output, so build first.
  ["build", () => run("npm", ["run", "--silent", "build"])],
  ["typecheck", () => run("npm", ["run", "--silent", "typecheck"])],
  ["lint", () => run("npx", ["biome", "check", "."])],
  [
    "vitest",
    () => {
      const json = join(reportDir, "vitest.raw.json");
      const status = run("npx", ["vitest", "run"], { VITEST_JSON: json });
      try {
        const raw = JSON.parse(readFileSync(json, "utf8"));
        writeFileSync(
          join(reportDir, "vitest.json"),
          JSON.stringify({
            runner: "vitest",
            passed: raw.numPassedTests,
            failed: raw.numFailedTests,
            skipped: raw.numPendingTests + raw.numTodoTests,
          }),
        );
      } catch {
        writeFileSync(
          join(reportDir, "vitest.json"),
          JSON.stringify({ runner: "vitest", passed: 0, failed: 1, skipped: 0 }),
        );
      }
      return status;
    },
  ],
  // Deno, Bun and Chromium each run the runtime scenario and record their own counts.
  ["runtimes", () => run("node", ["scripts/test-runtimes.mjs", reportDir])],
];

const failed = [];
for (const [name, step] of steps) {
  console.log(`\n== ${name} ==`);
  if (step() !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nnpm test: failed steps: ${failed.join(", ")}`);
  process.exit(1);
}
console.log("\nnpm test: every step passed");
