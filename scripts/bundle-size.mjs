#!/usr/bin/env node
// Minified and gzipped sizes of what users import, measured by bundling a one-line entry with
// esbuild exactly as an application bundler would (ESM, browser platform, tree-shaken).
// Prints JSON; `--check` compares against bundle-size-budget.json and exits 1 when over budget.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The entries users write, resolved onto the TypeScript sources. */
export const ENTRIES = {
  client: `import { createCertnClient } from "./src/index.ts"; globalThis.x = createCertnClient;`,
  runner: `import * as runner from "./src/runner/index.ts"; globalThis.x = runner;`,
  webhooks: `import * as webhooks from "./src/webhooks/index.ts"; globalThis.x = webhooks;`,
  // The Worker's web console script (served by the Worker, so it adds to the Worker's size too).
  // Most of it is the collection parser with re2js, the same parse the Worker runs.
  console: `import { CONSOLE_SCRIPT } from "./src/worker/console/assets.ts"; globalThis.x = CONSOLE_SCRIPT;`,
};

/** Bundles one entry and returns its minified and gzipped byte counts. */
export async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = {};
  for (const [name, contents] of Object.entries(ENTRIES)) sizes[name] = await measure(contents);
  console.log(JSON.stringify(sizes, null, 2));
  if (process.argv.includes("--check")) {
    const budget = JSON.parse(readFileSync(join(root, "bundle-size-budget.json"), "utf8"));
    let over = false;
    for (const [name, size] of Object.entries(sizes)) {
      if (size.gzipped > budget[name]) {
        console.error(`${name}: ${size.gzipped} B gzipped is over its budget of ${budget[name]} B`);
        over = true;
      }
    }
    process.exit(over ? 1 : 0);
  }
}
