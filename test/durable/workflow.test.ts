/**
 * Durable runs on the CollectionRun Workflow, woken by Certn's webhooks: a bundled ordering
 * collection end to end, an order step the engine never re-sends, cancel between steps, webhook
 * receivers (forged, duplicate, challenge) and wait items whose event comes before, after or never.
 */
import { introspectWorkflow } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_WEBHOOK_BYTES } from "../../src/worker/routes/webhooks.ts";
import { pruneExpired } from "../../src/worker/store/retention.ts";
import { type Harness, jsonOf } from "../workers/worker/harness.ts";
import {
  bindings,
  countRows,
  deliverCentric,
  durableHarness,
  liveRuns,
  runView,
  settled,
  startDurable,
  tokenFor,
  untilStatus,
} from "./helpers.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Runs `body` with every Workflow instance created meanwhile sleeping no time. The introspector
 * wraps the pool's binding, so the app is given the wrapped one.
 */
async function withoutSleeps<T>(
  h: Harness,
  body: () => Promise<T>,
  extra: (
    m: Parameters<Parameters<Awaited<ReturnType<typeof introspectWorkflow>>["modifyAll"]>[0]>[0],
  ) => Promise<void> = async () => {},
): Promise<T> {
  const introspector = await introspectWorkflow(bindings.RUNS as Workflow);
  try {
    await introspector.modifyAll(async (m) => {
      await m.disableSleeps();
      await extra(m);
    });
    h.env.RUNS = liveRuns();
    return await body();
  } finally {
    await introspector.dispose();
    h.env.RUNS = liveRuns();
  }
}

/** An ad-hoc CertnCentric collection: wait for an event about `{{caseId}}`, then read the groups. */
function waitCollection(timeoutMs: number) {
  return {
    formatVersion: 1,
    name: "wait then read",
    items: [
      {
        name: "Case changed",
        wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs },
        capture: { eventType: "$.event_type" },
        assert: [{ that: "$.object_id", equals: "{{caseId}}" }],
      },
      {
        name: "List groups",
        request: { method: "GET", url: "/api/public/groups/" },
        assert: [{ that: "status", equals: 200 }],
      },
    ],
  };
}

const event = (caseId: string, id = crypto.randomUUID()) => ({
  id,
  event_type: "CASE_STATUS_CHANGED",
  object_type: "CASE",
  object_id: caseId,
  created: new Date().toISOString(),
});

