/**
 * The two entries: production (src/worker/index.ts) reads everything from its bindings; the
 * development entry (src/worker/dev.ts) runs the same app against the embedded simulator with no
 * Certn credentials at all. Also: every bundled collection is valid.
 */

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/runner/index.ts";
import { BUNDLED_COLLECTIONS } from "../../../src/worker/bundled-collections.ts";
import development from "../../../src/worker/dev.ts";
import type { Env } from "../../../src/worker/env.ts";
import production from "../../../src/worker/index.ts";
import { CALLER_SECRET, callerToken, SMOKE_ITEMS } from "./harness.ts";

const bindings: Env = { TOKEN_CACHE: poolEnv.TOKEN_CACHE, COLLECTIONS: poolEnv.COLLECTIONS };

/** A request as the platform hands it to an entry. */
function incoming(url: string, init?: RequestInit): Request<unknown, IncomingRequestCfProperties> {
  return new Request(url, init) as unknown as Request<unknown, IncomingRequestCfProperties>;
}

describe("production entry", () => {
  it("answers /health, and 503 on other routes until caller authentication is configured", async () => {
    const ctx = createExecutionContext();
    const health = await production.fetch(incoming("https://worker.test/health"), bindings, ctx);
    expect(health.status).toBe(200);
    const runs = await production.fetch(
      incoming("https://worker.test/collections/certn-smoke/runs", { method: "POST" }),
      bindings,
      ctx,
    );
    expect(runs.status).toBe(503);
    await waitOnExecutionContext(ctx);
  });

  it("refuses to run without Certn credentials (503) once callers are authenticated", async () => {
    const ctx = createExecutionContext();
    const response = await production.fetch(
      incoming("https://worker.test/collections/certn-smoke/runs", {
        method: "POST",
        headers: { authorization: `Bearer ${await callerToken()}` },
      }),
      { ...bindings, RUNNER_JWT_SECRET: CALLER_SECRET },
      ctx,
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("CERTN_NOT_CONFIGURED");
  });
});

/** `PUT /monitors/:id` through an entry, alerting to a local receiver, with `settings` added. */
async function putLocalAlertMonitor(entry: typeof production, settings: Partial<Env>): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await entry.fetch(
    incoming(`https://worker.test/monitors/local-${crypto.randomUUID().slice(0, 8)}`, {
      method: "PUT",
      headers: {
        authorization: `Bearer ${await callerToken({ scope: "monitors:write runs:saved" })}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        collection: "certn-smoke",
        schedule: "@daily",
        alert: { url: "http://127.0.0.1:9/hook", on: "failure" },
      }),
    }),
    {
      ...bindings,
      DB: poolEnv.DB,
      RUNNER_JWT_SECRET: CALLER_SECRET,
      CERTN_CLIENT_ID: "id",
      CERTN_CLIENT_SECRET: "secret-for-sealing",
      ...settings,
    },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("monitors in the entries", () => {
  it("accept an alert URL on 127.0.0.1 only in the development entry with RUNNER_ALERTS_ALLOW_LOOPBACK", async () => {
    const flag = { RUNNER_ALERTS_ALLOW_LOOPBACK: "true" };
    const refused = await putLocalAlertMonitor(production, flag);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { issues: Array<{ path: string }> };
    expect(body.issues.map((issue) => issue.path)).toEqual(["/alert/url"]);
    expect((await putLocalAlertMonitor(development, {})).status).toBe(400);
    expect((await putLocalAlertMonitor(development, { RUNNER_ALERTS_ALLOW_LOOPBACK: "1" })).status).toBe(400);
    expect((await putLocalAlertMonitor(development, flag)).status).toBe(201);
  });

  it("skip a tick, logging it, when D1 or the Workflow binding is missing", async () => {
    for (const entry of [production, development]) {
      await expect(
        entry.scheduled(
          createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }),
          bindings,
        ),
      ).resolves.toBeUndefined();
    }
  });
});

/** Runs the collection `id` through the development entry as an authenticated caller. */
async function runOnDevelopment(id: string): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await development.fetch(
    incoming(`https://worker.test/collections/${id}/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${await callerToken()}`, "content-type": "application/json" },
      body: "{}",
    }),
    { ...bindings, RUNNER_JWT_SECRET: CALLER_SECRET },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

describe("development entry", () => {
  it("runs the bundled smoke collection against the embedded simulator with no Certn credentials", async () => {
    const response = await runOnDevelopment("certn-smoke");
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      summary: { passed: number; failed: number; errored: number };
    };
    expect(result.summary).toMatchObject({ passed: SMOKE_ITEMS, failed: 0, errored: 0 });
  });

  // Real-time simulator: the polling collections wait for simulated screening to finish.
  it.concurrent.each(Object.keys(BUNDLED_COLLECTIONS))(
    "runs the bundled collection %s green (partner ones with client credentials, CertnCentric ones with an API key)",
    async (id) => {
      const response = await runOnDevelopment(id);
      expect(response.status).toBe(200);
      const result = (await response.json()) as {
        summary: { items: number; passed: number; failed: number; errored: number };
        items: { name: string; status: string; error: unknown }[];
      };
      const notPassed = result.items.filter((item) => item.status !== "passed");
      expect(notPassed).toEqual([]);
      expect(result.summary.passed).toBe(result.summary.items);
    },
    120_000,
  );

  it("still requires a caller token", async () => {
    const response = await development.fetch(
      incoming("https://worker.test/collections", { method: "GET" }),
      { ...bindings, RUNNER_JWT_SECRET: CALLER_SECRET },
      createExecutionContext(),
    );
    expect(response.status).toBe(401);
  });
});

describe("bundled collections", () => {
  it("are all valid collections with ids usable in URLs", () => {
    expect(Object.keys(BUNDLED_COLLECTIONS).length).toBeGreaterThan(0);
    for (const [id, value] of Object.entries(BUNDLED_COLLECTIONS)) {
      expect(id).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
      const parsed = parseCollection(value);
      expect(parsed.ok ? [] : parsed.issues, id).toEqual([]);
    }
  });
});
