/**
 * The format side of webhook waits: `poll.wakeOn`, wait items and "first of" captures parse, each
 * wrong shape is an issue at its JSON Pointer, and a parsed collection runs with a webhook hub.
 */
import { describe, expect, it } from "vitest";
import type { Collection, Item } from "../../../src/collection/model.ts";
import { parseCollection } from "../../../src/collection/parse.ts";
import { createWebhookHub, runCollection } from "../../../src/runner/index.ts";
import { createTestTransport, FakeClock, json } from "../runner/helpers.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const wait = {
  name: "Report ready",
  description: "The report webhook",
  wait: {
    webhook: "certncentric",
    match: { "$.object_id": "{{caseId}}", "$.event_type": "CASE_REPORT_READY" },
    timeoutMs: 14 * DAY,
  },
  capture: { reportEventId: ["$.event_id", "$.id"] },
  assert: [{ that: "$.object_type", equals: "CASE" }],
  skip: false,
  skipIf: [{ that: "var noReport", equals: true }],
};

const wakingPoll = {
  name: "Case complete",
  request: { method: "GET", url: "/api/public/cases/{{caseId}}/" },
  poll: {
    until: [{ that: "$.overall_status", equals: "COMPLETE" }],
    failIf: [{ that: "$.overall_status", oneOf: ["CANCELLED", "APPLICANT_EXPIRED"] }],
    wakeOn: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" } },
    intervalMs: 6 * HOUR,
    maxAttempts: 60,
  },
};

function collectionWith(...items: unknown[]): Record<string, unknown> {
  return { formatVersion: 1, name: "c", items };
}

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = parseCollection(input);
  if (result.ok) throw new Error("expected issues, but the collection was accepted");
  return result.issues;
}

/** The wait item above with `change` applied to it (top level) or to its `wait`. */
function waitWith(change: Record<string, unknown>, waitChange: Record<string, unknown> = {}): unknown {
  return collectionWith({ ...wait, wait: { ...wait.wait, ...waitChange }, ...change });
}

function wakeOnWith(wakeOn: unknown): unknown {
  return collectionWith({ ...wakingPoll, poll: { ...wakingPoll.poll, wakeOn } });
}

function captureWith(capture: unknown): unknown {
  return collectionWith({ name: "r", request: { method: "GET", url: "/x" }, capture });
}

