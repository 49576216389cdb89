/**
 * A monitor's durable run whose instance ended without writing its record (an operator's
 * terminate here) is ended and alerted like one that failed: by the Cron Trigger's sweep when
 * nobody reads it, and by a read when one does; runs still going are left alone and asked about
 * again only after the others (real app, Cron Trigger handler, Workflow, D1 and alert receiver).
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { QUIET_BEFORE_ENGINE_CHECK_MS, SWEEP_QUIET_MS } from "../../src/worker/run-reconcile.ts";
import { QUIET_OPEN_RUNS_SQL } from "../../src/worker/store/engine-checks.ts";
import { callerToken } from "../workers/worker/harness.ts";
import {
  bindings,
  type DurableHarness,
  durableHarness,
  liveRuns,
  RUN_SCOPES,
  runView,
  settled,
  WAIT_THEN_READ,
} from "./helpers.ts";
import { FIVE_MINUTES, NOON, received, slotRuns, tick } from "./monitor-helpers.ts";

const receiver = inject("alertReceiver").baseUrl;
const db = (): D1Database => bindings.DB as D1Database;

afterEach(async () => {
  await db().prepare("DELETE FROM monitors").run();
});

/** Makes a record look unwritten (and unasked about) for `ms` more. */
async function quiet(runId: string, ms: number): Promise<void> {
  await db()
    .prepare("UPDATE runs SET updated_at = updated_at - ?1, engine_checked_at = NULL WHERE run_id = ?2")
    .bind(ms, runId)
    .run();
}

async function recordOf(runId: string): Promise<{ status: string; engine_checked_at: number | null }> {
  const row = await db()
    .prepare("SELECT status, engine_checked_at FROM runs WHERE run_id = ?")
    .bind(runId)
    .first<{ status: string; engine_checked_at: number | null }>();
  if (row === null) throw new Error(`no record of ${runId}`);
  return row;
}

/** A monitor that waits for a webhook nobody sends, started by the tick at NOON; its run's id once waiting. */
async function waitingMonitorRun(h: DurableHarness, sub: string, id: string, key: string): Promise<string> {
  const auth = await callerToken({ sub, scope: `${RUN_SCOPES} monitors:read monitors:write` });
  const collection = `waits-${crypto.randomUUID().slice(0, 8)}`;
  expect(
    (await h.call(`/collections/${collection}`, { method: "PUT", json: WAIT_THEN_READ })).status,
  ).toBeLessThan(300);
  const monitor = {
    collection,
    schedule: "0 12 * * *",
    inputs: { variables: { caseId: `case-${crypto.randomUUID()}` } },
    alert: { url: `${receiver}/ok/${key}`, on: "failure" },
  };
  expect((await h.call(`/monitors/${id}`, { method: "PUT", auth, json: monitor })).status).toBe(201);
  await tick(NOON);
  const [runId] = await slotRuns(sub, id);
  if (runId === undefined) throw new Error("the tick started no run");
  const until = Date.now() + 20_000;
  while ((await recordOf(runId)).status !== "waiting" && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect((await recordOf(runId)).status).toBe("waiting");
  return runId;
}

describe("the Cron Trigger's sweep of durable runs whose instance ended", () => {
  it("ends and alerts a monitor's terminated run nobody reads, and leaves a waiting one alone", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `sweep-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const dead = await waitingMonitorRun(h, sub, "dead", key);
    const alive = await waitingMonitorRun(h, sub, "alive", `${key}-alive`);
    await (await liveRuns().get(dead)).terminate();
    expect(await settled(dead)).toBe("terminated");

    // Heard of a moment ago: not asked about yet.
    await tick(NOON + FIVE_MINUTES);
    expect((await recordOf(dead)).status).toBe("waiting");
    expect(await received(key)).toEqual([]);

    await quiet(dead, SWEEP_QUIET_MS + 1_000);
    await quiet(alive, SWEEP_QUIET_MS + 1_000);
    const before = Date.now();
    await tick(NOON + 2 * FIVE_MINUTES);
    expect((await recordOf(dead)).status).toBe("errored");
    const alerts = (await received(key)).map((alert) => JSON.parse(alert.body) as Record<string, unknown>);
    expect(alerts).toEqual([expect.objectContaining({ runId: dead, monitor: "dead", status: "errored" })]);
    // Its instance still waits: noted as heard of, so the next sweeps ask about other runs first.
    const kept = await recordOf(alive);
    expect(kept.status).toBe("waiting");
    expect(kept.engine_checked_at).toBeGreaterThanOrEqual(before);
    expect(await received(`${key}-alive`)).toEqual([]);

    // Another sweep: the ended run is not alerted twice.
    await tick(NOON + 3 * FIVE_MINUTES);
    expect(await received(key)).toHaveLength(1);
    await (await liveRuns().get(alive)).terminate();
  }, 60_000);

  it("reads the open runs through their index, not the whole table", async () => {
    const plan = await db()
      .prepare(`EXPLAIN QUERY PLAN ${QUIET_OPEN_RUNS_SQL}`)
      .bind(NOON, 25)
      .all<{ detail: string }>();
    const details = plan.results.map((row) => row.detail);
    expect(details.some((detail) => /^SEARCH runs USING INDEX runs_open_by_last_heard/.test(detail))).toBe(
      true,
    );
    expect(details.filter((detail) => detail.startsWith("SCAN") || detail.includes("TEMP B-TREE"))).toEqual(
      [],
    );
  });
});

describe("reading a monitor's run whose instance ended", () => {
  it("shows it errored and sends the monitor's alert once", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `read-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const runId = await waitingMonitorRun(h, sub, "read", key);
    await (await liveRuns().get(runId)).terminate();
    expect(await settled(runId)).toBe("terminated");
    await quiet(runId, QUIET_BEFORE_ENGINE_CHECK_MS + 1_000);

    const auth = await callerToken({ sub, scope: RUN_SCOPES });
    expect((await runView(h, runId, auth)).status).toBe("errored");
    expect((await runView(h, runId, auth)).status).toBe("errored");
    const alerts = (await received(key)).map((alert) => JSON.parse(alert.body) as Record<string, unknown>);
    expect(alerts).toEqual([expect.objectContaining({ runId, monitor: "read", status: "errored" })]);
  }, 60_000);
});

