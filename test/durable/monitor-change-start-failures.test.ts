/**
 * `alert.on: "change"` with runs that could not be started: such a slot has no run record, only a
 * start error, and counts as errored in the monitor's history; the alert that follows it compares
 * with it as such (real app, Cron Trigger handler, Workflow, D1 and alert receiver).
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { callerToken, jsonOf } from "../workers/worker/harness.ts";
import { bindings, durableHarness, RUN_SCOPES, settled } from "./helpers.ts";
import { FIVE_MINUTES, NOON, received, slotRuns, tick } from "./monitor-helpers.ts";

const receiver = inject("alertReceiver").baseUrl;

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