describe("parseCollection: webhook waits", () => {
  it("accepts wait items, polls with wakeOn and first-of captures, and returns them unchanged", () => {
    const input = collectionWith(
      { name: "folder", items: [wait, wakingPoll] },
      wait,
      {
        name: "Report file",
        request: { method: "POST", url: "/api/public/cases/{{caseId}}/generate-report/" },
        capture: { reportFileId: ["$.case_report_file_id", "$.report_file_id", "$.id"], one: "$.id" },
      },
      {
        name: "Partner applicant",
        request: { method: "GET", url: "/api/v1/hr/applicants/{{applicantId}}/" },
        poll: {
          until: [{ that: "$.report_status", equals: "COMPLETE" }],
          wakeOn: { webhook: "certn", match: { "$.id": "{{applicantId}}" } },
        },
      },
    );
    expect(parseCollection(input)).toEqual({ ok: true, collection: input });
  });

  it("accepts the limits: 30 days, 16 match selectors, 8 capture selectors", () => {
    const match = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`$.k${i}`, `{{v${i}}}`]));
    expect(parseCollection(waitWith({}, { timeoutMs: 30 * DAY, match })).ok).toBe(true);
    expect(parseCollection(waitWith({}, { timeoutMs: 1 })).ok).toBe(true);
    expect(parseCollection(captureWith({ a: Array.from({ length: 8 }, (_, i) => `$.k${i}`) })).ok).toBe(true);
  });

  it("accepts match selectors written with names and indexes in any notation", () => {
    const match = { "$['object_id']": "{{caseId}}", "$.checks[0].status": "COMPLETE", "$.a[-1]['b c']": "x" };
    expect(parseCollection(waitWith({}, { match })).ok).toBe(true);
  });

  it.each([
    [
      "a wait with a request",
      waitWith({ request: { method: "GET", url: "/x" } }),
      "/items/0/request",
      'a wait item sends no request, so it cannot have "request"',
    ],
    ["a wait with poll", waitWith({ poll: wakingPoll.poll }), "/items/0/poll", 'cannot have "poll"'],
    ["a wait with retry", waitWith({ retry: { retries: 0 } }), "/items/0/retry", 'cannot have "retry"'],
    ["a wait with auth", waitWith({ auth: "none" }), "/items/0/auth", 'cannot have "auth"'],
    [
      "a wait with an item timeoutMs",
      waitWith({ timeoutMs: 1000 }),
      "/items/0/timeoutMs",
      'cannot have "timeoutMs": put how long to wait in "wait"',
    ],
    [
      "a wait without timeoutMs",
      collectionWith({ name: "w", wait: { webhook: "certn", match: { "$.id": "x" } } }),
      "/items/0/wait/timeoutMs",
      'wait needs "timeoutMs"',
    ],
    [
      "a timeoutMs over 30 days",
      waitWith({}, { timeoutMs: 30 * DAY + 1 }),
      "/items/0/wait/timeoutMs",
      "timeoutMs must be a whole number from 1 to 2592000000 (got 2592000001)",
    ],
    ["a timeoutMs of 0", waitWith({}, { timeoutMs: 0 }), "/items/0/wait/timeoutMs", "from 1 to"],
    ["a fractional timeoutMs", waitWith({}, { timeoutMs: 1.5 }), "/items/0/wait/timeoutMs", "whole number"],
    [
      "an unknown webhook",
      waitWith({}, { webhook: "stripe" }),
      "/items/0/wait/webhook",
      'webhook must be one of certn, certncentric (got "stripe")',
    ],
    [
      "a webhook in the wrong case",
      waitWith({}, { webhook: "CertnCentric" }),
      "/items/0/wait/webhook",
      'letter case matters: write "certncentric"',
    ],
    [
      "an empty match",
      waitWith({}, { match: {} }),
      "/items/0/wait/match",
      "match must hold 1 to 16 selectors",
    ],
    [
      "a match of 17 selectors",
      waitWith({}, { match: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`$.k${i}`, "x"])) }),
      "/items/0/wait/match",
      "match must hold 1 to 16 selectors (got 17)",
    ],
    [
      "a match that is an array",
      waitWith({}, { match: [] }),
      "/items/0/wait/match",
      "match must be an object",
    ],
    [
      "an invalid JSONPath in match",
      waitWith({}, { match: { "$.object_id[": "{{caseId}}" } }),
      "/items/0/wait/match/$.object_id[",
      'match: invalid JSONPath "$.object_id["',
    ],
    [
      "a match selector that is not JSONPath",
      waitWith({}, { match: { object_id: "{{caseId}}" } }),
      "/items/0/wait/match/object_id",
      "a match selector starts with $",
    ],
    [
      "a match selector that may select several values",
      waitWith({}, { match: { "$.checks[?@.type == 'CRIMINAL'].status": "COMPLETE" } }),
      "/items/0/wait/match/$.checks[?@.type == 'CRIMINAL'].status",
      "may select several values: a match selector names one, with names and indexes only",
    ],
    [
      "a match selector too long to name one value",
      waitWith({}, { match: { [`$${".a".repeat(200)}`]: "x" } }),
      `/items/0/wait/match/$${".a".repeat(200)}`,
      "a match selector is at most 256 characters (got 401)",
    ],
    [
      "a wakeOn selector that walks the whole event",
      wakeOnWith({ webhook: "certn", match: { "$..id": "x" } }),
      "/items/0/poll/wakeOn/match/$..id",
      '"$..id" may select several values',
    ],
    [
      "a match value that is not a string",
      waitWith({}, { match: { "$.object_id": 7 } }),
      "/items/0/wait/match/$.object_id",
      'a match value must be a string, usually a template such as "{{caseId}}" (got 7); quote it: "7"',
    ],
    [
      "an unknown field in wait",
      waitWith({}, { timeout: 5 }),
      "/items/0/wait/timeout",
      'unknown field "timeout" (did you mean "timeoutMs"?); wait has: webhook, match, timeoutMs',
    ],
    [
      "an unknown field in a wait item",
      waitWith({ extra: 1 }),
      "/items/0/extra",
      'unknown field "extra"; a wait item has: name, description, wait, capture, assert, skip, skipIf',
    ],
    [
      "a wait that is not an object",
      collectionWith({ name: "w", wait: "certn" }),
      "/items/0/wait",
      'wait must be an object (got "certn")',
    ],
    [
      "a wait item without a name",
      collectionWith({ wait: wait.wait }),
      "/items/0/name",
      'a wait item needs "name"',
    ],
    [
      "an item with neither request, wait nor items",
      collectionWith({ name: "a" }, { name: "b", items: [{ name: "c", wiat: {} }] }),
      "/items/1/items/0",
      'an item needs "request" (a request item), "wait" (a wait item) or "items" (a folder) (is "wiat" a misspelling?)',
    ],
    [
      "an item with both wait and items",
      collectionWith({ name: "a", wait: wait.wait, items: [] }),
      "/items/0",
      'an item cannot have both "wait" and "items"',
    ],
    [
      "a wakeOn with an unknown webhook",
      wakeOnWith({ webhook: "partner", match: { "$.id": "x" } }),
      "/items/0/poll/wakeOn/webhook",
      "webhook must be one of certn, certncentric",
    ],
    [
      "a wakeOn without match",
      wakeOnWith({ webhook: "certn" }),
      "/items/0/poll/wakeOn/match",
      'wakeOn needs "match"',
    ],
    [
      "a wakeOn with an empty match",
      wakeOnWith({ webhook: "certn", match: {} }),
      "/items/0/poll/wakeOn/match",
      "match must hold 1 to 16 selectors",
    ],
    [
      "a wakeOn with an invalid JSONPath",
      wakeOnWith({ webhook: "certn", match: { "$..[": "x" } }),
      "/items/0/poll/wakeOn/match/$..[",
      'invalid JSONPath "$..["',
    ],
    [
      "a wakeOn with an unknown field",
      wakeOnWith({ webhook: "certn", match: { "$.id": "x" }, timeoutMs: 5 }),
      "/items/0/poll/wakeOn/timeoutMs",
      'unknown field "timeoutMs"; wakeOn has: webhook, match',
    ],
    [
      "a wakeOn outside poll",
      collectionWith({ ...wakingPoll, wakeOn: wakingPoll.poll.wakeOn }),
      "/items/0/wakeOn",
      'wakeOn belongs inside "poll"',
    ],
    [
      "a poll interval over 24 h",
      collectionWith({ ...wakingPoll, poll: { ...wakingPoll.poll, intervalMs: DAY + 1 } }),
      "/items/0/poll/intervalMs",
      "intervalMs must be a whole number from 0 to 86400000",
    ],
    [
      "an empty capture list",
      captureWith({ id: [] }),
      "/items/0/capture/id",
      "capture must list 1 to 8 selectors, tried in order (got an empty array)",
    ],
    [
      "a capture list of 9",
      captureWith({ id: Array.from({ length: 9 }, (_, i) => `$.k${i}`) }),
      "/items/0/capture/id",
      "capture must list 1 to 8 selectors, tried in order (got 9)",
    ],
    [
      "a capture list holding a number",
      captureWith({ id: ["$.id", 3] }),
      "/items/0/capture/id/1",
      "capture must be a selector: status, duration, body, header NAME, var NAME or a JSONPath starting with $ (got 3)",
    ],
    [
      "a capture list holding an invalid selector",
      captureWith({ id: ["$.id", "$.a", "idd"] }),
      "/items/0/capture/id/2",
      'unknown selector "idd"',
    ],
    [
      "a capture that is neither a string nor an array",
      captureWith({ id: { first: "$.id" } }),
      "/items/0/capture/id",
      "capture must be a selector (status, duration, body, header NAME, var NAME or a JSONPath starting with $) or an array of 1 to 8 selectors (got an object)",
    ],
    [
      "a wait item's capture list with an invalid JSONPath",
      waitWith({ capture: { id: ["$.event_id", "$.id["] } }),
      "/items/0/capture/id/1",
      'capture: invalid JSONPath "$.id["',
    ],
  ])("%s", (_name, input, path, message) => {
    expect(issuesOf(input)).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("reports every problem of one wait item, each at its own field", () => {
    const issues = issuesOf(
      waitWith({ capture: { a: [] } }, { webhook: "x", match: { "a.b": 1 }, timeoutMs: -5 }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      "/items/0/wait/webhook",
      "/items/0/wait/match/a.b",
      "/items/0/wait/match/a.b",
      "/items/0/wait/timeoutMs",
      "/items/0/capture/a",
    ]);
  });
});

