// Starts the production Worker entry (wrangler.toml) under `wrangler dev`, pointed at a simulator
// served over HTTP, and runs collections through `POST /runs` with an HS256 caller JWT.
import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import {
  applyLocalD1Migrations,
  freePort,
  spawnWranglerDev,
  stopProcessGroup,
  waitForHealth,
} from "../../scripts/wrangler-dev.mjs";

export { freePort };

/** The statuses a run ends in. */
export const FINAL_STATUSES = new Set(["passed", "failed", "errored", "cancelled"]);

/**
 * Runs `wrangler dev` on the production entry until /health answers.
 * @param {{ simulatorUrl: string, credentials: { clientId: string, clientSecret: string },
 *   persistTo: string, budget?: number, secrets?: Record<string, string>,
 *   vars?: Record<string, string> }} options
 *   `secrets`: more secrets for the Worker (webhook signing secrets, for durable runs);
 *   `vars`: more vars (RUNNER_RATE_LIMIT, for the shared budget).
 */
export async function startWorker({
  simulatorUrl,
  credentials,
  persistTo,
  budget = 5000,
  secrets = {},
  vars = {},
}) {
  const port = await freePort();
  // Runs are recorded in D1: without its schema every run answers 503 (as `npm start` does it).
  await applyLocalD1Migrations({ config: "wrangler.toml", persistTo });
  const jwtSecret = randomBytes(32).toString("base64url");
  const child = spawnWranglerDev({
    config: "wrangler.toml",
    port,
    persistTo,
    detached: true,
    vars: {
      CERTN_BASE_URL: simulatorUrl,
      CERTN_CLIENT_ID: credentials.clientId,
      RUNNER_SUBREQUEST_BUDGET: String(budget),
      ...vars,
    },
    // Never on the command line: a private file (see scripts/wrangler-dev.mjs).
    secrets: { ...secrets, CERTN_CLIENT_SECRET: credentials.clientSecret, RUNNER_JWT_SECRET: jwtSecret },
  });
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, 90_000);
  } catch (error) {
    await stopProcessGroup(child);
    throw new Error(`${error.message}:\n${output.split(jwtSecret).join("(secret)")}`);
  }
  const key = new TextEncoder().encode(jwtSecret);
  // POST /runs needs runs:adhoc; a token without a scope claim gets RUNNER_DEFAULT_SCOPES only.
  const jwt = await new SignJWT({ sub: "bench", scope: "runs:adhoc" })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key);
  const authorization = `Bearer ${jwt}`;
  return {
    url,
    authorization,
    /** POST /runs; resolves with the run result and the client-side wall time. */
    async run(collection, inputs) {
      const started = performance.now();
      const response = await fetch(`${url}/runs`, {
        method: "POST",
        headers: {
          authorization,
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
    /** Starts a durable run (`Prefer: respond-async`); resolves with its run id. */
    async startDurable(collection, inputs) {
      const response = await fetch(`${url}/runs`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json", prefer: "respond-async" },
        body: JSON.stringify({ collection, ...inputs }),
      });
      const text = await response.text();
      if (response.status !== 202)
        throw new Error(`durable POST /runs answered ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text).runId;
    },
    /**
     * Polls `GET /runs/:runId` every `pollMs` until `done(run)`; `onRecord` sees each answer's
     * text (its size, say). Resolves with the run record.
     */
    async untilRun(runId, done, { pollMs = 5, timeoutMs = 120_000, onRecord = () => undefined } = {}) {
      const started = performance.now();
      for (;;) {
        const response = await fetch(`${url}/runs/${runId}`, { headers: { authorization } });
        const text = await response.text();
        if (!response.ok)
          throw new Error(`GET /runs/${runId} answered ${response.status}: ${text.slice(0, 300)}`);
        onRecord(text);
        const run = JSON.parse(text);
        if (done(run)) return run;
        if (performance.now() - started > timeoutMs) throw new Error(`run ${runId} stuck in ${run.status}`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    /** The Worker's recent console output (the last 20,000 characters), secrets cut out. */
    logs: () => output.split(jwtSecret).join("(secret)"),
    /** Stops wrangler and workerd (the whole process group). */
    close: () => stopProcessGroup(child),
  };
}
