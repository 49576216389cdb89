/**
 * Plain `wrangler dev` (the production config, no --env) reads CERTN_* and RUNNER_* from --var
 * and reaches a loopback http: Certn: here the simulator served over real HTTP on 127.0.0.1.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import {
  freePort,
  spawnWranglerDev,
  stopProcessGroup,
  waitForHealth,
} from "../../../scripts/wrangler-dev.mjs";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";

const persistTo = mkdtempSync(join(tmpdir(), "certn-edge-wrangler-dev-"));
const callerSecret = `caller-${crypto.randomUUID()}-${crypto.randomUUID()}`;
let child: ChildProcess | undefined;
let served: ServedCertnSimulator | undefined;

afterAll(async () => {
  if (child) await stopProcessGroup(child);
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
    child = spawnWranglerDev({
      config: "wrangler.toml",
      port,
      persistTo,
      detached: true,
      vars: {
        CERTN_BASE_URL: served.url,
        CERTN_CLIENT_ID: clientId,
        CERTN_CLIENT_SECRET: clientSecret,
        RUNNER_JWT_SECRET: callerSecret,
      },
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });

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