describe("durable runs of bundled collections", () => {
  it("centric-quickscreen orders once, wakes on the simulator's webhooks and passes", async () => {
    const h = durableHarness({ advancePerRequestMs: 120_000 });
    const auth = await tokenFor("quinn");
    const runId = await withoutSleeps(h, async () => {
      const id = await startDurable(h, "/collections/centric-quickscreen/runs", auth);
      expect(await settled(id, 25_000)).toBe("complete");
      return id;
    });
    const view = await runView(h, runId, auth);
    expect(view.result?.items.filter((item) => item.status !== "passed")).toEqual([]);
    expect(view).toMatchObject({ mode: "durable", status: "passed", collection: "centric-quickscreen" });
    expect(view.progress).toMatchObject({ items: 5, done: 5, passed: 5 });
    expect(h.sim.requests["POST /api/public/cases/order/"]).toBe(1);
    // The simulator's webhooks reached the Worker's own receiver and were stored.
    expect(await countRows("webhook_events", "source = ?", "certncentric")).toBeGreaterThan(0);
    expect(await countRows("waits", "run_id = ?", runId)).toBe(0);
  }, 40_000);

  it("hr-quick-screen wakes on the partner webhooks (Certn-Signature) and passes", async () => {
    const h = durableHarness({ advancePerRequestMs: 120_000 });
    const auth = await tokenFor("hana");
    const runId = await withoutSleeps(h, async () => {
      const id = await startDurable(h, "/collections/hr-quick-screen/runs", auth);
      expect(await settled(id, 25_000)).toBe("complete");
      return id;
    });
    const view = await runView(h, runId, auth);
    expect(view.result?.items.filter((item) => item.status !== "passed")).toEqual([]);
    expect(view.status).toBe("passed");
    const stored = await (bindings.DB as D1Database)
      .prepare("SELECT body FROM webhook_events WHERE source = 'certn' ORDER BY received_at DESC LIMIT 1")
      .first<{ body: string }>();
    // Stored with personal values masked, ids and statuses kept for matching.
    const body = JSON.parse(stored?.body ?? "{}") as Record<string, unknown>;
    expect(typeof body.id).toBe("string");
    expect(JSON.stringify(body)).not.toMatch(/@example|"first_name":"[A-Za-z]/);
  }, 40_000);

  it("never re-sends an order step whose attempt failed ambiguously", async () => {
    const h = durableHarness({ advancePerRequestMs: 120_000 });
    const auth = await tokenFor("rory");
    const runId = await withoutSleeps(
      h,
      async () => {
        const id = await startDurable(h, "/collections/centric-quickscreen/runs", auth);
        await settled(id, 25_000);
        return id;
      },
      // The order's step times out (as if the connection dropped after sending): a read step
      // would be retried; an order step never is.
      async (m) => {
        await m.forceStepTimeout({ name: "0/0 Order a quickscreen: POST" }, 1);
      },
    );
    const view = await untilStatus(h, runId, auth, "errored");
    expect(["errored", "failed"]).toContain(view.status);
    expect(h.sim.requests["POST /api/public/cases/order/"] ?? 0).toBe(0);
  }, 40_000);

  it("retries a read step whose attempt timed out", async () => {
    const h = durableHarness();
    const auth = await tokenFor("sam");
    const runId = await withoutSleeps(
      h,
      async () => {
        const id = await startDurable(h, "/collections/certn-smoke/runs", auth);
        expect(await settled(id, 25_000)).toBe("complete");
        return id;
      },
      async (m) => {
        await m.forceStepTimeout({ name: "0/0 List superteams: GET" }, 1);
        await m.disableRetryDelays();
      },
    );
    expect((await runView(h, runId, auth)).status).toBe("passed");
  }, 40_000);
});

describe("webhook receivers", () => {
  it("refuses a forged CertnCentric delivery and stores nothing", async () => {
    const h = durableHarness();
    const forged = event(`case-${crypto.randomUUID()}`);
    const response = await deliverCentric(h, forged, "00".repeat(32));
    expect(response.status).toBe(401);
    expect((await jsonOf<{ error: { code: string } }>(response)).error.code).toBe("INVALID_SIGNATURE");
    const missing = await h.app.fetch(
      new Request("https://worker.test/webhooks/certn", { method: "POST", body: "{}" }),
      h.env,
    );
    expect(missing.status).toBe(401);
    expect(await countRows("webhook_events", "event_id = ?", forged.id)).toBe(0);
  });

  it("stores a repeated delivery once", async () => {
    const h = durableHarness();
    const delivered = event(`case-${crypto.randomUUID()}`);
    const first = await deliverCentric(h, delivered);
    expect(first.status).toBe(200);
    expect(await jsonOf(first)).toMatchObject({ duplicate: false });
    const again = await deliverCentric(h, delivered);
    expect(again.status).toBe(200);
    expect(await jsonOf(again)).toMatchObject({ duplicate: true });
    expect(await countRows("webhook_events", "event_id = ?", delivered.id)).toBe(1);
  });

  it("knows a delivery replayed after its body is gone, and refuses one whose created is too old", async () => {
    const h = durableHarness();
    const delivered = event(`case-${crypto.randomUUID()}`);
    expect(await jsonOf(await deliverCentric(h, delivered))).toMatchObject({ duplicate: false });
    // Received eight days ago: the sweep empties its body; the id stays, so the replay is no new event.
    const db = bindings.DB as D1Database;
    await db
      .prepare("UPDATE webhook_events SET received_at = ? WHERE event_id = ?")
      .bind(Date.now() - 8 * DAY_MS, delivered.id)
      .run();
    await pruneExpired(db, Date.now());
    expect(await countRows("webhook_events", "event_id = ? AND body = 'null'", delivered.id)).toBe(1);
    expect(await jsonOf(await deliverCentric(h, delivered))).toMatchObject({ duplicate: true });
    // A validly signed event created 151 days ago: its id may be forgotten, so its age refuses it.
    const old = {
      ...event(`case-${crypto.randomUUID()}`),
      created: new Date(Date.now() - 151 * DAY_MS).toISOString(),
    };
    const stale = await deliverCentric(h, old);
    expect(stale.status).toBe(200);
    expect(await jsonOf(stale)).toMatchObject({ received: true, stale: true });
    expect(await countRows("webhook_events", "event_id = ?", old.id)).toBe(0);
    // Unix seconds say the same; an event of 100 days ago is still taken.
    const seconds = {
      ...event(`case-${crypto.randomUUID()}`),
      created: Math.floor(Date.now() / 1000) - 151 * 86_400,
    };
    expect(await jsonOf(await deliverCentric(h, seconds))).toMatchObject({ stale: true });
    // Text that only Date.parse would take for a date ("0" is the year 2000) says nothing.
    const numeric = { ...event(`case-${crypto.randomUUID()}`), created: "0" };
    expect(await jsonOf(await deliverCentric(h, numeric))).toMatchObject({ duplicate: false });
    const recent = {
      ...event(`case-${crypto.randomUUID()}`),
      created: new Date(Date.now() - 100 * DAY_MS).toISOString(),
    };
    expect(await jsonOf(await deliverCentric(h, recent))).toMatchObject({ duplicate: false });
  });

  it("refuses a body over the cap as it streams in, announced or not", async () => {
    const h = durableHarness();
    const big = new Uint8Array(MAX_WEBHOOK_BYTES + 1).fill(0x20);
    const announced = await h.app.fetch(
      new Request("https://worker.test/webhooks/certncentric", { method: "POST", body: big }),
      h.env,
    );
    expect(announced.status).toBe(413);
    // No Content-Length: the bytes are counted as they arrive.
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(big);
        controller.close();
      },
    });
    const unannounced = await h.app.fetch(
      new Request("https://worker.test/webhooks/certn", {
        method: "POST",
        body: streamed,
        duplex: "half",
      } as RequestInit),
      h.env,
    );
    expect(unannounced.status).toBe(413);
    expect((await jsonOf<{ error: { code: string } }>(unannounced)).error.code).toBe("BODY_TOO_LARGE");
  });

  it("answers 503 when its secret is not configured", async () => {
    const h = durableHarness();
    const response = await h.app.fetch(
      new Request("https://worker.test/webhooks/certncentric", { method: "POST", body: "{}" }),
      { ...h.env, CERTN_CENTRIC_WEBHOOK_SECRET: undefined },
    );
    expect(response.status).toBe(503);
  });

  it("answers CertnCentric's endpoint challenge", async () => {
    const h = durableHarness();
    const response = await h.app.fetch(
      new Request("https://worker.test/webhooks/certncentric?challenge=abc123"),
      h.env,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("abc123");
  });
});

