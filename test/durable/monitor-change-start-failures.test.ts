/**
 * `alert.on: "change"` with runs that could not be started: such a slot has no run record, only a
 * start error, and counts as errored in the monitor's history; the alert that follows it compares
 * with it as such (real app, Cron Trigger handler, Workflow, D1 and alert receiver).
 */
import { createScheduledController } from "cloudflare:test";
import { afterEach, describe, expect, inject, it } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { callerToken, jsonOf } from "../workers/worker/harness.ts";
import { bindings, durableHarness, liveRuns, RUN_SCOPES, settled } from "./helpers.ts";
import worker from "./main.ts";

const receiver = inject("alertReceiver").baseUrl;

/** 12:00 UTC on a day of 2031, and 5 minutes in ms. */
const NOON = Date.UTC(2031, 0, 7, 12, 0);
const FIVE_MINUTES = 5 * 60 * 1000;

async function tick(scheduledTime: number): Promise<void> {
  const env = {
    DB: bindings.DB,
    RUNS: liveRuns(),
    COLLECTIONS: bindings.COLLECTIONS,
    TOKEN_CACHE: bindings.TOKEN_CACHE,
    RESULTS: bindings.RESULTS,
  } as Env;
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), env);
}

async function slotRuns(owner: string, id: string): Promise<string[]> {
  const { results } = await (bindings.DB as D1Database)
    .prepare("SELECT run_id FROM monitor_slots WHERE owner = ? AND monitor_id = ? ORDER BY slot_at")
    .bind(owner, id)
    .all<{ run_id: string }>();
  return results.map((row) => row.run_id);
}

async function received(key: string): Promise<Array<{ body: string }>> {
  return (await fetch(`${receiver}/received/${key}`)).json();
}

const passing = {
  formatVersion: 1,
  name: "monitor probe",
  items: [
    {
      name: "List superteams",
      request: { method: "GET", url: "/api/v1/superteams/" },
      assert: [{ that: "status", equals: 200 }],
    },
  ],
};

afterEach(async () => {
  await (bindings.DB as D1Database).prepare("DELETE FROM monitors").run();
});

describe("on: change with runs that could not be started", () => {
  it("alerts on the first start failure only, and on the recovery after it", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `change-start-${crypto.randomUUID()}`;
    const auth = await callerToken({ sub, scope: `${RUN_SCOPES} monitors:read monitors:write` });
    const collection = `gone-${crypto.randomUUID().slice(0, 8)}`;
    const key = crypto.randomUUID();
    const put = await h.call(`/collections/${collection}`, { method: "PUT", json: passing });
    expect(put.status).toBeLessThan(300);
    const monitor = {
      collection,
      schedule: "*/5 * * * *",
      alert: { url: `${receiver}/ok/${key}`, on: "change" },
    };
    expect((await h.call("/monitors/flaky", { method: "PUT", auth, json: monitor })).status).toBe(201);

    // Passes, cannot start twice (its collection deleted), passes again.
    const counts: number[] = [];
    for (const [index, present] of [true, false, false, true].entries()) {
      if (present) await h.call(`/collections/${collection}`, { method: "PUT", json: passing });
      else await h.call(`/collections/${collection}`, { method: "DELETE" });
      await tick(NOON + index * FIVE_MINUTES);
      const runs = await slotRuns(sub, "flaky");
      expect(runs).toHaveLength(index + 1);
      if (present) expect(await settled(runs[index] ?? "")).toBe("complete");
      counts.push((await received(key)).length);
    }

    expect(counts).toEqual([0, 1, 1, 2]);
    const runs = await slotRuns(sub, "flaky");
    const bodies = (await received(key)).map((alert) => JSON.parse(alert.body) as Record<string, unknown>);
    expect(bodies[0]).toMatchObject({
      runId: runs[1],
      status: "errored",
      previousStatus: "passed",
      startError: "COLLECTION_NOT_FOUND",
    });
    expect(bodies[1]).toMatchObject({ runId: runs[3], status: "passed", previousStatus: "errored" });
    expect(bodies[1]?.text).toEqual(expect.stringContaining("recovered"));
    const detail = await jsonOf<{ lastRuns: Array<{ status: string }> }>(
      await h.call("/monitors/flaky", { auth }),
    );
    expect(detail.lastRuns.map((run) => run.status)).toEqual(["passed", "errored", "errored", "passed"]);
  });
});
