#!/usr/bin/env node
// Minified and gzipped sizes of what users import, measured by bundling a one-line entry with
// esbuild exactly as an application bundler would (ESM, browser platform, tree-shaken).
// Prints JSON; `--check` compares against bundle-size-budget.json and exits 1 when over budget;
// `--modules <entry>` lists that entry's source files by the minified bytes each adds, largest first
// (gzip works across files, so per-file gzipped figures would not add up); with `--without a,b`,
// the same entry with those source files (paths as `--modules` prints them) emptied: what they
// add, measured as a whole (how #17's notes weigh a part against a size target).
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
  // The web console's client script, as scripts/bundle-console.mjs bundles it into the Worker's
  // static assets (what a browser downloads; not part of the Worker's code). Most of it is the
  // collection parser with re2js, the same parse the Worker runs.
  // An entry point, not an import: the client only runs (it exports nothing), so an import of it
  // would be dropped as free of side effects (package.json says `sideEffects: false`).
  console: { entryPoint: "src/worker/console/client/main.ts" },
};

/** Bundles one entry and returns its minified and gzipped byte counts. */
export async function measure(entry) {
  const { minified, gzipped } = await bundle(entry);
  return { minified, gzipped };
}

/**
 * Replaces the listed source files with an empty CommonJS module: what imports them still builds
 * (a CommonJS module may lack any name), and nothing of theirs is bundled. A path the bundle never
 * loads fails the build by name: a mistyped path would otherwise measure the whole entry as if
 * that file were gone.
 */
function emptied(paths) {
  const unseen = new Map(paths.map((path) => [join(root, path), path]));
  return {
    name: "emptied",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) =>
        unseen.delete(args.path) ? { contents: "module.exports = {};", loader: "js" } : undefined,
      );
      build.onEnd(() => {
        if (unseen.size > 0) {
          throw new Error(`--without: not part of this bundle: ${[...unseen.values()].join(", ")}`);
        }
      });
    },
  };
}

/**
 * Bundles one entry (the code of a one-line module, or `{ entryPoint }`, a file to bundle as it
 * is), with the source files in `without` emptied; `modules` maps each source file to the
 * minified bytes it adds.
 */
export async function bundle(entry, without = []) {
  const input =
    typeof entry === "string"
      ? { stdin: { contents: entry, resolveDir: root, loader: "ts" } }
      : { entryPoints: [join(root, entry.entryPoint)] };
  const result = await build({
    ...input,
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: without.length > 0 ? [emptied(without)] : [],
  });
  const code = result.outputFiles[0].contents;
  const [output] = Object.values(result.metafile.outputs);
  const modules = Object.entries(output.inputs)
    .map(([path, input]) => [path, input.bytesInOutput])
    .sort((a, b) => b[1] - a[1]);
  return {
    minified: code.byteLength,
    gzipped: gzipSync(code, { level: 9 }).byteLength,
    modules: Object.fromEntries(modules),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.indexOf("--modules");
  if (only !== -1) {
    const name = process.argv[only + 1];
    if (!(name in ENTRIES)) {
      console.error(`--modules needs one of: ${Object.keys(ENTRIES).join(", ")}`);
      process.exit(2);
    }
    const at = process.argv.indexOf("--without");
    const without = at === -1 ? [] : (process.argv[at + 1] ?? "").split(",").filter(Boolean);
    const { minified, gzipped, modules } = await bundle(ENTRIES[name], without).catch((error) => {
      // esbuild's message names the plugin and the path that no module of the entry has.
      console.error(error.errors?.[0]?.text ?? error.message);
      process.exit(2);
    });
    const emptiedNote = without.length > 0 ? ` (emptied: ${without.join(", ")})` : "";
    console.log(`${name}: ${minified} B minified, ${gzipped} B gzipped${emptiedNote}`);
    for (const [path, bytes] of Object.entries(modules)) console.log(`${String(bytes).padStart(7)}  ${path}`);
    process.exit(0);
  }
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
