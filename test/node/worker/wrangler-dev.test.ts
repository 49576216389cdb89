/**
 * Plain `wrangler dev` (the production config, no --env) reads CERTN_* and RUNNER_* from vars and
 * secrets and reaches a loopback http: Certn: here the simulator served over real HTTP on
 * 127.0.0.1. Secrets reach wrangler through a private file, never on any process's command line,
 * and the configurations turn on the signal that reports a caller's disconnect. A durable run
 * waits for a signed CertnCentric webhook and passes, its events followed to the end.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyLocalD1Migrations,
  freePort,
  spawnWranglerDev,
  stopProcessGroup,
  waitForHealth,
} from "../../../scripts/wrangler-dev.mjs";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { CONSOLE_SCRIPT_PATH, CONSOLE_STYLE_PATH } from "../../../src/worker/console/assets.ts";
import { CONSOLE_HEADERS } from "../../../src/worker/console/headers.ts";

const persistTo = mkdtempSync(join(tmpdir(), "certn-edge-wrangler-dev-"));
const callerSecret = `caller-${crypto.randomUUID()}-${crypto.randomUUID()}`;
const centricWebhookSecret = `hook-${crypto.randomUUID()}`;
let child: ChildProcess | undefined;
let served: ServedCertnSimulator | undefined;
let base = "";
let output = "";

afterAll(async () => {
  if (child) await stopProcessGroup(child);
  await served?.close();
  rmSync(persistTo, { recursive: true, force: true });
});

/** Command lines (argv joined by spaces) of every live process in `pgid`'s process group. */
function groupCommandLines(pgid: number): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command name (which may hold spaces) start after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      lines.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" "));
    } catch {
      // The process ended while it was being read.
    }
  }
  return lines;
}

/** A caller JWT for this test's wrangler, with `scope`. */
async function callerJwt(scope: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: "wrangler-dev-test", exp: now + 600, scope })
    .setProtectedHeader({ alg: "HS256" })
    .sign(new TextEncoder().encode(callerSecret));
}

