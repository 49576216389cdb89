/**
 * Monitors through the real app and the Worker's Cron Trigger handler, with D1 and the
 * CollectionRun Workflow of workerd: the routes (checks, scopes, owners), runs started when a
 * schedule is due and only once per slot, and alerts delivered over a real socket to a receiver
 * on 127.0.0.1 (test/setup/alert-receiver.ts).
 */
import { introspectWorkflow } from "cloudflare:test";
import { afterEach, describe, expect, inject, it } from "vitest";
import { MAX_MONITORS_PER_OWNER } from "../../src/worker/routes/monitors.ts";
import { callerToken, captureConsoleForFile, jsonOf } from "../workers/worker/harness.ts";
import {
  bindings,
  countRows,
  type DurableHarness,
  durableHarness,
  liveRuns,
  RUN_SCOPES,
  settled,
} from "./helpers.ts";
import { FIVE_MINUTES, NOON, received, slotRuns, tick } from "./monitor-helpers.ts";

const MONITOR_SCOPES = `${RUN_SCOPES} monitors:read monitors:write`;

/** Alert URL tokens, secret inputs and personal values the tests use: never in any log line. */
const mustNotLog: string[] = [];
captureConsoleForFile(mustNotLog);
const receiver = inject("alertReceiver").baseUrl;

/** A caller JWT of a fresh owner with every run and monitor scope. */
const ownerToken = (sub: string, scope = MONITOR_SCOPES) => callerToken({ sub, scope });

/** A stored collection of one request whose status assertion passes (200) or fails (201). */
function probe(passes: boolean) {
  return {
    formatVersion: 1,
    name: "monitor probe",
    items: [
      {
        name: "List superteams",
        request: {
          method: "GET",
          url: "/api/v1/superteams/",
          headers: { "x-probe": "{{probeKey}}" },
          query: { contact: "{{contact}}" },
        },
        assert: [{ that: "status", equals: passes ? 200 : 201 }],
      },
    ],
  };
}

async function putCollection(h: DurableHarness, id: string, passes: boolean): Promise<void> {
  const response = await h.call(`/collections/${id}`, { method: "PUT", json: probe(passes) });
  expect(response.status).toBeLessThan(300);
}

async function putMonitor(h: DurableHarness, auth: string, id: string, body: unknown): Promise<Response> {
  return h.call(`/monitors/${id}`, { method: "PUT", auth, json: body });
}

afterEach(async () => {
  // Monitors of one test must not be due in the next one's ticks.
  await (bindings.DB as D1Database).prepare("DELETE FROM monitors").run();
});

