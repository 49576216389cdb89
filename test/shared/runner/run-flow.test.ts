import { describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import type { RunEvent } from "../../../src/results/result.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, FakeClock, type Handler, json } from "./helpers.ts";

/** A small stateful stand-in: create applicants, read them, list them; status advances per read. */
function applicantsApi(): Handler {
  const applicants = new Map<string, { id: string; email: string; status: string; reads: number }>();
  let nextId = 1;
  return async (request) => {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/api/v1/hr/applicants/") {
      const body = (await request.json()) as { email: string };
      const id = `app-${nextId++}`;
      applicants.set(id, { id, email: body.email, status: "Pending", reads: 0 });
      return json({ id, status: "Pending" }, 201, { location: `/api/v1/hr/applicants/${id}/` });
    }
    const one = /^\/api\/v1\/hr\/applicants\/([^/]+)\/$/.exec(url.pathname);
    if (request.method === "GET" && one) {
      const applicant = applicants.get(one[1] ?? "");
      if (!applicant) return json({ detail: "Not found." }, 404);
      applicant.reads += 1;
      if (applicant.reads >= 3) applicant.status = applicant.email.startsWith("bad") ? "Error" : "Complete";
      return json({
        id: applicant.id,
        status: applicant.status,
        report_status: applicant.status.toUpperCase(),
      });
    }
    if (request.method === "GET" && url.pathname === "/api/v1/hr/applicants/") {
      return json({
        count: applicants.size,
        results: [...applicants.values()].map(({ id, status }) => ({ id, status })),
      });
    }
    return json({ detail: "Not found." }, 404);
  };
}

const flow: Item[] = [
  {
    name: "Create",
    request: { method: "POST", url: "/api/v1/hr/applicants/", json: { email: "{{email}}" } },
    capture: { applicantId: "$.id", location: "header location" },
    assert: [
      { that: "status", equals: 201 },
      { that: "$.status", equals: "Pending" },
      { that: "header location", endsWith: "/{{applicantId}}/" },
    ],
  },
  {
    name: "Wait",
    request: { method: "GET", url: "/api/v1/hr/applicants/{{applicantId}}/" },
    poll: {
      until: [{ that: "$.status", equals: "Complete" }],
      failIf: [{ that: "$.report_status", oneOf: ["ERROR", "CANCELLED"] }],
      intervalMs: 1000,
      maxAttempts: 5,
    },
    assert: [{ that: "$.id", equals: "{{applicantId}}" }],
  },
  {
    name: "List",
    request: { method: "GET", url: "{{location}}", query: { page_size: "{{pageSize}}" } },
    assert: [
      { that: "$.results[?@.status == 'Complete'].id", equals: "{{applicantId}}" },
      { that: "$.count", equals: 1 },
      { that: "status", equals: "2xx" },
    ],
  },
];

