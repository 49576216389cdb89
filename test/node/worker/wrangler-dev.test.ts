/**
 * Plain `wrangler dev` (the production config, no --env) reads CERTN_* and RUNNER_* from --var
 * and reaches a loopback http: Certn: here the simulator served over real HTTP on 127.0.0.1.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { freePort } from "./free-port.ts";

const root = resolve(import.meta.dirname, "../../..");
const persistTo = mkdtempSync(join(tmpdir(), "certn-edge-wrangler-dev-"));
const callerSecret = `caller-${crypto.randomUUID()}-${crypto.randomUUID()}`;
let child: ChildProcess | undefined;
let served: ServedCertnSimulator | undefined;

afterAll(async () => {
  const running = child;
  if (running?.pid !== undefined && running.exitCode === null && running.signalCode === null) {
    const exited = new Promise((resolveExit) => running.once("exit", resolveExit));
    process.kill(-running.pid, "SIGTERM");
    await exited;
  }
  await served?.close();
  rmSync(persistTo, { recursive: true, force: true });
});

describe("wrangler dev (production entry)", () => {
  it("runs a bundled collection against a loopback http: CERTN_BASE_URL given with --var", {
    timeout: 120_000,
  }, async () => {
    served = await serveCertnSimulator({ rateLimit: false });
    const { clientId, clientSecret } = served.simulator.credentials;
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        join(root, "node_modules/wrangler/bin/wrangler.js"),
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--persist-to",
        persistTo,
        "--var",
        `CERTN_BASE_URL:${served.url}`,
        "--var",
        `CERTN_CLIENT_ID:${clientId}`,
        "--var",
        `CERTN_CLIENT_SECRET:${clientSecret}`,
        "--var",
        `RUNNER_JWT_SECRET:${callerSecret}`,
      ],
      {
        cwd: root,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
          ...process.env,
          CI: "true",
          WRANGLER_SEND_METRICS: "false",
          CLOUDFLARE_CF_FETCH_ENABLED: "false",
        },
      },
    );
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const base = `http://127.0.0.1:${port}`;
    let healthy = false;
    for (let attempt = 0; attempt < 240 && !healthy && child.exitCode === null; attempt++) {
      healthy = await fetch(`${base}/health`).then(
        (answer) => answer.ok,
        () => false,
      );
      if (!healthy) await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    }
    expect(healthy, output).toBe(true);

    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({ exp: now + 600 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(callerSecret));
    const response = await fetch(`${base}/collections/certn-smoke/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${jwt}` },
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const result = JSON.parse(text) as { summary: { items: number; passed: number } };
    expect(result.summary.items).toBeGreaterThan(0);
    expect(result.summary.passed).toBe(result.summary.items);
    expect(served.simulator.tokenRequests).toBe(1);
    expect(text).not.toContain(clientSecret);
    expect(output).not.toContain(clientSecret);
    expect(output).not.toContain(callerSecret);
  });
});
