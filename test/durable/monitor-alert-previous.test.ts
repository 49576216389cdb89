/**
 * The alert of a monitor's run that ends late: `on: "change"` compares it with the last run that
 * ended among the slots before its own, never with a newer one however many there are (a run
 * waiting for a webhook for days, while slots of a version that started a monitor's runs
 * whatever its previous one did, or the engine's retries of its alert, come after it), and the
 * alert names the collection the run ran, not the one the monitor was changed to meanwhile (real
 * app, Cron Trigger, Workflow, D1 and alert receiver).
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { previousEndedStatus } from "../../src/worker/store/monitor-slots.ts";
import { insertRun, type RunStatus } from "../../src/worker/store/runs.ts";
import { callerToken } from "../workers/worker/harness.ts";
import {
  bindings,
  deliverCentric,
  durableHarness,
  RUN_SCOPES,
  runView,
  settled,
  WAIT_THEN_READ,
} from "./helpers.ts";
import { FIVE_MINUTES, received, slotRuns, tick } from "./monitor-helpers.ts";

const db = (): D1Database => bindings.DB as D1Database;

const receiver = inject("alertReceiver").baseUrl;

afterEach(async () => {
  await db().prepare("DELETE FROM monitors").run();
});

/** What an alert receiver got, parsed. */
type Alert = Record<string, unknown>;

/** A slot of `owner`'s monitor `id` at `slotAt` whose run has `status` (no record when undefined). */
async function slot(
  owner: string,
  id: string,
  slotAt: number,
  status?: RunStatus,
  startError?: string,
): Promise<string> {
  const runId = crypto.randomUUID();
  await db()
    .prepare(
      "INSERT INTO monitor_slots (owner, monitor_id, slot_at, run_id, claimed_at, start_error) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(owner, id, slotAt, runId, slotAt, startError ?? null)
    .run();
  if (status !== undefined) {
    await insertRun(db(), { runId, owner, collection: "other", mode: "durable", status, now: slotAt });
  }
  return runId;
}

/** The slots around the late run: one before it, and `count` after it, with these statuses. */
interface Around {
  before?: RunStatus;
  after: { count: number; status: RunStatus };
}

/**
 * A monitor of a collection whose run waits for a webhook: its first run starts and waits; the
 * monitor is changed to another collection; the slots of `around` are recorded; the webhook
 * comes and the run passes. The alerts about that run, and the id of the collection it ran.
 */
async function lateRun(on: string, around: Around): Promise<{ alerts: Alert[]; waiter: string }> {
  const h = durableHarness({ loopbackAlerts: true });
  const sub = `late-${crypto.randomUUID()}`;
  const auth = await callerToken({ sub, scope: `${RUN_SCOPES} monitors:read monitors:write` });
  const waiter = `waiter-${crypto.randomUUID().slice(0, 8)}`;
  const other = `other-${crypto.randomUUID().slice(0, 8)}`;
  await h.call(`/collections/${waiter}`, { method: "PUT", json: WAIT_THEN_READ });
  await h.call(`/collections/${other}`, { method: "PUT", json: WAIT_THEN_READ });
  const key = crypto.randomUUID();
  const caseId = `case-${crypto.randomUUID()}`;
  const put = (collection: string) =>
    h.call("/monitors/late", {
      method: "PUT",
      auth,
      json: {
        collection,
        schedule: "*/5 * * * *",
        inputs: { variables: { caseId } },
        alert: { url: `${receiver}/ok/${key}`, on },
      },
    });
  expect((await put(waiter)).status).toBe(201);
  // The next fire time after the monitor was saved, near the wall clock: each tick runs the
  // retention sweep at its time too, which would delete the waiting run's wait row if the ticks
  // were years ahead (monitor-helpers' NOON).
  const start = Math.floor(Date.now() / FIVE_MINUTES) * FIVE_MINUTES + FIVE_MINUTES;
  await tick(start);
  const [first = ""] = await slotRuns(sub, "late");
  for (let i = 0; i < 200 && (await runView(h, first, auth)).status !== "waiting"; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await runView(h, first, auth)).status).toBe("waiting");
  expect((await put(other)).status).toBe(200);
  if (around.before !== undefined) await slot(sub, "late", start - FIVE_MINUTES, around.before);
  for (let index = 1; index <= around.after.count; index++) {
    await slot(sub, "late", start + index * FIVE_MINUTES, around.after.status);
  }
  const delivered = await deliverCentric(h, {
    id: crypto.randomUUID(),
    event_type: "CASE_STATUS_CHANGED",
    object_type: "CASE",
    object_id: caseId,
    created: new Date().toISOString(),
  });
  expect(delivered.status).toBe(200);
  expect(await settled(first, 60_000)).toBe("complete");
  expect((await runView(h, first, auth)).status).toBe("passed");
  const alerts = (await received(key))
    .map((alert) => JSON.parse(alert.body) as Alert)
    .filter((alert) => alert.runId === first);
  return { alerts, waiter };
}

describe("on: change with a run that ends after newer slots", () => {
  it("is not compared with them: 11 newer failed runs, nothing ended before it, its pass alerts nothing", async () => {
    // Nothing ended before its slot: a new monitor counts as passing, and so does the run.
    const { alerts } = await lateRun("change", { after: { count: 11, status: "failed" } });
    expect(alerts).toEqual([]);
  }, 120_000);

  it("is compared with the run before it: a failure, then 11 newer passes, and its pass is a recovery", async () => {
    const { alerts } = await lateRun("change", { before: "failed", after: { count: 11, status: "passed" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ status: "passed", previousStatus: "failed" });
    expect(alerts[0]?.text).toEqual(expect.stringContaining("(recovered)"));
  }, 120_000);

  it("names the collection the run ran, though the monitor runs another now", async () => {
    const { alerts, waiter } = await lateRun("always", { after: { count: 0, status: "passed" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ collection: waiter, status: "passed", previousStatus: null });
    expect(alerts[0]?.text).toEqual(expect.stringContaining(`(${waiter})`));
  }, 120_000);
});

describe("previousEndedStatus", () => {
  it("reads the slots strictly before the run's own, newest first, passing over runs not ended", async () => {
    const owner = `prev-${crypto.randomUUID()}`;
    await slot(owner, "m", 1_000, "failed");
    await slot(owner, "m", 2_000, "passed");
    await slot(owner, "m", 3_000, "cancelled");
    const own = await slot(owner, "m", 4_000, "running");
    await slot(owner, "m", 5_000, "failed");
    await slot(owner, "m", 6_000, "errored");
    expect(await previousEndedStatus(db(), own, 10)).toBe("passed");
    // Only the lookback's slots are read: the cancelled one alone ended nothing.
    expect(await previousEndedStatus(db(), own, 1)).toBeUndefined();
    // Another monitor's slots are not its own.
    const first = await slot(owner, "n", 4_500, "running");
    expect(await previousEndedStatus(db(), first, 10)).toBeUndefined();
    expect(await previousEndedStatus(db(), crypto.randomUUID(), 10)).toBeUndefined();
  });

  it("counts a slot whose run could not be started as errored", async () => {
    const owner = `prev-${crypto.randomUUID()}`;
    await slot(owner, "m", 1_000, "passed");
    await slot(owner, "m", 2_000, undefined, "COLLECTION_NOT_FOUND");
    const own = await slot(owner, "m", 3_000, "running");
    expect(await previousEndedStatus(db(), own, 10)).toBe("errored");
  });
});
