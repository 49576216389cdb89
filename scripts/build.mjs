#!/usr/bin/env node
// Builds the published package into dist/:
// - JavaScript: one esbuild run over every entry point (ESM, code splitting), so the entries share
//   their common code through dist/chunks/ instead of each carrying a copy. The third-party
//   packages the runner, simulator and CLI use (valibot, @cfworker/json-schema, re2js, hono,
//   @hono/node-server) are bundled in, so installing certn-edge installs nothing else; Node's
//   built-in modules and undici (the CLI's optional proxy support, an optional peer) stay imports.
// - Declarations: tsc (emitDeclarationOnly, tsconfig.build.json) at the same paths as the
//   JavaScript entries (dist/index.d.ts, dist/runner/index.d.ts...).
// The new tree is written beside the old one and swapped in at the end, so the dist/ that tests
// and other processes read is never half-written for long.
// Usage: node scripts/build.mjs [--outdir DIR] [--no-types]
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Every JavaScript entry point: output path under dist/ (without `.js`) and its source. */
export const ENTRY_POINTS = {
  index: "src/index.ts",
  "runner/index": "src/runner/index.ts",
  "webhooks/index": "src/webhooks/index.ts",
  "simulator/index": "src/simulator/index.ts",
  "simulator/node": "src/simulator/node.ts",
  "cli/main": "src/cli/main.ts",
};

/**
 * Imports left to the host: Node's built-in modules (only the Node entries use them) and undici,
 * which the CLI loads only when a proxy variable is set (an optional peer dependency).
 */
export const EXTERNAL = ["undici", "node:*", ...builtinModules];

/**
 * The esbuild options of the published JavaScript. `platform: "neutral"` keeps esbuild from
 * choosing Node- or browser-only variants: the library entries run in every runtime.
 */
export function esbuildOptions(outdir) {
  return {
    absWorkingDir: root,
    entryPoints: Object.entries(ENTRY_POINTS).map(([out, source]) => ({ in: source, out })),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2022",
    external: EXTERNAL,
    // dist/chunks/ is as deep as dist/cli/: the CLI finds its package root (package.json,
    // collections/) as `new URL("../../", import.meta.url)`, right from either folder.
    chunkNames: "chunks/[name]-[hash]",
    charset: "utf8",
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  };
}

/** The packages (by name) whose files went into the bundle, from esbuild's metafile. */
export function bundledPackages(metafile) {
  const names = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) names.add(match[1]);
  }
  return [...names].sort();
}

/**
 * Bundling copies third-party code, so their licence texts ship with it (dist/THIRD-PARTY-LICENSES.md),
 * as their MIT licences ask; esbuild's own legal comments would only keep `/*!` comments.
 */
function writeLicenses(outdir, packages) {
  const sections = packages.map((name) => {
    const dir = join(root, "node_modules", name);
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const file = readdirSync(dir).find((entry) => /^(licen[cs]e|copying)(\.|$)/i.test(entry));
    const text =
      file === undefined ? `License: ${meta.license}` : readFileSync(join(dir, file), "utf8").trim();
    return `## ${name} ${meta.version}\n\n${text}\n`;
  });
  writeFileSync(
    join(outdir, "THIRD-PARTY-LICENSES.md"),
    `# Third-party code bundled into certn-edge\n\n${sections.join("\n")}`,
  );
}

/** Bundles the JavaScript into `outdir` (emptied first) and returns esbuild's metafile. */
export async function buildJavaScript(outdir) {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build(esbuildOptions(outdir));
  // The bin: esbuild keeps main.ts's `#!/usr/bin/env node` line; npm links it as an executable.
  chmodSync(join(outdir, "cli/main.js"), 0o755);
  writeLicenses(outdir, bundledPackages(result.metafile));
  return result.metafile;
}

/** The declaration files of the package entry points (every JavaScript entry but the CLI's). */
const DECLARATION_ENTRIES = Object.keys(ENTRY_POINTS)
  .filter((entry) => !entry.startsWith("cli/"))
  .map((entry) => `${entry}.d.ts`);

/**
 * tsc writes a declaration for every module the entries import, types or not; only those the
 * entries' declarations reach can matter to a user. The others (for example the collection
 * schema's, a few hundred kB of inferred valibot types) are removed.
 */
function pruneDeclarations(outdir) {
  const reached = new Set();
  const queue = DECLARATION_ENTRIES.map((entry) => join(outdir, entry));
  while (queue.length > 0) {
    const file = queue.pop();
    if (reached.has(file) || !existsSync(file)) continue;
    reached.add(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)"(\.{1,2}\/[^"]+)"/g)) {
      queue.push(join(dirname(file), match[1].replace(/\.(ts|js)$/, ".d.ts")));
    }
  }
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
      } else if (entry.name.endsWith(".d.ts") && !reached.has(path)) {
        rmSync(path);
      }
    }
  };
  walk(outdir);
}

/**
 * Writes the declarations into `outdir`. Resolves with tsc's report: type errors still emit
 * (so a build in progress stays usable) but make the build fail.
 */
export function buildDeclarations(outdir) {
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, "node_modules/typescript/bin/tsc"),
      "-p",
      join(root, "tsconfig.build.json"),
      "--outDir",
      outdir,
    ],
    { cwd: root, encoding: "utf8" },
  );
  pruneDeclarations(outdir);
  return { ok: tsc.status === 0, output: `${tsc.stdout}${tsc.stderr}`.trim() };
}

/**
 * Builds the package into `outdir` (default dist/): JavaScript, then declarations unless
 * `types` is false. Resolves with `{ ok, output, metafile }`.
 */
export async function buildPackage({ outdir = join(root, "dist"), types = true } = {}) {
  const target = resolve(outdir);
  const staging = join(dirname(target), `.${basename(target)}-build-${process.pid}`);
  try {
    const metafile = await buildJavaScript(staging);
    const declarations = types ? buildDeclarations(staging) : { ok: true, output: "" };
    const old = join(dirname(target), `.${basename(target)}-old-${process.pid}`);
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
    return { ...declarations, metafile };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { outdir: { type: "string" }, "no-types": { type: "boolean", default: false } },
  });
  const outdir = values.outdir === undefined ? join(root, "dist") : resolve(values.outdir);
  const result = await buildPackage({ outdir, types: !values["no-types"] });
  const packages = bundledPackages(result.metafile);
  console.log(
    `built ${relative(process.cwd(), outdir) || "."}: ${Object.keys(ENTRY_POINTS).length} entries, bundled ${packages.join(", ") || "no package"}`,
  );
  if (!result.ok) {
    console.error(result.output);
    process.exit(1);
  }
}