describe("a monitor's run left queued without a Workflow instance (its start died midway)", () => {
  it("is ended and alerted by the sweep, and the monitor starts again", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `stuck-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const auth = await callerToken({ sub, scope: `${RUN_SCOPES} monitors:read monitors:write` });
    const monitor = {
      collection: "certn-smoke",
      schedule: "*/5 * * * *",
      alert: { url: `${receiver}/ok/${key}`, on: "failure" },
    };
    expect((await h.call("/monitors/stuck", { method: "PUT", auth, json: monitor })).status).toBe(201);
    // What launchDurableRun leaves when its invocation dies between the record and the instance.
    const stuck = crypto.randomUUID();
    const long = Date.now() - SWEEP_QUIET_MS - 60_000;
    await db()
      .prepare(
        `INSERT INTO runs (run_id, owner, collection, mode, status, created_at, updated_at, progress, request)
         VALUES (?1, ?2, 'certn-smoke', 'durable', 'queued', ?3, ?3, ?4, '{}')`,
      )
      .bind(
        stuck,
        sub,
        long,
        JSON.stringify({ items: 0, done: 0, passed: 0, failed: 0, errored: 0, skipped: 0 }),
      )
      .run();
    // Ticks on the real clock, after the monitor was saved (a tick in 2031 would catch up too).
    const base = Math.ceil(Date.now() / FIVE_MINUTES) * FIVE_MINUTES;
    await db()
      .prepare(
        "INSERT INTO monitor_slots (owner, monitor_id, slot_at, run_id, claimed_at) VALUES (?, 'stuck', ?, ?, ?)",
      )
      .bind(sub, base - FIVE_MINUTES, stuck, long)
      .run();

    await tick(base);
    expect((await recordOf(stuck)).status).toBe("errored");
    const alerts = (await received(key)).map((alert) => JSON.parse(alert.body) as Record<string, unknown>);
    expect(alerts).toEqual([expect.objectContaining({ runId: stuck, status: "errored" })]);
    await tick(base + FIVE_MINUTES);
    const runs = await slotRuns(sub, "stuck");
    expect(runs).toHaveLength(2);
    expect(await settled(runs[1] ?? "")).toBe("complete");
  }, 60_000);
});
