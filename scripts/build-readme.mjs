#!/usr/bin/env node
// README.md is assembled from the pages in docs/ (each part of the product documents itself there),
// with the bundle-size table computed by scripts/bundle-size.mjs. `--check` exits 1 when README.md
// differs from what the pages say (the size table aside, which moves with every change).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The pages, in README order. */
export const PAGES = [
  "readme-intro.md",
  "client.md",
  "centric.md",
  "collection-format.md",
  "jsonpath.md",
  "runner.md",
  "cli.md",
  "collections.md",
  "worker.md",
  "simulator.md",
  "webhooks.md",
  "readme-runtimes.md",
  "bench.md",
  "readme-development.md",
];

const SIZES = /<!-- bundle-sizes:start -->[\s\S]*?<!-- bundle-sizes:end -->/;

/** Makes a page a README section: its top heading becomes `##`, and its links point from the root. */
function asSection(name, text) {
  if (name === "readme-intro.md") return text.trim();
  const top = Math.min(...[...text.matchAll(/^(#+) /gm)].map((m) => m[1].length));
  const shift = 2 - top;
  let inFence = false;
  const lines = text.split("\n").map((line) => {
    if (line.startsWith("```")) inFence = !inFence;
    if (inFence || !/^#+ /.test(line) || shift === 0) return line;
    return shift > 0 ? "#".repeat(shift) + line : line.slice(-shift);
  });
  return lines
    .join("\n")
    .replaceAll("](./collection-format-spec.md)", "](docs/collection-format-spec.md)")
    .replaceAll("](./collection-format.md)", "](#collections)")
    .replaceAll("](../bench/RESULTS.md)", "](bench/RESULTS.md)")
    .replaceAll("(see `docs/webhooks.md`)", "(see [Receiving Certn webhooks](#receiving-certn-webhooks))")
    .trim();
}

/** The README text with the size table left empty. */
export function assemble() {
  return `${PAGES.map((page) => asSection(page, readFileSync(join(root, "docs", page), "utf8"))).join("\n\n")}\n`;
}

async function sizesTable() {
  const { ENTRIES, measure } = await import("./bundle-size.mjs");
  const budget = JSON.parse(readFileSync(join(root, "bundle-size-budget.json"), "utf8"));
  const labels = {
    client: '`import { createCertnClient } from "certn-edge"`',
    runner: '`import * as runner from "certn-edge/runner"`',
  };
  const targets = { client: "5 KB", runner: "40 KB" };
  const rows = [];
  for (const name of Object.keys(ENTRIES)) {
    const size = await measure(ENTRIES[name]);
    rows.push(
      `| ${labels[name]} | ${(size.minified / 1024).toFixed(1)} KB | ${(size.gzipped / 1024).toFixed(1)} KB | ${(budget[name] / 1024).toFixed(1)} KB | ${targets[name]} |`,
    );
  }
  return [
    "<!-- bundle-sizes:start -->",
    "| import | minified | minified + gzipped | budget (gzipped, tested) | target |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "<!-- bundle-sizes:end -->",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const readmePath = join(root, "README.md");
  const expected = assemble();
  if (process.argv.includes("--check")) {
    const current = readFileSync(readmePath, "utf8").replace(
      SIZES,
      "<!-- bundle-sizes:start -->\n<!-- bundle-sizes:end -->",
    );
    if (current !== expected) {
      console.error("README.md is out of date: run npm run readme");
      process.exit(1);
    }
    console.log("README.md is up to date");
  } else {
    writeFileSync(readmePath, expected.replace(SIZES, await sizesTable()));
    console.log("wrote README.md");
  }
}
