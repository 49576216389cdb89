// The package as it would be published, built into a private folder for this bench run: other
// people rebuild the shared dist/ at any time, and a bench must not measure a half-written tree.
// The folder holds dist/ (scripts/build.mjs --outdir), package.json, collections/ and
// README.md (what `files` ships), and a node_modules link to the repo's dependencies.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Builds the package into `dir`. Resolves with `{ dir, warnings }`; tsc's type errors are
 * warnings (it still emits), a missing output is an error.
 */
export async function buildPackage(dir) {
  mkdirSync(dir, { recursive: true });
  let warnings = "";
  try {
    // The published build (scripts/build.mjs): esbuild bundles, then tsc's declarations.
    await run(process.execPath, [join(root, "scripts/build.mjs"), "--outdir", join(dir, "dist")], {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    warnings = String(error.stderr || error.stdout || error.message).trim();
  }
  for (const file of [
    "dist/cli/main.js",
    "dist/runner/index.js",
    "dist/simulator/node.js",
    "dist/index.js",
  ]) {
    if (!existsSync(join(dir, file))) throw new Error(`the build did not produce ${file}:\n${warnings}`);
  }
  cpSync(join(root, "package.json"), join(dir, "package.json"));
  cpSync(join(root, "collections"), join(dir, "collections"), { recursive: true });
  if (existsSync(join(root, "README.md"))) cpSync(join(root, "README.md"), join(dir, "README.md"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, warnings };
}

/** The dist folder the bench measures: CERTN_BENCH_DIST when set, else the repo's dist/. */
export function distDir() {
  return process.env.CERTN_BENCH_DIST ?? join(root, "dist");
}
