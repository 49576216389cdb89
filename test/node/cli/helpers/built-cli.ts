/**
 * The CLI as users run it: `tsc -p tsconfig.build.json` output, started with `node`. The build
 * goes to a private folder named by a hash of the sources, so concurrent test files (and other
 * builds of dist/) never race: the first file to get the lock builds, the others reuse it.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

/** The repository root. */
export const ROOT = join(import.meta.dirname, "../../../..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path.endsWith(join("src", "worker")) ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function sourceHash(): string {
  const hash = createHash("sha256");
  for (const file of [
    ...sourceFiles(join(ROOT, "src")),
    join(ROOT, "tsconfig.json"),
    join(ROOT, "tsconfig.build.json"),
  ].sort()) {
    hash.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds the package into a private folder (once per source state) and returns the path of
 * `dist/cli/main.js` there. The folder holds package.json, the live collections/ (a link) and a
 * link to node_modules, as an installed package would.
 */
export function buildCli(): string {
  const home = join(tmpdir(), `certn-edge-cli-build-${sourceHash()}`);
  const main = join(home, "dist/cli/main.js");
  const done = join(home, ".complete");
  const lock = `${home}.lock`;
  for (let waited = 0; !existsSync(done); waited += 200) {
    try {
      mkdirSync(lock);
    } catch {
      // Someone else builds; a lock older than 5 minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true });
      if (waited > 240_000) throw new Error(`timed out waiting for the CLI build in ${home}`);
      sleepSync(200);
      continue;
    }
    try {
      if (!existsSync(done)) {
        rmSync(home, { recursive: true, force: true });
        mkdirSync(home, { recursive: true });
        const tsc = spawnSync(
          process.execPath,
          [
            join(ROOT, "node_modules/typescript/bin/tsc"),
            "-p",
            join(ROOT, "tsconfig.build.json"),
            "--outDir",
            join(home, "dist"),
          ],
          { cwd: ROOT, encoding: "utf8" },
        );
        // Type errors elsewhere in the tree still emit JavaScript; only a missing entry is fatal here.
        if (!existsSync(main))
          throw new Error(`the build produced no dist/cli/main.js:\n${tsc.stdout}${tsc.stderr}`);
        copyFileSync(join(ROOT, "package.json"), join(home, "package.json"));
        symlinkSync(join(ROOT, "collections"), join(home, "collections"), "dir");
        symlinkSync(join(ROOT, "node_modules"), join(home, "node_modules"), "dir");
        writeFileSync(done, new Date().toISOString());
        removeStaleBuilds(home);
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return main;
}

/** Builds of older source states, unused for an hour, are removed. */
function removeStaleBuilds(keep: string): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (!name.startsWith("certn-edge-cli-build-") || path === keep || name.endsWith(".lock")) continue;
    const marker = join(path, ".complete");
    if (existsSync(marker) && Date.now() - statSync(marker).mtimeMs > 3_600_000)
      rmSync(path, { recursive: true, force: true });
  }
}

/** The outcome of one CLI process. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  cwd?: string;
  /** Added to a clean environment (PATH and HOME only, so the host's CERTN_* never leak in). */
  env?: Record<string, string>;
  input?: string;
}

/** The environment a test CLI starts from: nothing but PATH and HOME. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? tmpdir(), ...extra };
}

/** Runs `node <main> ...args` and collects its output (asynchronously, so servers in this process keep answering). */
export function runCli(
  main: string,
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cleanEnv(options.env),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