describe("a parsed collection with a wait and a wakeOn poll", () => {
  it("runs with createWebhookHub: the poll wakes on the webhook, the wait takes its event", async () => {
    const parsed = parseCollection(
      JSON.stringify({
        formatVersion: 1,
        name: "Order, poll, wait",
        items: [
          {
            name: "Order",
            request: { method: "POST", url: "/api/public/cases/order/", json: { email: "a@example.com" } },
            capture: { caseId: ["$.case.id", "$.id"] },
            assert: [{ that: "status", equals: 201 }],
          },
          { ...wakingPoll, assert: [{ that: "status", equals: 200 }] },
          {
            name: "Report ready",
            wait: {
              webhook: "certncentric",
              match: { "$.object_id": "{{caseId}}", "$.event_type": "CASE_REPORT_READY" },
              timeoutMs: 2 * HOUR,
            },
            capture: { reportEventId: ["$.event_id", "$.id"] },
            assert: [{ that: "$.object_type", equals: "CASE" }],
          },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const collection: Collection = parsed.collection;
    const [, poll, waitItem] = collection.items as [Item, Item, Item];
    expect("poll" in poll && poll.poll?.wakeOn?.webhook).toBe("certncentric");
    expect("wait" in waitItem && waitItem.wait.timeoutMs).toBe(2 * HOUR);

    const clock = new FakeClock();
    const hub = createWebhookHub({ sleep: clock.sleep });
    let looks = 0;
    const transport = createTestTransport((request) => {
      if (request.method === "POST") return json({ id: "case-7" }, 201);
      looks += 1;
      return json({ overall_status: looks >= 2 ? "COMPLETE" : "IN_PROGRESS" });
    });
    const started = clock.now();
    const run = runCollection(collection, {
      client: transport,
      webhooks: hub,
      now: clock.now,
      sleep: clock.sleep,
    });
    const event = (type: string, id: string) => ({
      id,
      event_type: type,
      object_id: "case-7",
      object_type: "CASE",
    });
    // A minute in the case's status changes (waking the 6 h poll); a minute later the report is ready.
    void clock.sleep(60_000).then(() => hub.deliver("certncentric", event("CASE_STATUS_CHANGED", "evt-1")));
    void clock.sleep(120_000).then(() => hub.deliver("certncentric", event("CASE_REPORT_READY", "evt-2")));
    const result = await run;

    expect(result.items.map((item) => item.status)).toEqual(["passed", "passed", "passed"]);
    expect(result.items[0]?.captures?.caseId).toBe("case-7");
    expect(result.items[1]?.attempts).toBe(2);
    expect(result.items[2]?.captures?.reportEventId).toBe("evt-2");
    expect(result.summary.requests).toBe(3);
    // Woken by webhooks, never by the 6 h interval or the 2 h wait timeout.
    expect(clock.now() - started).toBe(120_000);
  });
});