describe("wait items", () => {
  it("take an event that arrived before the wait began", async () => {
    const h = durableHarness();
    const auth = await tokenFor("tara");
    const caseId = `case-${crypto.randomUUID()}`;
    expect((await deliverCentric(h, event(caseId))).status).toBe(200);
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(600_000),
      variables: { caseId },
    });
    expect(await settled(runId)).toBe("complete");
    const view = await runView(h, runId, auth);
    expect(view.status).toBe("passed");
    expect(view.result?.summary).toMatchObject({ items: 2, passed: 2 });
  });

  it("wake when a signed event arrives while the run waits", async () => {
    const h = durableHarness();
    const auth = await tokenFor("uma");
    const caseId = `case-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(600_000),
      variables: { caseId },
    });
    const waiting = await untilStatus(h, runId, auth, "waiting");
    expect(waiting.status).toBe("waiting");
    expect(waiting.waitingFor).toMatchObject({ kind: "webhook", webhook: "certncentric" });
    // An event about another case does not wake it.
    await deliverCentric(h, event(`case-${crypto.randomUUID()}`));
    expect((await runView(h, runId, auth)).status).toBe("waiting");
    expect((await deliverCentric(h, event(caseId))).status).toBe(200);
    expect(await settled(runId)).toBe("complete");
    const view = await runView(h, runId, auth);
    expect(view.status).toBe("passed");
    const events = (await (await h.call(`/runs/${runId}/events`, { auth })).text()).trim().split("\n");
    expect(events.map((line) => (JSON.parse(line) as { type: string }).type)).toContain("item-end");
  });

  it("show what they wait for with secrets masked, and still match the secret", async () => {
    const h = durableHarness();
    const auth = await tokenFor("wes");
    const caseId = `case-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(600_000),
      secrets: { caseId },
    });
    const waiting = await untilStatus(h, runId, auth, "waiting");
    expect(waiting.waitingFor).toMatchObject({ kind: "webhook", match: { "$.object_id": "[secret]" } });
    const record = await (await h.call(`/runs/${runId}`, { auth })).text();
    expect(record).not.toContain(caseId);
    // Nor does the wait's row in D1, which the receiver matches by a keyed digest.
    expect(await countRows("waits", "run_id = ?", runId)).toBe(1);
    expect(await countRows("waits", "run_id = ? AND instr(match, ?) > 0", runId, caseId)).toBe(0);
    expect((await deliverCentric(h, event(caseId))).status).toBe(200);
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
  });

  it("wake on Certn's repeat of a delivery whose hand-off to the run failed", async () => {
    const h = durableHarness();
    const auth = await tokenFor("ula");
    const caseId = `case-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(600_000),
      variables: { caseId },
    });
    expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
    // The Workflow binding fails once, as a transient platform error would.
    const real = liveRuns();
    let failures = 0;
    h.env.RUNS = {
      create: real.create.bind(real),
      createBatch: real.createBatch.bind(real),
      get: async (id: string) => {
        if (failures === 0) {
          failures += 1;
          throw new Error("transient: Workflow binding unavailable");
        }
        return real.get(id);
      },
    } as typeof real;
    const delivered = event(caseId);
    // Answered 503, so Certn delivers it again.
    const failed = await deliverCentric(h, delivered);
    expect(failed.status).toBe(503);
    expect(await jsonOf(failed)).toMatchObject({ duplicate: false, handedOff: false });
    expect(failures).toBe(1);
    // The take is given back, so the run can still take the event.
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(0);
    expect((await runView(h, runId, auth)).status).toBe("waiting");

    expect(await jsonOf(await deliverCentric(h, delivered))).toMatchObject({ duplicate: true });
    expect(await countRows("webhook_takes", "run_id = ? AND event_id = ?", runId, delivered.id)).toBe(1);
    expect(await settled(runId)).toBe("complete");
    const view = await runView(h, runId, auth);
    expect(view.status).toBe("passed");
    expect(view.result?.summary).toMatchObject({ items: 2, passed: 2 });
  });

  it("are not woken by a repeated delivery whose body is past its 7 days", async () => {
    const h = durableHarness();
    const auth = await tokenFor("una");
    const caseId = `case-${crypto.randomUUID()}`;
    const delivered = event(caseId);
    // Stored eight days ago and not yet emptied by the sweep: no longer an event a run may take.
    await (bindings.DB as D1Database)
      .prepare(
        "INSERT INTO webhook_events (source, event_id, received_at, body) VALUES ('certncentric', ?, ?, ?)",
      )
      .bind(delivered.id, Date.now() - 8 * DAY_MS, JSON.stringify(delivered))
      .run();
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(600_000),
      variables: { caseId },
    });
    expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
    expect(await jsonOf(await deliverCentric(h, delivered))).toMatchObject({ duplicate: true });
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(0);
    expect((await runView(h, runId, auth)).status).toBe("waiting");
    expect((await h.call(`/runs/${runId}/cancel`, { method: "POST", auth })).status).toBe(202);
    expect(await settled(runId)).toBe("complete");
  });

  it("fail with CERTN_WAIT_TIMEOUT when no event comes", async () => {
    const h = durableHarness();
    const auth = await tokenFor("vic");
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(1_000),
      variables: { caseId: `case-${crypto.randomUUID()}` },
    });
    expect(await settled(runId)).toBe("complete");
    const view = await runView(h, runId, auth);
    const wait = view.result?.items.find((item) => item.name === "Case changed");
    expect(wait?.error?.code).toBe("CERTN_WAIT_TIMEOUT");
    expect(view.status).not.toBe("passed");
  });
});

describe("cancel", () => {
  it("stops a waiting run; nothing is sent after", async () => {
    const h = durableHarness();
    const auth = await tokenFor("wes");
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(600_000),
      variables: { caseId: `case-${crypto.randomUUID()}` },
    });
    await untilStatus(h, runId, auth, "waiting");
    const sent = h.upstream.length;
    const response = await h.call(`/runs/${runId}/cancel`, { method: "POST", auth });
    expect(response.status).toBe(202);
    expect(await settled(runId)).toBe("complete");
    const view = await runView(h, runId, auth);
    expect(view.status).toBe("cancelled");
    expect(h.upstream.length).toBe(sent);
    expect(h.sim.requests["GET /api/public/groups/"] ?? 0).toBe(0);
  });

  it("stops a run cancelled before its wait began", async () => {
    const h = durableHarness();
    const auth = await tokenFor("wyn");
    const caseId = `case-${crypto.randomUUID()}`;
    const collection = waitCollection(600_000);
    // A read first, so the cancel lands before the wait opens.
    const runId = await startDurable(h, "/runs", auth, {
      collection: { ...collection, items: [collection.items[1], ...collection.items] },
      variables: { caseId },
    });
    expect((await h.call(`/runs/${runId}/cancel`, { method: "POST", auth })).status).toBe(202);
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("cancelled");
    expect(h.sim.requests["GET /api/public/groups/"] ?? 0).toBeLessThanOrEqual(1);
  });

  it("is 404 for another caller's run", async () => {
    const h = durableHarness();
    const runId = await startDurable(h, "/runs", await tokenFor("xena"), {
      collection: waitCollection(1_000),
      variables: { caseId: "c-1" },
    });
    const response = await h.call(`/runs/${runId}/cancel`, { method: "POST", auth: await tokenFor("yuri") });
    expect(response.status).toBe(404);
    await settled(runId);
  });
});

describe("stored state", () => {
  it("holds no secret input, credential or token of a durable run", async () => {
    const h = durableHarness();
    const auth = await tokenFor("zoe");
    const secret = `run-secret-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, {
      collection: {
        formatVersion: 1,
        name: "secret header",
        items: [
          {
            name: "List groups",
            request: { method: "GET", url: "/api/public/groups/", headers: { "x-trace": "{{traceSecret}}" } },
            assert: [{ that: "status", equals: 200 }],
          },
        ],
      },
      secrets: { traceSecret: secret },
      includeBodies: true,
    });
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
    const db = bindings.DB as D1Database;
    const rows = [
      ...(await db.prepare("SELECT * FROM runs WHERE run_id = ?").bind(runId).all()).results,
      ...(await db.prepare("SELECT * FROM run_events WHERE run_id = ?").bind(runId).all()).results,
    ];
    const text = JSON.stringify(rows);
    expect(text).toContain(runId);
    for (const value of [secret, h.sim.centric.apiKeys[0] ?? "", h.clientSecret, ...h.sim.liveTokens()]) {
      expect(text).not.toContain(value);
    }
  });
});