describe("monitor routes", () => {
  it("store, show, list and delete a monitor; the alert URL is shown redacted", async () => {
    const h = durableHarness();
    const sub = `alice-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    mustNotLog.push("topsecrettoken", "/services/T000");
    const created = await putMonitor(h, auth, "smoke", {
      collection: "certn-smoke",
      schedule: "*/15 * * * *",
      alert: { url: "https://hooks.slack.com/services/T000/B000/topsecrettoken", on: "failure" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/monitors/smoke");
    // The alert URL's token is a secret: the stored row holds it sealed, like the inputs.
    const row = await (bindings.DB as D1Database)
      .prepare("SELECT * FROM monitors WHERE owner = ?")
      .bind(sub)
      .first();
    expect(row).not.toBeNull();
    expect(JSON.stringify(row)).not.toContain("topsecrettoken");
    expect(JSON.stringify(row)).not.toContain("/services/T000");
    const shown = await h.call("/monitors/smoke", { auth });
    expect(shown.status).toBe(200);
    const text = await shown.text();
    expect(text).not.toContain("topsecrettoken");
    expect(JSON.parse(text)).toMatchObject({
      id: "smoke",
      collection: "certn-smoke",
      schedule: "*/15 * * * *",
      nextRunAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:(00|15|30|45):00\.000Z$/),
      alert: { url: "https://hooks.slack.com/***", on: "failure" },
      lastRuns: [],
      passRate: null,
    });
    const replaced = await putMonitor(h, auth, "smoke", { collection: "certn-smoke", schedule: "0 * * * *" });
    expect(replaced.status).toBe(200);
    const list = await jsonOf<{ monitors: Array<{ id: string; schedule: string; alert: unknown }> }>(
      await h.call("/monitors", { auth }),
    );
    expect(list.monitors).toEqual([
      expect.objectContaining({ id: "smoke", schedule: "0 * * * *", alert: null }),
    ]);
    expect((await h.call("/monitors/smoke", { method: "DELETE", auth })).status).toBe(204);
    expect((await h.call("/monitors/smoke", { auth })).status).toBe(404);
    expect((await h.call("/monitors/smoke", { method: "DELETE", auth })).status).toBe(404);
  });

  it("answer 400 naming the field for a bad schedule, a too frequent one, a bad alert or collection", async () => {
    const h = durableHarness();
    const auth = await ownerToken(`bad-${crypto.randomUUID()}`);
    const cases: Array<[unknown, string, string]> = [
      [{ collection: "certn-smoke", schedule: "every day" }, "/schedule", "cron"],
      [{ collection: "certn-smoke", schedule: "61 * * * *" }, "/schedule", "minute"],
      [{ collection: "certn-smoke", schedule: "0 0 * * * *" }, "/schedule", "five fields"],
      [{ collection: "certn-smoke", schedule: "* * * * *" }, "/schedule", "5 minutes"],
      [{ collection: "certn-smoke", schedule: "0,3 * * * *" }, "/schedule", "3 minute(s) apart"],
      [{ collection: "certn-smoke", schedule: "0 0 30 2 *" }, "/schedule", "never fires"],
      [{ collection: "certn-smoke" }, "/schedule", "required"],
      [{ collection: "no-such-collection", schedule: "@hourly" }, "/collection", "GET /collections"],
      [{ schedule: "@hourly" }, "/collection", "required"],
      [
        {
          collection: "certn-smoke",
          schedule: "@hourly",
          alert: { url: "http://hooks.example.com/x", on: "failure" },
        },
        "/alert/url",
        "https:",
      ],
      [
        {
          collection: "certn-smoke",
          schedule: "@hourly",
          alert: { url: "https://10.1.2.3/x", on: "failure" },
        },
        "/alert/url",
        "private",
      ],
      [
        {
          collection: "certn-smoke",
          schedule: "@hourly",
          alert: { url: "https://localhost/x", on: "failure" },
        },
        "/alert/url",
        "localhost",
      ],
      [
        { collection: "certn-smoke", schedule: "@hourly", alert: { url: `${receiver}/ok/x`, on: "failure" } },
        "/alert/url",
        "https:",
      ],
      [
        { collection: "certn-smoke", schedule: "@hourly", alert: { url: "https://[::1]/x", on: "failure" } },
        "/alert/url",
        "loopback",
      ],
      [
        {
          collection: "certn-smoke",
          schedule: "@hourly",
          alert: { url: "https://169.254.169.254/x", on: "failure" },
        },
        "/alert/url",
        "linkLocal",
      ],
      [
        {
          collection: "certn-smoke",
          schedule: "@hourly",
          alert: { url: "https://demo-api.certn.co/hook", on: "failure" },
        },
        "/alert/url",
        "Certn",
      ],
      [
        {
          collection: "certn-smoke",
          schedule: "@hourly",
          alert: { url: "https://hooks.example.com/x", on: "sometimes" },
        },
        "/alert/on",
        "change",
      ],
      [
        { collection: "certn-smoke", schedule: "@hourly", inputs: { iterations: "many" } },
        "/inputs/iterations",
        "",
      ],
      [{ collection: "certn-smoke", schedule: "@hourly", extra: 1 }, "/extra", "unknown"],
      [
        {
          collection: "certn-smoke",
          schedule: "@hourly",
          inputs: { variables: { big: "x".repeat(300_000) } },
        },
        "/inputs",
        "at most 262144",
      ],
    ];
    for (const [body, path, words] of cases) {
      const response = await putMonitor(h, auth, "probe", body);
      const answer = await jsonOf<{
        error: { code: string };
        issues: Array<{ path: string; message: string }>;
      }>(response);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const issue = answer.issues.find((entry) => entry.path === path);
      expect(issue, `${JSON.stringify(body)}: ${JSON.stringify(answer.issues)}`).toBeDefined();
      expect(`${issue?.message}`).toContain(words);
    }
    expect(
      (await putMonitor(h, auth, "Bad Id", { collection: "certn-smoke", schedule: "@hourly" })).status,
    ).toBe(400);
    expect((await h.call("/monitors", { auth })).status).toBe(200);
    expect(await countRows("monitors", "owner LIKE 'bad-%'")).toBe(0);
  });

  it("need monitors:read to read and monitors:write (with runs:saved) to change; a token without scope may read", async () => {
    const h = durableHarness();
    const sub = `scoped-${crypto.randomUUID()}`;
    const body = { collection: "certn-smoke", schedule: "@daily" };
    const reader = await ownerToken(sub, "monitors:read");
    expect((await putMonitor(h, reader, "daily", body)).status).toBe(403);
    expect((await h.call("/monitors", { auth: reader })).status).toBe(200);
    const runner = await ownerToken(sub, RUN_SCOPES);
    expect((await h.call("/monitors", { auth: runner })).status).toBe(403);
    expect((await h.call("/monitors/daily", { auth: runner })).status).toBe(403);
    // Storing a monitor schedules saved runs: monitors:write alone is not enough.
    const writerOnly = await putMonitor(h, await ownerToken(sub, "monitors:write"), "daily", body);
    expect(writerOnly.status).toBe(403);
    expect(JSON.stringify(await writerOnly.json())).toContain("runs:saved");
    expect(
      (await putMonitor(h, await ownerToken(sub, "monitors:write runs:saved"), "daily", body)).status,
    ).toBe(201);
    expect((await h.call("/monitors/daily", { method: "DELETE", auth: reader })).status).toBe(403);
    const defaults = await callerToken({ sub, scope: undefined });
    expect((await h.call("/monitors/daily", { auth: defaults })).status).toBe(200);
    expect((await putMonitor(h, defaults, "daily", body)).status).toBe(403);
  });

  it("hold a caller to the monitor limit even when creations race", async () => {
    const h = durableHarness();
    const sub = `racer-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    const db = bindings.DB as D1Database;
    const insert = db.prepare(
      "INSERT INTO monitors (owner, id, collection, schedule, inputs, alert, created_at, updated_at) VALUES (?, ?, 'certn-smoke', '@daily', 'x', NULL, 0, 0)",
    );
    const seeded = Array.from({ length: MAX_MONITORS_PER_OWNER - 1 }, (_, index) =>
      insert.bind(sub, `m${index}`),
    );
    for (let start = 0; start < seeded.length; start += 50) await db.batch(seeded.slice(start, start + 50));
    const body = { collection: "certn-smoke", schedule: "@daily" };
    const statuses = (
      await Promise.all(["race-a", "race-b", "race-c"].map((id) => putMonitor(h, auth, id, body)))
    ).map((response) => response.status);
    expect(statuses.sort()).toEqual([201, 400, 400]);
    expect(await countRows("monitors", "owner = ?", sub)).toBe(MAX_MONITORS_PER_OWNER);
    // Replacing one it has stays allowed at the limit.
    expect((await putMonitor(h, auth, "m0", { ...body, schedule: "@hourly" })).status).toBe(200);
  });

  it("keep each owner's monitors apart", async () => {
    const h = durableHarness();
    const alice = await ownerToken(`alice-${crypto.randomUUID()}`);
    const bob = await ownerToken(`bob-${crypto.randomUUID()}`);
    expect(
      (await putMonitor(h, alice, "shared", { collection: "certn-smoke", schedule: "@hourly" })).status,
    ).toBe(201);
    expect((await h.call("/monitors/shared", { auth: bob })).status).toBe(404);
    expect((await h.call("/monitors/shared", { method: "DELETE", auth: bob })).status).toBe(404);
    const bobs = await jsonOf<{ monitors: unknown[] }>(await h.call("/monitors", { auth: bob }));
    expect(bobs.monitors).toEqual([]);
    // Bob's "shared" is his own; Alice's stays as it was.
    expect(
      (await putMonitor(h, bob, "shared", { collection: "certn-smoke", schedule: "@daily" })).status,
    ).toBe(201);
    const hers = await jsonOf<{ schedule: string }>(await h.call("/monitors/shared", { auth: alice }));
    expect(hers.schedule).toBe("@hourly");
  });
});