describe("wrangler dev (production entry)", () => {
  it("runs a bundled collection against a loopback http: CERTN_BASE_URL", { timeout: 120_000 }, async () => {
    served = await serveCertnSimulator({ rateLimit: false });
    const { clientId, clientSecret } = served.simulator.credentials;
    const port = await freePort();
    // Runs are recorded in D1: its schema first, as `npm start` and a deployment do.
    await applyLocalD1Migrations({ config: "wrangler.toml", persistTo });
    child = spawnWranglerDev({
      config: "wrangler.toml",
      port,
      persistTo,
      detached: true,
      testScheduled: true,
      vars: { CERTN_BASE_URL: served.url, CERTN_CLIENT_ID: clientId, RUNNER_SUBREQUEST_BUDGET: "2000" },
      secrets: {
        CERTN_CLIENT_SECRET: clientSecret,
        RUNNER_JWT_SECRET: callerSecret,
        CERTN_CENTRIC_WEBHOOK_SECRET: centricWebhookSecret,
      },
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, child, 60_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });

    const response = await fetch(`${base}/collections/certn-smoke/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${await callerJwt("runs:saved")}` },
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

  it("runs a durable run that waits for a signed webhook, its events followed to the end", {
    timeout: 120_000,
  }, async () => {
    const caseId = crypto.randomUUID();
    const collection = {
      formatVersion: 1,
      name: "durable wake-up",
      items: [
        {
          name: "case event",
          wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 600_000 },
          capture: { eventType: "$.event_type" },
        },
        {
          name: "teams after the event",
          request: { method: "GET", url: "/api/v1/teams/" },
          assert: [{ that: "status", equals: 200 }],
        },
      ],
    };
    const authorization = `Bearer ${await callerJwt("runs:adhoc")}`;
    const started = await fetch(`${base}/runs`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json", prefer: "respond-async" },
      // A secret: the wait's row keeps it as a digest the receiver recomputes under the same key.
      body: JSON.stringify({ collection, secrets: { caseId } }),
    });
    const startText = await started.text();
    expect(started.status, startText).toBe(202);
    const { runId } = JSON.parse(startText) as { runId: string };
    expect(started.headers.get("location")).toBe(`/runs/${runId}`);

    // Follow the events from the start; the stream ends by itself when the run does.
    const follow = fetch(`${base}/runs/${runId}/events?follow=1`, { headers: { authorization } }).then(
      async (response) => ({ status: response.status, text: await response.text() }),
    );
    const record = async () =>
      (await (await fetch(`${base}/runs/${runId}`, { headers: { authorization } })).json()) as {
        status: string;
        mode: string;
        waitingFor?: unknown;
        result?: { summary: { items: number; passed: number } };
      };
    let run = await record();
    for (let i = 0; run.status !== "waiting" && i < 600; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      run = await record();
    }
    expect(run.status).toBe("waiting");
    expect(JSON.stringify(run.waitingFor)).toContain("certncentric");

    const event = JSON.stringify({
      id: crypto.randomUUID(),
      event_type: "CASE_STATUS_CHANGED",
      object_id: caseId,
      object_type: "CASE",
    });
    const sign = async (secret: string) => {
      const key = await crypto.subtle.importKey(
        "raw",
        new TextEncoder().encode(secret),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      );
      return Buffer.from(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(event))).toString(
        "hex",
      );
    };
    const deliver = (signature: string) =>
      fetch(`${base}/webhooks/certncentric`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-signature": signature },
        body: event,
      });
    // A forged delivery is refused and wakes nothing; the signed one is taken.
    expect((await deliver(await sign("not-the-secret"))).status).toBe(401);
    expect((await record()).status).toBe("waiting");
    expect((await deliver(await sign(centricWebhookSecret))).status).toBe(200);

    const followed = await follow;
    expect(followed.status).toBe(200);
    const types = followed.text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe("run-start");
    expect(types).toContain("item-end");
    expect(types.at(-1)).toBe("run-end");
    run = await record();
    expect(run).toMatchObject({ status: "passed", mode: "durable" });
    expect(run.result?.summary).toMatchObject({ items: 2, passed: 2 });
    expect(output).not.toContain(centricWebhookSecret);
  });

  it("starts a due monitor from the Cron Trigger as a durable run", { timeout: 120_000 }, async () => {
    const headers = {
      authorization: `Bearer ${await callerJwt("monitors:read monitors:write runs:saved")}`,
      "content-type": "application/json",
    };
    // Every 5 minutes: due at any tick, whatever the time (the trigger fires with the clock's time).
    const put = await fetch(`${base}/monitors/smoke`, {
      method: "PUT",
      headers,
      body: JSON.stringify({ collection: "certn-smoke", schedule: "*/5 * * * *" }),
    });
    expect(put.status, await put.text()).toBe(201);
    // wrangler dev --test-scheduled: fires the scheduled handler as the Cron Trigger would.
    const fired = await fetch(`${base}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
    expect(fired.status).toBe(200);
    let lastRuns: Array<{ runId: string; status: string }> = [];
    for (const until = Date.now() + 60_000; Date.now() < until; ) {
      const detail = (await (await fetch(`${base}/monitors/smoke`, { headers })).json()) as {
        lastRuns: typeof lastRuns;
      };
      lastRuns = detail.lastRuns;
      if (lastRuns[0]?.status === "passed" || lastRuns[0]?.status === "failed") break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(lastRuns).toHaveLength(1);
    expect(lastRuns[0]?.status, output).toBe("passed");
    const run = await fetch(`${base}/runs/${lastRuns[0]?.runId}`, { headers });
    expect(await run.json()).toMatchObject({ collection: "certn-smoke", mode: "durable", status: "passed" });
  });

  it("serves the console's script and style sheet as static assets, with the console's headers", async () => {
    const root = join(import.meta.dirname, "../../..");
    for (const [path, type] of [
      [CONSOLE_SCRIPT_PATH, "text/javascript"],
      [CONSOLE_STYLE_PATH, "text/css"],
    ] as const) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
      for (const [name, value] of Object.entries(CONSOLE_HEADERS)) {
        expect(response.headers.get(name), `${path} ${name}`).toBe(value);
      }
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await response.text()).toBe(readFileSync(join(root, "assets", path), "utf8"));
    }
    // The shell names them; an older or made-up version is not found, and _headers is no asset.
    const shell = await (await fetch(`${base}/`)).text();
    expect(shell).toContain(`src="${CONSOLE_SCRIPT_PATH}"`);
    expect((await fetch(`${base}/console/app-0000000000000000.js`)).status).toBe(404);
    expect((await fetch(`${base}/_headers`)).status).toBe(404);
  });

  it("keeps the secrets off every command line, in a file only this user can read", () => {
    const pgid = child?.pid;
    expect(pgid).toBeDefined();
    const commandLines = groupCommandLines(pgid as number);
    // wrangler and the workerd it started.
    expect(commandLines.length).toBeGreaterThanOrEqual(2);
    const secret = served?.simulator.credentials.clientSecret ?? "";
    for (const line of commandLines) {
      expect(line).not.toContain(callerSecret);
      expect(line).not.toContain(secret);
    }
    const wrangler = commandLines.find((line) => line.includes("--env-file")) ?? "";
    const file = /--env-file (\S+)/.exec(wrangler)?.[1] ?? "";
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
  });

  it("turns on Request.signal, which reports a caller's disconnect, in both configurations", () => {
    // workerd reports a disconnect on `request.signal` only with this flag (the runs route hands
    // the signal to the run; test/workers/worker/abort.test.ts drives that). Local workerd never
    // reports disconnects, so the flag itself is what can be checked here; the first test shows
    // this wrangler accepts it.
    for (const config of ["wrangler.toml", "wrangler.dev.toml"]) {
      const text = readFileSync(join(import.meta.dirname, "../../..", config), "utf8");
      const flags = /^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? "";
      expect(flags, config).toContain('"enable_request_signal"');
    }
  });

  it("deletes the secrets file when wrangler exits", async () => {
    const pgid = child?.pid as number;
    const wrangler = groupCommandLines(pgid).find((line) => line.includes("--env-file")) ?? "";
    const file = /--env-file (\S+)/.exec(wrangler)?.[1] ?? "";
    expect(existsSync(file)).toBe(true);
    if (child) await stopProcessGroup(child);
    // The launcher removes it on wrangler's exit event, which follows the process's end.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(existsSync(file)).toBe(false);
    expect(existsSync(dirname(file))).toBe(false);
  });
});
