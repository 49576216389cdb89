/**
 * Every route of the Worker against the simulator: health, saved collections (bundled read-only,
 * stored in KV), saved and ad-hoc runs in JSON, NDJSON and JUnit, and the refusals before a run.
 */
import { describe, expect, it } from "vitest";
import { readJsonBody } from "../../../src/worker/body.ts";
import { BUNDLED_COLLECTIONS } from "../../../src/worker/bundled-collections.ts";
import type { IntervalTimers } from "../../../src/worker/run-execution.ts";
import {
  CALLER_SECRET,
  callerToken,
  captureConsoleForFile,
  createHarness,
  type ErrorShape,
  expectNoLeak,
  jsonOf,
  SMOKE_ITEMS,
  type SummaryShape,
  unique,
} from "./harness.ts";

const leaks: string[] = [CALLER_SECRET];
const capture = captureConsoleForFile(leaks);

/** A small valid collection. */
function listUsers(name = "List users", url = "/api/v1/users/") {
  return {
    formatVersion: 1,
    name,
    items: [{ name: "users", request: { method: "GET", url }, assert: [{ that: "status", equals: 200 }] }],
  };
}

describe("GET /health", () => {
  it("answers { ok: true } without auth and without touching Certn", async () => {
    const h = createHarness();
    const response = await h.call("/health", { auth: false });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(h.upstream).toEqual([]);
  });
});