describe("runCollection: a chained flow", () => {
  it("captures, polls until done and filters with JSONPath", async () => {
    const clock = new FakeClock();
    const transport = createTestTransport(applicantsApi());
    const events: RunEvent[] = [];
    // "List" reads the location header, a single applicant; point it at the list instead.
    const items = structuredClone(flow);
    (items[2] as { request: { url: string } }).request.url = "/api/v1/hr/applicants/";
    const result = await runCollection(
      collectionOf(items, { variables: { email: "jane@example.com", pageSize: 5 } }),
      {
        client: transport,
        now: clock.now,
        sleep: clock.sleep,
        onEvent: (event) => events.push(event),
      },
    );
    expect(result.items.map((item) => [item.name, item.status])).toEqual([
      ["Create", "passed"],
      ["Wait", "passed"],
      ["List", "passed"],
    ]);
    expect(result.items[1]?.attempts).toBe(3);
    expect(result.summary.requests).toBe(5);
    expect(result.summary).toMatchObject({ items: 3, passed: 3, failed: 0, errored: 0, skipped: 0 });
    expect(transport.sent[1]?.url).toBe("https://demo-api.certn.co/api/v1/hr/applicants/app-1/");
    expect(transport.sent[4]?.url).toBe("https://demo-api.certn.co/api/v1/hr/applicants/?page_size=5");
    expect(JSON.parse(transport.sent[0]?.body ?? "")).toEqual({ email: "jane@example.com" });
    // The poll waited its interval twice on the virtual clock.
    expect(clock.time - Date.UTC(2026, 10, 28, 10)).toBeGreaterThanOrEqual(2000);
    const pollEvents = events.filter((event) => event.type === "attempt" && event.name === "Wait");
    expect(pollEvents.map((event) => (event.type === "attempt" ? event.poll : undefined))).toEqual([
      { attempt: 1, maxAttempts: 5 },
      { attempt: 2, maxAttempts: 5 },
      { attempt: 3, maxAttempts: 5 },
    ]);
    expect(events[0]).toEqual({ type: "run-start", collection: "test collection", iterations: 1 });
    expect(events.at(-1)).toMatchObject({ type: "run-end", summary: result.summary });
    expect(events.filter((event) => event.type === "item-end")).toHaveLength(3);
  });

  it("fails a polled item at once when failIf matches, and names the condition", async () => {
    const clock = new FakeClock();
    const transport = createTestTransport(applicantsApi());
    const result = await runCollection(
      collectionOf(flow.slice(0, 2), { variables: { email: "bad@example.com" } }),
      {
        client: transport,
        now: clock.now,
        sleep: clock.sleep,
      },
    );
    const wait = result.items[1];
    expect(wait?.status).toBe("failed");
    expect(wait?.attempts).toBe(3);
    expect(wait?.assertions).toHaveLength(1);
    expect(wait?.assertions[0]).toMatchObject({
      that: "$.report_status",
      op: "oneOf",
      actual: "ERROR",
      passed: false,
    });
    expect(wait?.assertions[0]?.message).toMatch(/failIf .* matched on attempt 3/);
  });

  it("fails a polled item with the last response when maxAttempts is reached", async () => {
    const clock = new FakeClock();
    const transport = createTestTransport(applicantsApi());
    const items = structuredClone(flow.slice(0, 2));
    const wait = items[1] as { poll: { maxAttempts: number } };
    wait.poll.maxAttempts = 2;
    const result = await runCollection(collectionOf(items, { variables: { email: "jane@example.com" } }), {
      client: transport,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items[1]).toMatchObject({ status: "failed", attempts: 2, response: { status: 200 } });
    expect(result.items[1]?.assertions[0]).toMatchObject({
      actual: "Pending",
      expected: "Complete",
      passed: false,
    });
    expect(result.items[1]?.assertions[0]?.message).toMatch(/still unmet after 2 attempts/);
  });

  it("honours a Retry-After longer than the poll interval", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const transport = createTestTransport(() => {
      calls += 1;
      return json({ done: calls >= 2 }, 200, { "retry-after": "7" });
    });
    const start = clock.time;
    const result = await runCollection(
      collectionOf([
        {
          name: "poll",
          request: { method: "GET", url: "/x" },
          poll: { until: [{ that: "$.done", equals: true }], intervalMs: 10 },
        },
      ]),
      { client: transport, now: clock.now, sleep: clock.sleep },
    );
    expect(result.items[0]?.status).toBe("passed");
    expect(clock.time - start).toBeGreaterThanOrEqual(7000);
  });

  it("waits out a Retry-After over a minute between polls, and refuses one over a day", async () => {
    // Polls of a check last hours: a 90 s Retry-After on a 5-minute poll changes nothing, and a
    // 2-hour one is waited out; only a wait longer than a collection may set (24 h) is refused.
    const run = async (retryAfter: string) => {
      const clock = new FakeClock();
      let calls = 0;
      const transport = createTestTransport(() => {
        calls += 1;
        return json({ done: calls >= 2 }, 200, { "retry-after": retryAfter });
      });
      const start = clock.time;
      const result = await runCollection(
        collectionOf([
          {
            name: "poll",
            request: { method: "GET", url: "/x" },
            poll: { until: [{ that: "$.done", equals: true }], intervalMs: 300_000 },
          },
        ]),
        { client: transport, now: clock.now, sleep: clock.sleep },
      );
      return { item: result.items[0], waited: clock.time - start, calls };
    };
    const shorter = await run("90");
    expect(shorter.item?.status).toBe("passed");
    expect(shorter.waited).toBe(300_000);
    const longer = await run("7200");
    expect(longer.item?.status).toBe("passed");
    expect(longer.waited).toBe(7_200_000);
    const tooLong = await run(String(25 * 3600));
    expect(tooLong.item?.status).toBe("errored");
    expect(tooLong.item?.error?.code).toBe("CERTN_RATE_LIMITED");
    expect(tooLong.item?.error?.message).toContain("over the 24 h a poll waits at most");
    expect(tooLong.calls).toBe(1);
  });

  it("errors an item that uses an unknown variable, naming it, and sends nothing for it", async () => {
    const transport = createTestTransport(() => json({}));
    const result = await runCollection(
      collectionOf([{ name: "uses", request: { method: "GET", url: "/api/{{missingThing}}/" } }]),
      { client: transport },
    );
    expect(result.items[0]?.status).toBe("errored");
    expect(result.items[0]?.error?.code).toBe("CERTN_UNKNOWN_VARIABLE");
    expect(result.items[0]?.error?.message).toContain('"missingThing"');
    expect(transport.sent).toHaveLength(0);
  });

  it("applies the implicit status check only when no status assertion exists", async () => {
    const transport = createTestTransport((request) =>
      json({ detail: "nope" }, new URL(request.url).pathname === "/missing" ? 404 : 200),
    );
    const result = await runCollection(
      collectionOf([
        { name: "implicit", request: { method: "GET", url: "/missing" } },
        {
          name: "explicit",
          request: { method: "GET", url: "/missing" },
          assert: [{ that: "status", equals: 404 }],
        },
        { name: "fine", request: { method: "GET", url: "/ok" } },
      ]),
      { client: transport },
    );
    expect(result.items.map((item) => item.status)).toEqual(["failed", "passed", "passed"]);
    expect(result.items[0]?.assertions).toEqual([
      expect.objectContaining({ that: "status", op: "implicit-status", actual: 404, passed: false }),
    ]);
    expect(result.items[2]?.assertions).toEqual([]);
  });

  it("skips with skip and skipIf, and evaluates skipIf on variables", async () => {
    const transport = createTestTransport(() => json({}));
    const result = await runCollection(
      collectionOf([
        { name: "off", skip: true, request: { method: "GET", url: "/a" } },
        {
          name: "cond",
          skipIf: [{ that: "var mode", equals: "{{skipMode}}" }],
          request: { method: "GET", url: "/b" },
        },
        {
          name: "not",
          skipIf: [{ that: "var mode", equals: "other" }],
          request: { method: "GET", url: "/c" },
        },
      ]),
      { client: transport, variables: { mode: "dry", skipMode: "dry" } },
    );
    expect(result.items.map((item) => item.status)).toEqual(["skipped", "skipped", "passed"]);
    expect(transport.sent.map((request) => new URL(request.url).pathname)).toEqual(["/c"]);
  });

  it("keeps the variable's type for an exact template in JSON and honours precedence", async () => {
    const transport = createTestTransport(() => json({}));
    await runCollection(
      collectionOf(
        [
          {
            name: "types",
            request: {
              method: "POST",
              url: "/t",
              json: {
                size: "{{size}}",
                text: "n={{size}}",
                flag: "{{flag}}",
                who: "{{who}}",
                nested: ["{{row}}"],
              },
            },
          },
        ],
        { variables: { size: 5, flag: true, who: "collection", row: "collection" } },
      ),
      { client: transport, variables: { who: "run" }, data: [{ row: 42 }] },
    );
    expect(JSON.parse(transport.sent[0]?.body ?? "")).toEqual({
      size: 5,
      text: "n=5",
      flag: true,
      who: "run",
      nested: [42],
    });
  });

  it("reports a capture that selects nothing as a failed item, and errors a later use, naming both", async () => {
    const transport = createTestTransport(() => json({ other: 1 }));
    const result = await runCollection(
      collectionOf([
        { name: "cap", request: { method: "GET", url: "/a" }, capture: { id: "$.id" } },
        { name: "use", request: { method: "GET", url: "/b/{{id}}" } },
      ]),
      { client: transport },
    );
    expect(result.items[0]).toMatchObject({ status: "failed", error: { code: "CERTN_CAPTURE_FAILED" } });
    expect(result.items[0]?.error?.message).toContain('capture "id" from $.id selected nothing');
    // An unknown variable errors the item, whatever made it unknown (collection format,
    // Templates); the message says which item was to capture it.
    expect(result.items[1]).toMatchObject({
      status: "errored",
      error: {
        code: "CERTN_UNKNOWN_VARIABLE",
        message: 'unknown variable "id": "cap" was to capture it and did not (it failed)',
      },
      attempts: 0,
    });
    expect(result.items[1]?.skipReason).toBeUndefined();
    expect(result.summary).toMatchObject({ failed: 1, errored: 1, skipped: 0, requests: 1 });
    expect(transport.sent).toHaveLength(1);
  });

  it("fails every $ assertion with a clear message when the body is not JSON", async () => {
    const transport = createTestTransport(() => new Response("<html>oops</html>", { status: 200 }));
    const result = await runCollection(
      collectionOf([
        {
          name: "html",
          request: { method: "GET", url: "/a" },
          assert: [
            { that: "$.id", exists: true },
            { that: "body", contains: "oops" },
          ],
        },
      ]),
      { client: transport },
    );
    expect(result.items[0]?.status).toBe("failed");
    expect(result.items[0]?.error).toBeNull();
    expect(result.items[0]?.assertions[0]).toMatchObject({ passed: false });
    expect(result.items[0]?.assertions[0]?.message).toMatch(/not valid JSON/);
    expect(result.items[0]?.assertions[1]).toMatchObject({ passed: true });
  });

  it("survives an onEvent listener that throws", async () => {
    const transport = createTestTransport(() => json({}));
    const result = await runCollection(collectionOf([{ name: "a", request: { method: "GET", url: "/a" } }]), {
      client: transport,
      onEvent: () => {
        throw new Error("listener broke");
      },
    });
    expect(result.items[0]?.status).toBe("passed");
  });
});