describe("the Cron Trigger", () => {
  it("starts a monitor when its schedule is due, as a durable run of its owner, and not otherwise", async () => {
    const h = durableHarness();
    const sub = `due-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    expect(
      (await putMonitor(h, auth, "hourly", { collection: "certn-smoke", schedule: "0 * * * *" })).status,
    ).toBe(201);
    await tick(NOON - FIVE_MINUTES);
    expect(await slotRuns(sub, "hourly")).toEqual([]);
    await tick(NOON);
    const [runId] = await slotRuns(sub, "hourly");
    expect(runId).toBeDefined();
    await tick(NOON + FIVE_MINUTES);
    await tick(NOON + 11 * FIVE_MINUTES);
    expect(await slotRuns(sub, "hourly")).toHaveLength(1);
    expect(await settled(runId ?? "")).toBe("complete");
    const run = await jsonOf<{ collection: string; mode: string; status: string }>(
      await h.call(`/runs/${runId}`, { auth }),
    );
    expect(run).toMatchObject({ collection: "certn-smoke", mode: "durable", status: "passed" });
    // The run is its owner's: another caller does not see it.
    expect(
      (await h.call(`/runs/${runId}`, { auth: await ownerToken(`other-${crypto.randomUUID()}`) })).status,
    ).toBe(404);
    const detail = await jsonOf<{ lastRuns: Array<Record<string, unknown>>; passRate: number }>(
      await h.call("/monitors/hourly", { auth }),
    );
    expect(detail.lastRuns).toEqual([
      expect.objectContaining({ runId, status: "passed", slot: new Date(NOON).toISOString() }),
    ]);
    expect(detail.lastRuns[0]?.durationMs).toEqual(expect.any(Number));
    expect(detail.passRate).toBe(1);
    await tick(NOON + 12 * FIVE_MINUTES);
    expect(await slotRuns(sub, "hourly")).toHaveLength(2);
    for (const id of await slotRuns(sub, "hourly")) await settled(id);
  });

  it("starts one run for a slot when two invocations overlap", async () => {
    const h = durableHarness();
    const sub = `overlap-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    expect(
      (await putMonitor(h, auth, "twice", { collection: "certn-smoke", schedule: "*/5 * * * *" })).status,
    ).toBe(201);
    await Promise.all([tick(NOON), tick(NOON), tick(NOON)]);
    const runs = await slotRuns(sub, "twice");
    expect(runs).toHaveLength(1);
    expect(await countRows("runs", "owner = ?", sub)).toBe(1);
    expect(await settled(runs[0] ?? "")).toBe("complete");
  });
});

