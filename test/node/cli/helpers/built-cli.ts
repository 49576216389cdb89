/**
 * The CLI as users run it: the `scripts/build.mjs` bundles, started with `node`. The build
 * goes to a private folder named by a hash of the sources, so concurrent test files (and other
 * builds of dist/) never race: the first file to get the lock builds, the others reuse it.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import type { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, vi } from "vitest";

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
    join(ROOT, "scripts/build.mjs"),
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
        // The published JavaScript (scripts/build.mjs, esbuild bundles); the CLI needs no declarations.
        const build = spawnSync(
          process.execPath,
          [join(ROOT, "scripts/build.mjs"), "--outdir", join(home, "dist"), "--no-types"],
          { cwd: ROOT, encoding: "utf8" },
        );
        if (!existsSync(main))
          throw new Error(`the build produced no dist/cli/main.js:\n${build.stdout}${build.stderr}`);
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

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  cwd: string;
  env: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is ignored. */
  input?: string;
}

/** Runs `command ...args` and collects its output (asynchronously, so servers in this process keep answering). */
export function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
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
    child.stdin?.end(options.input);
  });
}

/** Runs `node <main> ...args` in a clean environment and collects its output. */
export function runCli(
  main: string,
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<CliResult> {
  return runProcess(process.execPath, [main, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    input: options.input ?? "",
  });
}

/** The built CLI and a scratch folder of one test file. */
export interface BuiltCli {
  /** The built entry, for {@link runCli}. */
  readonly main: string;
  /** A fresh folder for the file's outputs. */
  readonly work: string;
}

/**
 * Builds the CLI before the test file's first test and makes a scratch folder named from `prefix`,
 * removed after the last one. Read the fields inside tests: they are set in `beforeAll`.
 */
export function useBuiltCli(prefix: string): BuiltCli {
  // Each test starts real processes, which takes a while on a busy machine.
  vi.setConfig({ testTimeout: 180_000 });
  const cli = { main: "", work: "" };
  beforeAll(() => {
    cli.main = buildCli();
    cli.work = mkdtempSync(join(tmpdir(), prefix));
  }, 300_000);
  afterAll(() => rmSync(cli.work, { recursive: true, force: true }));
  return cli;
}
