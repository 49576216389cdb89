// Starting `wrangler dev` the one way this project does it: quiet and offline, on 127.0.0.1,
// waiting for GET /health. Plain settings go as `--var`; secrets never go on the command line
// (any local user can read a process's argv in `ps`): they are written to a file only this user
// can read, in a private temporary folder, handed over with `--env-file` and deleted when
// wrangler exits. Local D1 migrations are applied the same quiet way. Used by `npm start`
// (scripts/start.mjs), the Worker tests and the benchmarks.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin",
  "wrangler.js",
);

/** Quiet, offline wrangler: no metrics, no update or `cf` fetches. */
export const WRANGLER_ENV = {
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const SECRET_NAME = /^[A-Z_][A-Z0-9_]*$/;
// Kept out of values: quotes and newlines end a dotenv value, `$` is expanded by wrangler's
// dotenv-expand, `#` may start a comment.
const UNSAFE_VALUE = /['"\\\n\r$#]/;

/**
 * Writes `secrets` as a dotenv file readable by this user only (mode 0600, in a fresh folder of
 * mode 0700). Returns its path and a function that deletes it.
 */
export function writeSecretsFile(secrets) {
  const lines = Object.entries(secrets).map(([name, value]) => {
    if (!SECRET_NAME.test(name)) throw new Error(`secret name ${JSON.stringify(name)} is not NAME_LIKE_THIS`);
    if (typeof value !== "string" || UNSAFE_VALUE.test(value)) {
      // The value itself is never shown.
      throw new Error(`secret ${name} must be a string without quotes, backslashes, newlines, $ or #`);
    }
    return `${name}='${value}'`;
  });
  const folder = mkdtempSync(join(tmpdir(), "certn-edge-secrets-"));
  const path = join(folder, "secrets.env");
  writeFileSync(path, `${lines.join("\n")}\n`, { mode: 0o600, flag: "wx" });
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(folder, { recursive: true, force: true });
  };
  return { path, remove };
}

/**
 * Spawns `wrangler dev` for `config` (relative to the project root) on 127.0.0.1:`port`.
 * `vars` are plain settings (`--var`); `secrets` reach the Worker through a private file
 * ({@link writeSecretsFile}, `--env-file`), deleted when wrangler exits. With `--env-file`,
 * wrangler does not read `.dev.vars`.
 * `detached` puts wrangler and workerd in their own process group, for {@link stopProcessGroup}.
 * `testScheduled` serves `/__scheduled?cron=...`, which fires the Cron Trigger (local only).
 */
export function spawnWranglerDev({
  config,
  port,
  persistTo,
  vars = {},
  secrets = {},
  detached = false,
  testScheduled = false,
}) {
  const args = [
    wranglerBin,
    "dev",
    "--config",
    join(root, config),
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
  ];
  args.push("--persist-to", persistTo);
  if (testScheduled) args.push("--test-scheduled");
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const secretsFile = Object.keys(secrets).length > 0 ? writeSecretsFile(secrets) : undefined;
  if (secretsFile !== undefined) args.push("--env-file", secretsFile.path);
  let child;
  try {
    child = spawn(process.execPath, args, {
      cwd: root,
      detached,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...WRANGLER_ENV },
    });
  } catch (error) {
    secretsFile?.remove();
    throw error;
  }
  if (secretsFile !== undefined) {
    child.once("exit", secretsFile.remove);
    child.once("error", secretsFile.remove);
    // Also when this process ends first (a crash, process.exit while wrangler still stops).
    process.once("exit", secretsFile.remove);
  }
  return child;
}

/**
 * Applies the D1 migrations of `config`'s `DB` binding (migrations/) to the local database kept
 * under `persistTo`, as `wrangler dev --persist-to persistTo` will read it: quiet and offline like
 * {@link spawnWranglerDev}. Only migrations not applied yet run, so a second start changes
 * nothing. Rejects with wrangler's output when it fails.
 */
export function applyLocalD1Migrations({ config, persistTo, database = "DB" }) {
  const args = [
    wranglerBin,
    "d1",
    "migrations",
    "apply",
    database,
    "--local",
    "--config",
    join(root, config),
    "--persist-to",
    persistTo,
  ];
  return new Promise((resolveApply, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...WRANGLER_ENV },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolveApply(output);
      else reject(new Error(`wrangler d1 migrations apply ${database} --local failed (${code}):\n${output}`));
    });
  });
}

/** Resolves once `${url}/health` answers 200; rejects after `timeoutMs` or when `child` exits. */
export async function waitForHealth(url, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error("wrangler exited before the Worker was ready");
    }
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
  throw new Error(`the Worker did not answer /health within ${timeoutMs / 1000} s`);
}

/** Stops a detached wrangler and its workerd (the whole process group), SIGKILL after 5 s. */
export async function stopProcessGroup(child) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolveExit) => child.once("exit", resolveExit));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }, 5_000);
  await gone;
  clearTimeout(timer);
}