describe("collections", () => {
  const h = createHarness();

  it("lists the bundled collections with their summary", async () => {
    const response = await h.call("/collections");
    expect(response.status).toBe(200);
    const list = await jsonOf<{ id: string; name: string; items: number; source: string }[]>(response);
    const smoke = list.find((entry) => entry.id === "certn-smoke");
    expect(smoke).toMatchObject({ name: "Certn smoke test", items: SMOKE_ITEMS, source: "bundled" });
    for (const id of Object.keys(BUNDLED_COLLECTIONS)) expect(list.map((entry) => entry.id)).toContain(id);
  });

  it("returns one collection, and 404 for an unknown or malformed id", async () => {
    const response = await h.call("/collections/certn-smoke");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-collection-source")).toBe("bundled");
    expect(await response.json()).toEqual(BUNDLED_COLLECTIONS["certn-smoke"]);
    for (const id of ["absent-collection", "Not-Valid", "-dash", "a".repeat(65)]) {
      const missing = await h.call(`/collections/${id}`);
      expect(missing.status, id).toBe(404);
      expect((await jsonOf<ErrorShape>(missing)).error.code).toBe("NOT_FOUND");
    }
  });

  it("refuses to change or delete a bundled collection (409)", async () => {
    const put = await h.call("/collections/certn-smoke", { method: "PUT", json: listUsers() });
    expect(put.status).toBe(409);
    expect((await jsonOf<ErrorShape>(put)).error.code).toBe("READ_ONLY");
    const del = await h.call("/collections/certn-smoke", { method: "DELETE" });
    expect(del.status).toBe(409);
  });

  it("stores (201), replaces (200), lists, reads, runs and deletes (204) a collection", async () => {
    const id = unique("stored");
    const created = await h.call(`/collections/${id}`, { method: "PUT", json: listUsers("First") });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/collections/${id}`);
    expect(await created.json()).toEqual({
      id,
      name: "First",
      description: null,
      items: 1,
      source: "stored",
    });

    const replaced = await h.call(`/collections/${id}`, { method: "PUT", json: listUsers("Second") });
    expect(replaced.status).toBe(200);

    const list = await jsonOf<{ id: string; name: string; source: string }[]>(await h.call("/collections"));
    expect(list).toContainEqual({ id, name: "Second", description: null, items: 1, source: "stored" });

    const read = await h.call(`/collections/${id}`);
    expect(read.headers.get("x-collection-source")).toBe("stored");
    expect(await read.json()).toEqual(listUsers("Second"));

    const run = await h.call(`/collections/${id}/runs`, { method: "POST" });
    expect(run.status).toBe(200);
    expect((await jsonOf<{ collection: string; summary: SummaryShape }>(run)).summary.passed).toBe(1);

    expect((await h.call(`/collections/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await h.call(`/collections/${id}`, { method: "DELETE" })).status).toBe(404);
    expect((await h.call(`/collections/${id}`)).status).toBe(404);
    expect((await h.call(`/collections/${id}/runs`, { method: "POST" })).status).toBe(404);
  });

  it("refuses an invalid collection with 400 and JSON Pointer issues", async () => {
    const id = unique("invalid");
    const response = await h.call(`/collections/${id}`, {
      method: "PUT",
      json: { formatVersion: 1, name: "bad", items: [{ name: "x", request: { method: "FETCH", url: "/" } }] },
    });
    expect(response.status).toBe(400);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.error.code).toBe("INVALID_COLLECTION");
    expect(body.issues?.some((issue) => issue.path === "/items/0/request/method")).toBe(true);
    expect((await h.call(`/collections/${id}`)).status).toBe(404);
  });

  it("refuses ids outside [a-z0-9][a-z0-9._-]{0,63} with 400", async () => {
    for (const id of ["Upper", "_under", "a".repeat(65), "sp%20ace"]) {
      const response = await h.call(`/collections/${id}`, { method: "PUT", json: listUsers() });
      expect(response.status, id).toBe(400);
      expect((await jsonOf<ErrorShape>(response)).error.code).toBe("INVALID_ID");
    }
    const longest = `a${"b".repeat(63)}`;
    expect((await h.call(`/collections/${longest}`, { method: "PUT", json: listUsers() })).status).toBe(201);
    await h.call(`/collections/${longest}`, { method: "DELETE" });
  });

  it("requires Content-Type: application/json on writes (415)", async () => {
    const id = unique("typed");
    const body = JSON.stringify(listUsers());
    const none = await h.call(`/collections/${id}`, { method: "PUT", body });
    expect(none.status).toBe(415);
    const text = await h.call(`/collections/${id}`, {
      method: "PUT",
      body,
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect((await jsonOf<ErrorShape>(text)).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const adhoc = await h.call("/runs", {
      method: "POST",
      body: JSON.stringify({ collection: listUsers() }),
    });
    expect(adhoc.status).toBe(415);
    const charset = await h.call(`/collections/${id}`, {
      method: "PUT",
      body,
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(charset.status).toBe(201);
  });

  it("reads curl's default form type as JSON with a bearer token, never without one", async () => {
    // `curl -H "Authorization: Bearer ..." -d '{}'` sends application/x-www-form-urlencoded.
    const curlStyle = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      body: '{"dryRun": true}',
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(curlStyle.status).toBe(200);
    expect((await jsonOf<{ summary: { items: number } }>(curlStyle)).summary.items).toBeGreaterThan(0);
    // What a cross-site form can send: the same type with no Authorization header.
    const form = new Request("https://worker.test/runs", {
      method: "POST",
      body: '{"collection": "certn-smoke"}',
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    await expect(readJsonBody(form)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
    const basic = new Request("https://worker.test/runs", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic dXNlcjpwYXNz" },
    });
    await expect(readJsonBody(basic)).rejects.toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it("answers 405 with Allow for other methods, and a JSON 404 for unknown routes", async () => {
    const post = await h.call("/collections", { method: "POST", json: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    // Whatever the bindings (this app has no D1): a method a route does not take is 405, before
    // authentication and before any binding is needed.
    for (const [path, method, allow] of [
      ["/runs", "DELETE", "GET, HEAD, POST"],
      ["/runs/some-run", "PUT", "GET, HEAD"],
      ["/runs/some-run/events", "POST", "GET, HEAD"],
      ["/runs/some-run/cancel", "GET", "POST"],
      ["/collections/certn-smoke/runs", "GET", "POST"],
      ["/webhooks/certn", "GET", "POST"],
      ["/webhooks/certncentric", "PUT", "GET, HEAD, POST"],
    ] as const) {
      const wrong = await h.call(path, { method, auth: false });
      expect(wrong.status, `${method} ${path}`).toBe(405);
      expect(wrong.headers.get("allow"), `${method} ${path}`).toBe(allow);
    }
    const unknown = await h.call("/nope");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { code: "NOT_FOUND", message: "no such route" } });
  });
});

describe("runs", () => {
  it("runs a bundled collection and returns the JSON result", async () => {
    const h = createHarness();
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST", json: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("x-run-id")).toMatch(/^[0-9a-f-]{36}$/);
    const result = await jsonOf<{ collection: string; summary: SummaryShape; items: { status: string }[] }>(
      response,
    );
    expect(result.collection).toBe("Certn smoke test");
    expect(result.summary).toMatchObject({
      items: SMOKE_ITEMS,
      passed: SMOKE_ITEMS,
      failed: 0,
      errored: 0,
      requests: SMOKE_ITEMS,
    });
    expect(h.sim.tokenRequests).toBe(1);
  });

  it("logs the run with its id and counts, and nothing else about it", async () => {
    const h = createHarness();
    const response = await h.call("/collections/certn-smoke/runs?debug=query-value", { method: "POST" });
    const runId = response.headers.get("x-run-id");
    await response.text();
    const lines = capture.lines.filter((line) => runId !== null && line.includes(runId));
    const finished = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === "run finished");
    expect(finished).toMatchObject({
      runId,
      collection: "certn-smoke",
      items: SMOKE_ITEMS,
      passed: SMOKE_ITEMS,
      requests: SMOKE_ITEMS,
    });
    expect(capture.lines.join("\n")).not.toContain("query-value");
  });

  it("runs an ad-hoc collection with variables and data rows", async () => {
    const h = createHarness();
    const collection = {
      formatVersion: 1,
      name: "Ad hoc",
      items: [
        {
          name: "page",
          request: { method: "GET", url: "/api/v1/users/", query: { page_size: "{{size}}" } },
          assert: [
            { that: "status", equals: 200 },
            { that: "$.results", length: 1 },
          ],
        },
      ],
    };
    const response = await h.call("/runs", {
      method: "POST",
      json: { collection, data: [{ size: 1 }, { size: 1 }], iterations: 2, concurrency: 2 },
    });
    expect(response.status).toBe(200);
    const result = await jsonOf<{ summary: SummaryShape }>(response);
    expect(result.summary).toMatchObject({ items: 4, passed: 4, requests: 4 });
  });

  it("refuses an ad-hoc body without a collection, or with an invalid one, pointing at /collection", async () => {
    const h = createHarness();
    const missing = await h.call("/runs", { method: "POST", json: { iterations: 1 } });
    expect(missing.status).toBe(400);
    expect((await jsonOf<ErrorShape>(missing)).issues).toEqual([
      { path: "/collection", message: "required: the collection to run" },
    ]);
    const invalid = await h.call("/runs", { method: "POST", json: { collection: { formatVersion: 2 } } });
    expect(invalid.status).toBe(400);
    const body = await jsonOf<ErrorShape>(invalid);
    expect(body.error.code).toBe("INVALID_COLLECTION");
    expect(body.issues?.every((issue) => issue.path.startsWith("/collection"))).toBe(true);
    expect(h.upstream).toEqual([]);
  });

  it("refuses egress to another origin: the item is errored and nothing is sent there", async () => {
    const h = createHarness();
    const urls = [
      "https://evil.test/api/v1/users/",
      "https://demo-api.certn.co@evil.test/api/v1/users/",
      "https://demo-api.certn.co.evil.test/api/v1/users/",
      "http://demo-api.certn.co/api/v1/users/",
      "https://demo-api.certn.co:8443/api/v1/users/",
    ];
    const collection = {
      formatVersion: 1,
      name: "Egress",
      items: urls.map((url, index) => ({ name: `item ${index}`, request: { method: "GET", url } })),
    };
    const response = await h.call("/runs", { method: "POST", json: { collection } });
    expect(response.status).toBe(200);
    const result = await jsonOf<{ items: { status: string; error: { code: string } | null }[] }>(response);
    expect(result.items).toHaveLength(urls.length);
    for (const item of result.items) {
      expect(item.status).toBe("errored");
      expect(item.error?.code).toBe("CERTN_EGRESS_REFUSED");
    }
    // Only the token request reached the (simulated) network, on the base URL's origin.
    expect(h.upstream.every((url) => url.startsWith("https://demo-api.certn.co/token/"))).toBe(true);
  });

  it("answers 502 CERTN_CREDENTIALS_REFUSED when Certn refuses the credentials, before any API call", async () => {
    const wrong = `wrong-secret-${crypto.randomUUID()}`;
    leaks.push(wrong);
    const h = createHarness({ env: { CERTN_CLIENT_SECRET: wrong } });
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe("CERTN_CREDENTIALS_REFUSED");
    expectNoLeak(text, [wrong, h.clientSecret]);
    expect(h.upstream.every((url) => url.endsWith("/token/"))).toBe(true);
    expect(h.upstream.length).toBeGreaterThan(0);
  });

  it("answers 502 CERTN_UNAVAILABLE when the token endpoint keeps failing", async () => {
    const h = createHarness();
    h.sim.inject("POST /token/", [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }]);
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(response.status).toBe(502);
    expect((await jsonOf<ErrorShape>(response)).error.code).toBe("CERTN_UNAVAILABLE");
    expect(h.upstream.some((url) => url.includes("/api/"))).toBe(false);
  });

  it("answers 503 without Certn credentials, but still allows a dry run that sends nothing", async () => {
    const h = createHarness({ env: { CERTN_CLIENT_ID: undefined, CERTN_CLIENT_SECRET: undefined } });
    const refused = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(refused.status).toBe(503);
    expect((await jsonOf<ErrorShape>(refused)).error.code).toBe("CERTN_NOT_CONFIGURED");
    const dry = await h.call("/collections/certn-smoke/runs", { method: "POST", json: { dryRun: true } });
    expect(dry.status).toBe(200);
    const result = await jsonOf<{ dryRun?: boolean; summary: SummaryShape }>(dry);
    expect(result.summary.requests).toBe(0);
    expect(h.upstream).toEqual([]);
  });

  it("keeps secret values out of the result", async () => {
    const h = createHarness();
    const secretValue = `s3cr3t-${crypto.randomUUID()}`;
    leaks.push(secretValue);
    const collection = {
      formatVersion: 1,
      name: "Secrets",
      items: [
        {
          name: "search",
          request: { method: "GET", url: "/api/v1/users/", query: { search: "{{needle}}" } },
          assert: [
            { that: "status", equals: 200 },
            { that: "var needle", equals: "{{needle}}" },
          ],
        },
      ],
    };
    for (const accept of ["application/json", "application/x-ndjson", "application/xml"]) {
      const response = await h.call("/runs", {
        method: "POST",
        headers: { accept },
        json: { collection, secrets: { needle: secretValue }, includeBodies: true },
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(secretValue);
      expect(text).not.toContain(encodeURIComponent(secretValue));
    }
  });
});

describe("output formats", () => {
  it("streams NDJSON events with heartbeats and ends with the result", async () => {
    let heartbeat: (() => void) | undefined;
    let cleared = false;
    const timers: IntervalTimers = {
      setInterval: (callback) => {
        heartbeat = callback;
        return 42;
      },
      clearInterval: (handle) => {
        cleared = handle === 42;
      },
    };
    const h = createHarness({ app: { timers } });
    const response = await h.app.fetch(
      new Request("https://worker.test/collections/certn-smoke/runs", {
        method: "POST",
        headers: { accept: "application/x-ndjson", authorization: `Bearer ${await callerToken()}` },
      }),
      h.env,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const reader = response.body?.getReader();
    if (reader === undefined || heartbeat === undefined) throw new Error("no stream or no heartbeat timer");
    // The timer fires twice while the run is going (the response was returned before it ended).
    heartbeat();
    heartbeat();
    let text = "";
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const lines = text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; result?: unknown });
    const types = lines.map((line) => line.type);
    expect(types.filter((type) => type === "heartbeat")).toHaveLength(2);
    const events = types.filter((type) => type !== "heartbeat");
    expect(events[0]).toBe("run-start");
    expect(events.filter((type) => type === "item-end")).toHaveLength(SMOKE_ITEMS);
    expect(events).toContain("attempt");
    expect(events.at(-2)).toBe("run-end");
    expect(events.at(-1)).toBe("result");
    const result = lines.at(-1)?.result as { summary: SummaryShape };
    expect(result.summary.passed).toBe(SMOKE_ITEMS);
    expect(cleared).toBe(true);
  });

  it("returns JUnit XML for Accept: application/xml", async () => {
    const h = createHarness();
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      headers: { accept: "application/xml" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/xml");
    const xml = await response.text();
    expect(xml.startsWith("<?xml")).toBe(true);
    expect(xml.match(/<testcase\b/g)).toHaveLength(SMOKE_ITEMS);
    expect(xml).not.toContain("<failure");
  });

  it("prefers the highest q, and falls back to JSON", async () => {
    const h = createHarness();
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      headers: { accept: "application/xml;q=0.5, application/json;q=0.9" },
    });
    expect(response.headers.get("content-type")).toContain("application/json");
    const any = await h.call("/collections/certn-smoke/runs", { method: "POST", headers: { accept: "*/*" } });
    expect(any.headers.get("content-type")).toContain("application/json");
  });
});
