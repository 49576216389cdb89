// Starting `wrangler dev` the one way this project does it: quiet and offline, on 127.0.0.1, with
// settings handed over as `--var` (never written to disk), waiting for GET /health. Used by
// `npm start` (scripts/start.mjs), the Worker tests and the benchmarks.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
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

/**
 * Spawns `wrangler dev` for `config` (relative to the project root) on 127.0.0.1:`port`.
 * `detached` puts wrangler and workerd in their own process group, for {@link stopProcessGroup}.
 */
export function spawnWranglerDev({ config, port, persistTo, vars = {}, detached = false }) {
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
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  return spawn(process.execPath, args, {
    cwd: root,
    detached,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...WRANGLER_ENV },
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
