// Size measurements: minified+gzipped bundles of the library and the runner (the lead's
// scripts/bundle-size.mjs), the Worker as `wrangler deploy --dry-run` builds it, and what
// `npm install certn-edge` puts on disk (the packed tarball installed offline: certn-edge bundles
// the code it uses and has no dependency, so that is one package), beside Newman's and Step CI's
// installs taken from bench/package-lock.json.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { ENTRIES, measure } from "../../scripts/bundle-size.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const benchDir = fileURLToPath(new URL("../", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Only what running a collection needs (the rest of the runner entry, such as the Postman importer, tree-shaken). */
const RUN_ONLY = `import { parseCollection, runCollection } from "./src/runner/index.ts"; globalThis.x = [parseCollection, runCollection];`;

/** `{ client, runner, runOnly }`: minified and gzipped bytes of what users import. */
export async function bundleSizes() {
  return {
    client: await measure(ENTRIES.client),
    runner: await measure(ENTRIES.runner),
    runOnly: await measure(RUN_ONLY),
  };
}

/** Bytes of the Worker bundle `wrangler deploy --dry-run` writes, as configured and minified. */
export async function workerSizes() {
  const sizes = {};
  for (const [name, extra] of [
    ["asConfigured", []],
    ["minified", ["--minify"]],
  ]) {
    const outdir = mkdtempSync(join(tmpdir(), "certn-bench-worker-"));
    try {
      await run(process.execPath, [wranglerBin(), "deploy", "--dry-run", "--outdir", outdir, ...extra], {
        cwd: root,
        env: {
          ...process.env,
          CI: "true",
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
        },
        maxBuffer: 16 * 1024 * 1024,
      });
      let raw = 0;
      let gzipped = 0;
      for (const file of readdirSync(outdir)) {
        if (!/\.(m?js|wasm)$/.test(file)) continue;
        const bytes = readFileSync(join(outdir, file));
        raw += bytes.byteLength;
        gzipped += gzipSync(bytes, { level: 9 }).byteLength;
      }
      sizes[name] = { bytes: raw, gzipped };
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  return sizes;
}

function wranglerBin() {
  return join(root, "node_modules", "wrangler", "bin", "wrangler.js");
}

/** Apparent bytes of every file under `dir`, skipping nested node_modules when asked. */
function treeBytes(dir, skipNodeModules = false) {
  return treeUsage(dir, skipNodeModules).apparent;
}

/** Apparent bytes and disk usage (allocated blocks, what `du` counts) of the files under `dir`. */
function treeUsage(dir, skipNodeModules = false) {
  const total = { apparent: 0, disk: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === "node_modules") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = treeUsage(path, skipNodeModules);
      total.apparent += inner.apparent;
      total.disk += inner.disk;
    } else if (entry.isFile()) {
      const stat = statSync(path);
      total.apparent += stat.size;
      total.disk += stat.blocks * 512;
    }
  }
  return total;
}

/** Package folders in a node_modules tree (nested ones included). */
function countPackages(nodeModules) {
  let count = 0;
  let names;
  try {
    names = readdirSync(nodeModules, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of names) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const path = join(nodeModules, entry.name);
    const packages = entry.name.startsWith("@")
      ? readdirSync(path, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(path, e.name))
      : [path];
    for (const pkg of packages) {
      count++;
      count += countPackages(join(pkg, "node_modules"));
    }
  }
  return count;
}

/**
 * Packs certn-edge from `packageDir` (scripts skipped: its dist/ is already built) and installs
 * the tarball into an empty project with `npm install --offline` (no network; any dependency
 * would have to come from npm's cache). Resolves with the tarball's size, the installed bytes, the
 * package count and names (`["certn-edge"]` when nothing else came along), or `{ error }`.
 */
export async function installedSize(packageDir = root) {
  const work = mkdtempSync(join(tmpdir(), "certn-bench-install-"));
  try {
    const { stdout } = await run(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
      cwd: packageDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const packed = JSON.parse(stdout)[0];
    const tarball = join(work, packed.filename);
    const project = join(work, "project");
    await run("mkdir", [project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "probe", private: true }));
    try {
      await run(npm, ["install", "--offline", "--no-audit", "--no-fund", "--loglevel", "error", tarball], {
        cwd: project,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      return {
        tarballBytes: packed.size,
        error: `npm install --offline failed: ${String(error.stderr || error)
          .trim()
          .slice(0, 300)}`,
      };
    }
    const nodeModules = join(project, "node_modules");
    const byPackage = {};
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
      const names = entry.name.startsWith("@")
        ? readdirSync(join(nodeModules, entry.name)).map((name) => `${entry.name}/${name}`)
        : [entry.name];
      for (const name of names) byPackage[name] = treeBytes(join(nodeModules, name));
    }
    return {
      tarballBytes: packed.size,
      unpackedBytes: packed.unpackedSize,
      installedBytes: treeBytes(nodeModules),
      diskBytes: treeUsage(nodeModules).disk,
      packages: countPackages(nodeModules),
      names: Object.keys(byPackage).sort(),
      byPackage,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * What installing `name` alone would put on disk, computed from bench/package-lock.json: the
 * closure of its dependencies resolved the way Node resolves them, and their folders' bytes in
 * bench/node_modules. Returns `{ packages, installedBytes, diskBytes }`, or undefined when absent.
 */
export function peerInstalledSize(name) {
  let lock;
  try {
    lock = JSON.parse(readFileSync(join(benchDir, "package-lock.json"), "utf8"));
  } catch {
    return undefined;
  }
  const packages = lock.packages ?? {};
  const start = `node_modules/${name}`;
  if (!(start in packages)) return undefined;
  const resolve = (from, dep) => {
    let base = from;
    for (;;) {
      const candidate = `${base}/node_modules/${dep}`;
      if (candidate in packages) return candidate;
      const cut = base.lastIndexOf("/node_modules/");
      if (cut < 0) return `node_modules/${dep}` in packages ? `node_modules/${dep}` : undefined;
      base = base.slice(0, cut);
    }
  };
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const path = queue.pop();
    const meta = packages[path];
    for (const dep of Object.keys({ ...meta.dependencies, ...meta.optionalDependencies })) {
      const found = resolve(path, dep);
      if (found !== undefined && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  let installedBytes = 0;
  let diskBytes = 0;
  for (const path of seen) {
    try {
      const usage = treeUsage(join(benchDir, path), true);
      installedBytes += usage.apparent;
      diskBytes += usage.disk;
    } catch {
      // an optional dependency not installed on this platform
    }
  }
  return { packages: seen.size, installedBytes, diskBytes };
}
