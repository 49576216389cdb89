/**
 * What keeps one monitor, or one caller, from crowding the others out: a monitor never has two
 * runs going at once; a monitor whose run cannot start is alerted only after every other start of
 * the tick; and a deployment holds no more monitors than a tick reads (real app, Cron Trigger
 * handler, Workflow, D1 and alert receiver).
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { MAX_MONITORS } from "../../src/worker/store/monitors.ts";
import { callerToken } from "../workers/worker/harness.ts";
import { bindings, durableHarness, RUN_SCOPES, runView, settled, WAIT_THEN_READ } from "./helpers.ts";
import { FIVE_MINUTES, NOON, received, slotRuns, tick } from "./monitor-helpers.ts";

const receiver = inject("alertReceiver").baseUrl;
const db = (): D1Database => bindings.DB as D1Database;
const SCOPES = `${RUN_SCOPES} monitors:read monitors:write`;

afterEach(async () => {
  await db().prepare("DELETE FROM monitors").run();
});

async function statusOf(runId: string): Promise<string | undefined> {
  const row = await db()
    .prepare("SELECT status FROM runs WHERE run_id = ?")
    .bind(runId)
    .first<{ status: string }>();
  return row?.status;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a monitor whose run goes on", () => {
  it("starts no second run until it ends, then starts again", async () => {
    const h = durableHarness();
    const sub = `overlap-${crypto.randomUUID()}`;
    const auth = await callerToken({ sub, scope: SCOPES });
    const collection = `waiter-${crypto.randomUUID().slice(0, 8)}`;
    expect(
      (await h.call(`/collections/${collection}`, { method: "PUT", json: WAIT_THEN_READ })).status,
    ).toBeLessThan(300);
    const monitor = { collection, schedule: "*/5 * * * *", inputs: { variables: { caseId: `case-${sub}` } } };
    expect((await h.call("/monitors/slow", { method: "PUT", auth, json: monitor })).status).toBe(201);

    // Ticks on the real clock: the retention sweep of a tick in 2031 would delete this run's wait
    // rows (long expired by then), which the cancel below wakes the run through.
    const base = Math.ceil(Date.now() / FIVE_MINUTES) * FIVE_MINUTES;
    for (let index = 0; index < 3; index++) {
      await tick(base + index * FIVE_MINUTES);
      const [first = ""] = await slotRuns(sub, "slow");
      await until(`the first run to wait (tick ${index})`, async () => (await statusOf(first)) === "waiting");
    }
    const runs = await slotRuns(sub, "slow");
    expect(runs).toHaveLength(1);

    // Once it has ended, the next fire time starts a run.
    const [first = ""] = runs;
    expect((await h.call(`/runs/${first}/cancel`, { method: "POST", auth })).status).toBe(202);
    await until(
      "the first run to be cancelled",
      async () => (await runView(h, first, auth)).status === "cancelled",
    );
    await tick(base + 3 * FIVE_MINUTES);
    const after = await slotRuns(sub, "slow");
    expect(after).toHaveLength(2);
    await until("the second run to wait", async () => (await statusOf(after[1] ?? "")) === "waiting");
    expect((await h.call(`/runs/${after[1]}/cancel`, { method: "POST", auth })).status).toBe(202);
    await until(
      "the second run to be cancelled",
      async () => (await runView(h, after[1] ?? "", auth)).status === "cancelled",
    );
  }, 60_000);
});

describe("a monitor whose run cannot start", () => {
  it("is alerted after the other monitors of the tick have started", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const failing = `failing-${crypto.randomUUID()}`;
    const other = `other-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const gone = `gone-${crypto.randomUUID().slice(0, 8)}`;
    const probe = {
      formatVersion: 1,
      name: "probe",
      items: [{ name: "Users", request: { method: "GET", url: "/api/v1/users/" } }],
    };
    await h.call(`/collections/${gone}`, { method: "PUT", json: probe });
    // A missed fire time (11:50) is started before those due at noon: its alert, answered 500,
    // takes three attempts 1 s and 4 s apart.
    const failingMonitor = {
      collection: gone,
      schedule: "50 11 * * *",
      alert: { url: `${receiver}/fail/${key}`, on: "always" },
    };
    const failingAuth = await callerToken({ sub: failing, scope: SCOPES });
    expect(
      (await h.call("/monitors/broken", { method: "PUT", auth: failingAuth, json: failingMonitor })).status,
    ).toBe(201);
    await h.call(`/collections/${gone}`, { method: "DELETE" });
    const otherAuth = await callerToken({ sub: other, scope: SCOPES });
    const smoke = { collection: "certn-smoke", schedule: "*/5 * * * *" };
    expect((await h.call("/monitors/mine", { method: "PUT", auth: otherAuth, json: smoke })).status).toBe(
      201,
    );

    const began = Date.now();
    await tick(NOON);
    const [otherRun = ""] = await slotRuns(other, "mine");
    const created = await db()
      .prepare("SELECT created_at FROM runs WHERE run_id = ?")
      .bind(otherRun)
      .first<{ created_at: number }>();
    expect((created?.created_at ?? Number.POSITIVE_INFINITY) - began).toBeLessThan(2_000);
    expect(await received(key)).toHaveLength(3);
    expect(await settled(otherRun)).toBe("complete");
  }, 60_000);
});

describe("the deployment's monitors", () => {
  it("are at most as many as one tick reads: a new one past that is refused, saying why", async () => {
    const h = durableHarness();
    await db()
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO monitors (owner, id, collection, schedule, inputs, alert, created_at, updated_at)
         SELECT 'filler-' || (i % 100), 'm' || i, 'certn-smoke', '0 3 * * *', '', NULL, 0, 0 FROM n`,
      )
      .bind(MAX_MONITORS)
      .run();
    const auth = await callerToken({ sub: `late-${crypto.randomUUID()}`, scope: SCOPES });
    const put = await h.call("/monitors/late", {
      method: "PUT",
      auth,
      json: { collection: "certn-smoke", schedule: "*/5 * * * *" },
    });
    expect(put.status).toBe(400);
    expect(await put.text()).toContain(`this deployment holds its most monitors (${MAX_MONITORS})`);
  });
});
