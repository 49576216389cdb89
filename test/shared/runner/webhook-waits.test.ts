/**
 * `wait` items and `poll.wakeOn` against an in-memory webhook hub on virtual time: an event that
 * arrives during or before the wait, none at all, no source of events, and a poll woken early.
 */
import { describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import { createWebhookHub, eventMatches, runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, FakeClock, json } from "./helpers.ts";

const HOUR = 3_600_000;

const order: Item = {
  name: "Order",
  request: { method: "POST", url: "/api/public/cases/order/", json: { email: "a@example.com" } },
  capture: { caseId: "$.id" },
  assert: [{ that: "status", equals: 201 }],
};

const waitForReport: Item = {
  name: "Report ready",
  wait: {
    webhook: "certncentric",
    match: { "$.object_id": "{{caseId}}", "$.event_type": "CASE_REPORT_READY" },
    timeoutMs: 2 * HOUR,
  },
  capture: { reportEventId: "$.id" },
  assert: [{ that: "$.object_type", equals: "CASE" }],
};

function event(caseId: string, type = "CASE_REPORT_READY", id = "evt-1") {
  return { id, event_type: type, object_id: caseId, object_type: "CASE" };
}

function setup() {
  const clock = new FakeClock();
  const hub = createWebhookHub({ sleep: clock.sleep });
  const transport = createTestTransport(() => json({ id: "case-7" }, 201));
  return { clock, hub, transport };
}

describe("wait items", () => {
  it("treat the first matching event as the response, for captures and assertions", async () => {
    const { clock, hub, transport } = setup();
    const started = clock.now();
    const run = runCollection(collectionOf([order, waitForReport]), {
      client: transport,
      webhooks: hub,
      now: clock.now,
      sleep: clock.sleep,
    });
    // A virtual minute in: other cases' events and other event types do not count.
    void clock.sleep(60_000).then(() => {
      hub.deliver("certncentric", event("case-8"));
      hub.deliver("certncentric", event("case-7", "CASE_STATUS_CHANGED", "evt-0"));
      hub.deliver("certn", event("case-7"));
      hub.deliver("certncentric", event("case-7", "CASE_REPORT_READY", "evt-9"));
    });
    const result = await run;
    const wait = result.items[1];
    expect(wait?.status).toBe("passed");
    expect(wait?.captures?.reportEventId).toBe("evt-9");
    expect(wait?.attempts).toBe(0);
    expect(result.summary.requests).toBe(1);
    // Woken by the event a minute in, not by the 2 h timeout.
    expect(clock.now() - started).toBe(60_000);
  });

  it("find an event that arrived before the wait began, and take each event once", async () => {
    const { clock, hub, transport } = setup();
    const started = clock.now();
    hub.deliver("certncentric", event("case-7", "CASE_REPORT_READY", "early"));
    const twice: Item = { ...waitForReport, name: "Second wait" } as Item;
    const result = await runCollection(collectionOf([order, waitForReport, twice]), {
      client: transport,
      webhooks: hub,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items[1]?.status).toBe("passed");
    expect(result.items[1]?.captures?.reportEventId).toBe("early");
    // The one event was taken by the first wait: the second times out after its 2 h, and fails
    // ("after timeoutMs a wait fails with CERTN_WAIT_TIMEOUT", collection format): no capture,
    // no assertion, nothing sent.
    expect(result.items[2]).toMatchObject({
      name: "Second wait",
      status: "failed",
      attempts: 0,
      assertions: [],
      error: {
        code: "CERTN_WAIT_TIMEOUT",
        message:
          'no certncentric webhook matching {"$.object_id":"case-7","$.event_type":"CASE_REPORT_READY"} arrived within 7200000 ms',
      },
    });
    expect(result.items[2]?.captures).toBeUndefined();
    expect(clock.now() - started).toBe(2 * HOUR);
    expect(result.summary).toMatchObject({ passed: 2, failed: 1, errored: 0, requests: 1 });
  });

  it("error with CERTN_DEADLINE, not fail, when the run's deadline comes before the wait's timeout", async () => {
    const { clock, hub, transport } = setup();
    const started = clock.now();
    const result = await runCollection(collectionOf([order, waitForReport]), {
      client: transport,
      webhooks: hub,
      deadlineMs: HOUR,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items[1]).toMatchObject({ status: "errored", error: { code: "CERTN_DEADLINE" } });
    expect(result.items[1]?.error?.message).toMatch(/the run deadline/);
    expect(clock.now() - started).toBe(HOUR);
    expect(result.summary).toMatchObject({ passed: 1, failed: 0, errored: 1 });
  });

  it("error with CERTN_WAIT_UNSUPPORTED where no source of events is given, naming the ways to get one", async () => {
    const { clock, transport } = setup();
    const result = await runCollection(collectionOf([order, waitForReport]), {
      client: transport,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items[1]?.status).toBe("errored");
    expect(result.items[1]?.error?.code).toBe("CERTN_WAIT_UNSUPPORTED");
    expect(result.items[1]?.error?.message).toMatch(/Prefer: respond-async.*--webhook-port/);
  });

  it("are skipped by a dry run", async () => {
    const { clock, hub, transport } = setup();
    const result = await runCollection(collectionOf([waitForReport]), {
      client: transport,
      webhooks: hub,
      dryRun: true,
      variables: { caseId: "c" },
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items[0]?.status).toBe("skipped");
    expect(result.items[0]?.skipReason).toMatch(/dry run/);
  });
});

describe("poll.wakeOn", () => {
  const poll: Item = {
    name: "Case complete",
    request: { method: "GET", url: "/api/public/cases/{{caseId}}/" },
    poll: {
      until: [{ that: "$.overall_status", equals: "COMPLETE" }],
      wakeOn: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" } },
      intervalMs: 6 * HOUR,
      maxAttempts: 5,
    },
    assert: [{ that: "status", equals: 200 }],
  };

  function statusServer(completeAfter: { sent: number }) {
    return createTestTransport((request, info) => {
      if (request.method === "POST") return json({ id: "case-7" }, 201);
      return json({ overall_status: info.index >= completeAfter.sent ? "COMPLETE" : "IN_PROGRESS" });
    });
  }

  it("re-sends as soon as a matching webhook arrives instead of after the interval", async () => {
    const clock = new FakeClock();
    const hub = createWebhookHub({ sleep: clock.sleep });
    const transport = statusServer({ sent: 2 });
    const started = clock.now();
    const run = runCollection(collectionOf([order, poll]), {
      client: transport,
      webhooks: hub,
      now: clock.now,
      sleep: clock.sleep,
    });
    void clock.sleep(60_000).then(() => hub.deliver("certncentric", event("case-7", "CASE_STATUS_CHANGED")));
    const result = await run;
    expect(result.items[1]?.status).toBe("passed");
    expect(result.items[1]?.attempts).toBe(2);
    expect(clock.now() - started).toBe(60_000);
  });

  it("without a source of events polls on its interval", async () => {
    const clock = new FakeClock();
    const transport = statusServer({ sent: 2 });
    const started = clock.now();
    const result = await runCollection(collectionOf([order, poll]), {
      client: transport,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items[1]?.status).toBe("passed");
    expect(clock.now() - started).toBeGreaterThanOrEqual(6 * HOUR);
  });
});

describe("eventMatches", () => {
  it("compares the text of exactly one selected value with each expected text", () => {
    const body = { id: "e", object_id: 42, ok: true, list: [1, 2], nested: { a: "x" } };
    expect(eventMatches({ "$.object_id": "42", "$.ok": "true", "$.nested.a": "x" }, body)).toBe(true);
    expect(eventMatches({ "$.object_id": "43" }, body)).toBe(false);
    expect(eventMatches({ "$.missing": "" }, body)).toBe(false);
    // Several nodes are no single value to compare.
    expect(eventMatches({ "$.list[*]": "1" }, body)).toBe(false);
    expect(eventMatches({ "$[": "x" }, body)).toBe(false);
  });

  it("never matches by a selector a collection may no longer hold (a wait stored before the rules)", () => {
    const body = { id: "e", list: ["only"], object_type: "CASE" };
    // A filter or wildcard selecting one node, and a valid name path padded past 256 characters.
    expect(eventMatches({ "$.list[?@ == 'only']": "only" }, body)).toBe(false);
    expect(eventMatches({ "$.list[*]": "only" }, body)).toBe(false);
    expect(eventMatches({ [`$${" ".repeat(300)}.object_type`]: "CASE" }, body)).toBe(false);
    expect(eventMatches({ "$ .object_type": "CASE", "$.list[0]": "only" }, body)).toBe(true);
  });
});
