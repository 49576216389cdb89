/**
 * The package as npm publishes it: built with scripts/build.mjs into a private folder with what
 * `files` ships, then `npm pack`ed there, so tests never read or rebuild the shared dist/ (other
 * processes rebuild it at any time). The folder is named by a hash of everything that goes into
 * the tarball; the first test file to take the lock builds it, the others reuse it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

/** The repository root. */
export const ROOT = join(import.meta.dirname, "../../../..");

/** Files copied beside dist/ (what package.json `files` ships, plus package.json). */
const SHIPPED = ["package.json", "README.md", "LICENSE"];

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, keep);
    return keep(entry.name) ? [path] : [];
  });
}

function inputHash(): string {
  const hash = createHash("sha256");
  const files = [
    ...filesUnder(join(ROOT, "src"), (name) => name.endsWith(".ts")),
    ...filesUnder(join(ROOT, "collections"), (name) => name.endsWith(".json")),
    ...readdirSync(ROOT)
      .filter((name) => /^tsconfig.*\.json$/.test(name) || SHIPPED.includes(name))
      .map((name) => join(ROOT, name)),
    join(ROOT, "scripts/build.mjs"),
  ];
  for (const file of files.sort()) {
    hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** A built and packed package. */
export interface PackedPackage {
  /** The package folder that was packed (package.json, dist/, collections/...). */
  dir: string;
  /** The `.tgz` that `npm pack` wrote. */
  tarball: string;
  /** Whether the declarations built without type errors, and tsc's report. */
  types: { ok: boolean; output: string };
}

/** Builds and packs the package once per source state (several test files share it). */
export function packedPackage(): PackedPackage {
  const home = join(tmpdir(), `certn-edge-packed-${inputHash()}`);
  const done = join(home, "done.json");
  const lock = `${home}.lock`;
  for (let waited = 0; !existsSync(done); waited += 200) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else builds; a lock older than 5 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (waited > 280_000) throw new Error(`timed out waiting for the package build in ${home}`);
      sleepSync(200);
      continue;
    }
    try {
      if (!existsSync(done)) build(home, done);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return JSON.parse(readFileSync(done, "utf8")) as PackedPackage;
}

function build(home: string, done: string): void {
  rmSync(home, { recursive: true, force: true });
  const dir = join(home, "package");
  mkdirSync(join(dir, "collections"), { recursive: true });
  for (const name of SHIPPED) if (existsSync(join(ROOT, name))) cpSync(join(ROOT, name), join(dir, name));
  for (const name of readdirSync(join(ROOT, "collections")).filter((file) => file.endsWith(".json"))) {
    cpSync(join(ROOT, "collections", name), join(dir, "collections", name));
  }
  const result = spawnSync(
    process.execPath,
    [join(ROOT, "scripts/build.mjs"), "--outdir", join(dir, "dist")],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (!existsSync(join(dir, "dist/index.js")) || !existsSync(join(dir, "dist/index.d.ts"))) {
    throw new Error(`scripts/build.mjs produced no package:\n${result.stdout}${result.stderr}`);
  }
  // --ignore-scripts: `prepare` would rebuild; dist/ is already what it would build.
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", home], {
      cwd: dir,
      encoding: "utf8",
    }),
  ) as { filename: string }[];
  const info: PackedPackage = {
    dir,
    tarball: join(home, packed[0]!.filename),
    types: { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() },
  };
  writeFileSync(done, JSON.stringify(info));
  removeStale(home);
}

/** Builds of older source states, unused for an hour, are removed. */
function removeStale(keep: string): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith("certn-edge-packed-") || path === keep || name.endsWith(".lock")) continue;
    const marker = join(path, "done.json");
    if (existsSync(marker) && Date.now() - statSync(marker).mtimeMs > 3_600_000)
      rmSync(path, { recursive: true, force: true });
  }
}

/**
 * A fresh project (ESM package.json) with the packed tarball installed by
 * `npm install --offline`: what `npm install certn-edge` gives a user, without the network.
 */
export function installPacked(prefix: string): { project: string; packed: PackedPackage } {
  const packed = packedPackage();
  const project = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  execFileSync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--loglevel", "error", packed.tarball],
    { cwd: project, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } },
  );
  return { project, packed };
}

/** The packages in `project`'s node_modules (scoped ones as `@scope/name`). */
export function installedPackages(project: string): string[] {
  const modules = join(project, "node_modules");
  return readdirSync(modules, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
    .flatMap((entry) =>
      entry.name.startsWith("@")
        ? readdirSync(join(modules, entry.name)).map((name) => `${entry.name}/${name}`)
        : [entry.name],
    )
    .sort();
}
