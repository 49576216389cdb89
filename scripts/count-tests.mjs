#!/usr/bin/env node
// Adds up the per-runner counts that `npm test` left behind and prints `N passed, N failed`.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const dir = resolve(process.argv[2] ?? ".tmp/test-results");
let passed = 0;
let failed = 0;
let skipped = 0;
let files = [];
try {
  files = readdirSync(dir).filter((name) => name.endsWith(".json") && !name.endsWith(".raw.json"));
} catch {
  // No report directory: nothing ran, which the line below makes visible as 0 passed.
}
for (const name of files) {
  const counts = JSON.parse(readFileSync(join(dir, name), "utf8"));
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped ?? 0;
  console.log(
    `${counts.runner}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped ?? 0} skipped`,
  );
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