describe("monitor alerts", () => {
  it("alert once on a failure and once on the recovery with on: change, with no secret or personal value", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `change-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    const collection = `probe-${crypto.randomUUID().slice(0, 8)}`;
    const key = crypto.randomUUID();
    const secret = `probe-secret-${crypto.randomUUID()}`;
    const personal = "jane.doe@example.com";
    mustNotLog.push(key, secret, personal);
    await putCollection(h, collection, true);
    const monitor = {
      collection,
      schedule: "*/5 * * * *",
      inputs: { secrets: { probeKey: secret }, variables: { contact: personal } },
      alert: { url: `${receiver}/ok/${key}`, on: "change" },
    };
    expect((await putMonitor(h, auth, "flip", monitor)).status).toBe(201);
    const outcomes: string[] = [];
    for (const [index, passes] of [true, false, false, true, true].entries()) {
      await putCollection(h, collection, passes);
      // A monitor runs its collection as saved with it: after a change, it is saved again.
      expect((await putMonitor(h, auth, "flip", monitor)).status).toBe(200);
      await tick(NOON + index * FIVE_MINUTES);
      const runs = await slotRuns(sub, "flip");
      expect(runs).toHaveLength(index + 1);
      expect(await settled(runs[index] ?? "")).toBe("complete");
      outcomes.push((await received(key)).length.toString());
    }
    // Alerts after the first failure (run 2) and the recovery (run 4) only.
    expect(outcomes).toEqual(["0", "1", "1", "2", "2"]);
    const alerts = await received(key);
    const runs = await slotRuns(sub, "flip");
    const bodies = alerts.map((alert) => JSON.parse(alert.body) as Record<string, unknown>);
    expect(alerts.map((alert) => [alert.method, alert.contentType])).toEqual([
      ["POST", "application/json; charset=utf-8"],
      ["POST", "application/json; charset=utf-8"],
    ]);
    expect(bodies[0]).toMatchObject({
      monitor: "flip",
      collection,
      runId: runs[1],
      status: "failed",
      previousStatus: "passed",
      summary: { items: 1, passed: 0, failed: 1, errored: 0, skipped: 0 },
    });
    expect(bodies[0]?.text).toEqual(expect.stringContaining('monitor "flip"'));
    expect(bodies[1]).toMatchObject({ runId: runs[3], status: "passed", previousStatus: "failed" });
    expect(bodies[1]?.text).toEqual(expect.stringContaining("recovered"));
    for (const alert of alerts) {
      expect(alert.body).not.toContain(secret);
      expect(alert.body).not.toContain(personal);
      expect(alert.body).not.toContain(h.clientSecret);
    }
    // The stored monitor keeps its inputs sealed.
    const row = await (bindings.DB as D1Database)
      .prepare("SELECT inputs FROM monitors WHERE owner = ?")
      .bind(sub)
      .first<{ inputs: string }>();
    expect(row?.inputs).not.toContain(secret);
    expect(row?.inputs).not.toContain(personal);
    const detail = await jsonOf<{
      passRate: number;
      alertDeliveries: Array<{ ok: boolean; status: number }>;
    }>(await h.call("/monitors/flip", { auth }));
    expect(detail.passRate).toBe(0.6);
    expect(detail.alertDeliveries.map((delivery) => [delivery.ok, delivery.status])).toEqual([
      [true, 204],
      [true, 204],
    ]);
  });

  it("alert on failure when the run cannot be started, and show why in the monitor's runs", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `gone-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    const collection = `probe-${crypto.randomUUID().slice(0, 8)}`;
    const key = crypto.randomUUID();
    await putCollection(h, collection, true);
    const monitor = {
      collection,
      schedule: "*/5 * * * *",
      alert: { url: `${receiver}/ok/${key}`, on: "failure" },
    };
    expect((await putMonitor(h, auth, "orphan", monitor)).status).toBe(201);
    expect((await h.call(`/collections/${collection}`, { method: "DELETE" })).status).toBe(204);
    await tick(NOON);
    const [runId] = await slotRuns(sub, "orphan");
    const detail = await jsonOf<{ lastRuns: Array<Record<string, unknown>>; passRate: number }>(
      await h.call("/monitors/orphan", { auth }),
    );
    expect(detail.lastRuns).toEqual([
      expect.objectContaining({
        runId,
        status: "errored",
        startError: "COLLECTION_NOT_FOUND",
        durationMs: null,
      }),
    ]);
    expect(detail.passRate).toBe(0);
    const alerts = await received(key);
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]?.body ?? "{}")).toMatchObject({
      monitor: "orphan",
      runId,
      status: "errored",
      startError: "COLLECTION_NOT_FOUND",
    });
    expect(await countRows("alert_deliveries", "run_id = ? AND ok = 1", runId)).toBe(1);
  });

  it("never follow a redirect, and retry neither it nor a 4xx", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `refusing-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    const moved = crypto.randomUUID();
    const gone = crypto.randomUUID();
    mustNotLog.push(moved, gone);
    const base = { collection: "certn-smoke", schedule: "*/5 * * * *" };
    const alert = (url: string) => ({ url, on: "always" });
    expect(
      (await putMonitor(h, auth, "moved", { ...base, alert: alert(`${receiver}/redirect/${moved}`) })).status,
    ).toBe(201);
    expect(
      (await putMonitor(h, auth, "gone", { ...base, alert: alert(`${receiver}/gone/${gone}`) })).status,
    ).toBe(201);
    await tick(NOON);
    const [movedRun] = await slotRuns(sub, "moved");
    const [goneRun] = await slotRuns(sub, "gone");
    expect(await settled(movedRun ?? "")).toBe("complete");
    expect(await settled(goneRun ?? "")).toBe("complete");
    expect(await received(moved)).toHaveLength(1);
    expect(await received(`${moved}-followed`)).toEqual([]);
    expect(await received(gone)).toHaveLength(1);
    expect(
      await countRows(
        "alert_deliveries",
        "run_id = ? AND status = 307 AND error_code = 'ALERT_REDIRECT'",
        movedRun,
      ),
    ).toBe(1);
    expect(
      await countRows(
        "alert_deliveries",
        "run_id = ? AND status = 410 AND error_code = 'ALERT_HTTP_STATUS'",
        goneRun,
      ),
    ).toBe(1);
    expect(await countRows("alert_deliveries", "run_id IN (?, ?)", movedRun, goneRun)).toBe(2);
  });

  it("retry a failing alert URL with backoff, record every attempt, and keep the monitor running", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const sub = `failing-${crypto.randomUUID()}`;
    const auth = await ownerToken(sub);
    const failing = crypto.randomUUID();
    const flaky = crypto.randomUUID();
    mustNotLog.push(failing, flaky);
    const introspector = await introspectWorkflow(bindings.RUNS as Workflow);
    try {
      await introspector.modifyAll(async (m) => {
        await m.disableRetryDelays();
      });
      h.env.RUNS = liveRuns();
      const alert = (url: string) => ({ url, on: "always" });
      const base = { collection: "certn-smoke", schedule: "*/5 * * * *" };
      expect(
        (await putMonitor(h, auth, "down", { ...base, alert: alert(`${receiver}/fail/${failing}`) })).status,
      ).toBe(201);
      expect(
        (await putMonitor(h, auth, "flaky", { ...base, alert: alert(`${receiver}/flaky/${flaky}`) })).status,
      ).toBe(201);
      await tick(NOON);
      const [down] = await slotRuns(sub, "down");
      const [once] = await slotRuns(sub, "flaky");
      expect(await settled(down ?? "")).toBe("complete");
      expect(await settled(once ?? "")).toBe("complete");
      // Five attempts (the first and four retries), each recorded; the run itself passed.
      expect(await received(failing)).toHaveLength(5);
      expect(await countRows("alert_deliveries", "run_id = ? AND ok = 0 AND status = 500", down)).toBe(5);
      expect(
        await countRows("alert_deliveries", "run_id = ? AND error_code = 'ALERT_HTTP_STATUS'", down),
      ).toBe(5);
      expect((await jsonOf<{ status: string }>(await h.call(`/runs/${down}`, { auth }))).status).toBe(
        "passed",
      );
      // The flaky receiver refused once, then took it.
      expect(await received(flaky)).toHaveLength(2);
      const flakyDetail = await jsonOf<{
        alertDeliveries: Array<{ attempt: number; ok: boolean; status: number }>;
      }>(await h.call("/monitors/flaky", { auth }));
      expect(flakyDetail.alertDeliveries).toEqual([
        expect.objectContaining({ attempt: 2, ok: true, status: 204 }),
        expect.objectContaining({ attempt: 1, ok: false, status: 500, errorCode: "ALERT_HTTP_STATUS" }),
      ]);
      // The next slot runs as usual.
      await tick(NOON + FIVE_MINUTES);
      const downRuns = await slotRuns(sub, "down");
      expect(downRuns).toHaveLength(2);
      expect(await settled(downRuns[1] ?? "")).toBe("complete");
      for (const id of await slotRuns(sub, "flaky")) await settled(id);
      const detail = await jsonOf<{ lastRuns: Array<{ status: string }>; passRate: number }>(
        await h.call("/monitors/down", { auth }),
      );
      expect(detail.lastRuns.map((run) => run.status)).toEqual(["passed", "passed"]);
      expect(detail.passRate).toBe(1);
    } finally {
      await introspector.dispose();
      h.env.RUNS = liveRuns();
    }
  });
});