describe("durable runs and the record routes", () => {
  it("give back the first durable run for a repeated Idempotency-Key", async () => {
    const h = durableHarness();
    const auth = await tokenFor(`ida-${crypto.randomUUID()}`);
    const send = () =>
      h.call("/collections/certn-smoke/runs", {
        method: "POST",
        auth,
        json: {},
        headers: { prefer: "respond-async", "idempotency-key": "order-42" },
      });
    const first = await send();
    expect(first.status).toBe(202);
    const { runId } = await jsonOf<{ runId: string }>(first);
    const again = await send();
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("location")).toBe(`/runs/${runId}`);
    expect((await jsonOf<{ runId: string }>(again)).runId).toBe(runId);
    expect(await settled(runId)).toBe("complete");
    const list = await jsonOf<{ runs: Array<{ runId: string; mode: string }> }>(
      await h.call("/runs", { auth }),
    );
    expect(list.runs).toEqual([expect.objectContaining({ runId, mode: "durable" })]);
  });

  it("stream a run's events with ?follow=1 until it ends", async () => {
    const h = durableHarness();
    const auth = await tokenFor("fay");
    const caseId = `case-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitCollection(600_000),
      variables: { caseId },
    });
    await untilStatus(h, runId, auth, "waiting");
    const response = await h.call(`/runs/${runId}/events?follow=1`, { auth });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const reading = response.text();
    await deliverCentric(h, event(caseId));
    const lines = (await reading)
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(lines[0]).toBe("run-start");
    expect(lines[lines.length - 1]).toBe("run-end");
    expect((await runView(h, runId, auth)).status).toBe("passed");
  });
});