describe("runCollection: items that need a capture an earlier item did not make", () => {
  /** Create an applicant (capturing its id), read it (capturing its status), then list by status. */
  const chain: Item[] = [
    {
      name: "Create applicant",
      request: { method: "POST", url: "/api/v1/hr/applicants/", json: { email: "{{email}}" } },
      capture: { applicantId: "$.id" },
    },
    {
      name: "Read applicant",
      request: { method: "GET", url: "/api/v1/hr/applicants/{{applicantId}}/" },
      capture: { applicantStatus: "$.status" },
    },
    {
      name: "List by status",
      request: { method: "GET", url: "/api/v1/hr/applicants/", query: { status: "{{applicantStatus}}" } },
    },
  ];

  it("errors every dependent of an errored item once, with the reason, and sends nothing for them", async () => {
    const transport = createTestTransport(() => {
      throw new TypeError("fetch failed");
    });
    const result = await runCollection(collectionOf(chain, { variables: { email: "a@example.com" } }), {
      client: transport,
    });
    expect(result.items.map((item) => [item.name, item.status, item.error?.code])).toEqual([
      ["Create applicant", "errored", "CERTN_NETWORK"],
      ["Read applicant", "errored", "CERTN_UNKNOWN_VARIABLE"],
      ["List by status", "errored", "CERTN_UNKNOWN_VARIABLE"],
    ]);
    // Each names its own missing variable and the item that was to capture it, once.
    expect(result.items.slice(1).map((item) => item.error?.message)).toEqual([
      'unknown variable "applicantId": "Create applicant" was to capture it and did not (it errored)',
      'unknown variable "applicantStatus": "Read applicant" was to capture it and did not (it errored)',
    ]);
    expect(result.items.slice(1).map((item) => [item.attempts, item.skipReason])).toEqual([
      [0, undefined],
      [0, undefined],
    ]);
    expect(transport.sent).toHaveLength(1);
    expect(result.summary).toMatchObject({ errored: 3, skipped: 0, requests: 1 });
  });

  it("keeps an undefined variable an error, even after a failed capture", async () => {
    const transport = createTestTransport(() => json({}));
    const result = await runCollection(
      collectionOf([
        { name: "cap", request: { method: "GET", url: "/a" }, capture: { id: "$.id" } },
        { name: "typo", request: { method: "GET", url: "/b/{{idd}}" } },
      ]),
      { client: transport },
    );
    expect(result.items[1]).toMatchObject({ status: "errored", error: { code: "CERTN_UNKNOWN_VARIABLE" } });
    expect(result.items[1]?.error?.message).toContain('"idd"');
  });

  it("treats each iteration on its own: a capture that worked in one iteration does not cover another", async () => {
    const transport = createTestTransport((request) => {
      const url = new URL(request.url);
      if (request.method === "POST") return json(url.search.includes("bad") ? {} : { id: "app-1" }, 201);
      return json({ id: "app-1", status: "Complete" });
    });
    const items = structuredClone(chain);
    (items[0] as { request: { url: string } }).request.url = "/api/v1/hr/applicants/?who={{who}}";
    const result = await runCollection(collectionOf(items, { variables: { email: "a@example.com" } }), {
      client: transport,
      data: [{ who: "good" }, { who: "bad" }],
    });
    expect(result.items.map((item) => [item.iteration, item.name, item.status])).toEqual([
      [0, "Create applicant", "passed"],
      [0, "Read applicant", "passed"],
      [0, "List by status", "passed"],
      [1, "Create applicant", "failed"],
      [1, "Read applicant", "errored"],
      [1, "List by status", "errored"],
    ]);
    expect(result.items[4]?.error).toEqual({
      code: "CERTN_UNKNOWN_VARIABLE",
      message: 'unknown variable "applicantId": "Create applicant" was to capture it and did not (it failed)',
    });
    // Iteration 1 sent its POST only: what iteration 0 captured covers none of its items.
    expect(transport.sent.map((sent) => sent.method)).toEqual(["POST", "GET", "GET", "POST"]);
  });

  it("a value captured later in the iteration, or set as a variable, is used as before", async () => {
    const transport = createTestTransport((request) =>
      json(new URL(request.url).pathname === "/first" ? {} : { id: "from-second" }),
    );
    const result = await runCollection(
      collectionOf([
        { name: "first", request: { method: "GET", url: "/first" }, capture: { id: "$.id", other: "$.x" } },
        { name: "second", request: { method: "GET", url: "/second" }, capture: { id: "$.id" } },
        { name: "use", request: { method: "GET", url: "/use/{{id}}/{{other}}" } },
      ]),
      { client: transport, variables: { other: "given" } },
    );
    expect(result.items.map((item) => item.status)).toEqual(["failed", "passed", "passed"]);
    expect(transport.sent[2]?.url).toBe("https://demo-api.certn.co/use/from-second/given");
  });

  it("an item that was sent and then needs the missing capture in an assertion stays errored", async () => {
    const transport = createTestTransport(() => json({ id: "x" }));
    const result = await runCollection(
      collectionOf([
        { name: "cap", request: { method: "GET", url: "/a" }, capture: { id: "$.missing" } },
        {
          name: "check",
          request: { method: "GET", url: "/b" },
          assert: [{ that: "$.id", equals: "{{id}}" }],
        },
      ]),
      { client: transport },
    );
    // Errored like an item that needs the variable before it is sent; it was sent once, and its
    // assertions are not reported as compared.
    expect(result.items[1]).toMatchObject({
      status: "errored",
      attempts: 1,
      error: {
        code: "CERTN_UNKNOWN_VARIABLE",
        message: 'unknown variable "id": "cap" was to capture it and did not (it failed)',
      },
    });
    expect(result.items[1]?.skipReason).toBeUndefined();
    expect(result.items[1]?.assertions).toEqual([]);
    expect(transport.sent).toHaveLength(2);
  });
});
