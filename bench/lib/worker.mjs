// Starts the production Worker entry (wrangler.toml) under `wrangler dev`, pointed at a simulator
// served over HTTP, and runs collections through `POST /runs` with an HS256 caller JWT.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";

const root = fileURLToPath(new URL("../../", import.meta.url));
const wranglerBin = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin",
  "wrangler.js",
);

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs `wrangler dev` on the production entry until /health answers.
 * @param {{ simulatorUrl: string, credentials: { clientId: string, clientSecret: string },
 *   persistTo: string, budget?: number }} options
 */
export async function startWorker({ simulatorUrl, credentials, persistTo, budget = 5000 }) {
  const port = await freePort();
  const jwtSecret = randomBytes(32).toString("base64url");
  const child = spawn(
    process.execPath,
    [
      wranglerBin,
      "dev",
      "--config",
      join(root, "wrangler.toml"),
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      persistTo,
      "--var",
      `CERTN_BASE_URL:${simulatorUrl}`,
      "--var",
      `CERTN_CLIENT_ID:${credentials.clientId}`,
      "--var",
      `CERTN_CLIENT_SECRET:${credentials.clientSecret}`,
      "--var",
      `RUNNER_JWT_SECRET:${jwtSecret}`,
      "--var",
      `RUNNER_SUBREQUEST_BUDGET:${budget}`,
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
      env: {
        ...process.env,
        CI: "true",
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
    },
  );
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited)
      throw new Error(`wrangler dev exited before answering:\n${output.split(jwtSecret).join("(secret)")}`);
    if (Date.now() > deadline) {
      process.kill(-child.pid, "SIGTERM");
      throw new Error(
        `wrangler dev did not answer /health in 90 s:\n${output.split(jwtSecret).join("(secret)")}`,
      );
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const key = new TextEncoder().encode(jwtSecret);
  const jwt = await new SignJWT({ sub: "bench" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key);
  return {
    url,
    /** POST /runs; resolves with the run result and the client-side wall time. */
    async run(collection, inputs) {
      const started = performance.now();
      const response = await fetch(`${url}/runs`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${jwt}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify({ collection, ...inputs }),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      if (!response.ok) throw new Error(`POST /runs answered ${response.status}: ${text.slice(0, 500)}`);
      return { ms, result: JSON.parse(text) };
    },
    /** Stops wrangler and workerd (the whole process group). */
    async close() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
