/**
 * Run inputs through the runner's one schema: the collection's own `options` checked with them
 * (a 400 at its JSON Pointer, not a 500), inputs nested too deeply (a 400, not a stack overflow),
 * data rows of plain values, and the inputs the Worker does not take over HTTP.
 */
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../../src/worker/body.ts";
import { CALLER_SECRET, captureConsoleForFile, createHarness, type ErrorShape, jsonOf } from "./harness.ts";

captureConsoleForFile([CALLER_SECRET]);

/** A one-item collection with the given `options`. */
function withOptions(options: Record<string, unknown>) {
  return {
    formatVersion: 1,
    name: "Options",
    options,
    items: [{ name: "users", request: { method: "GET", url: "/api/v1/users/" } }],
  };
}

describe("the collection's options with the run inputs", () => {
  it("refuses options.iterations × data rows over 10,000 at /collection/options/iterations (ad hoc)", async () => {
    const h = createHarness();
    const response = await h.call("/runs", {
      method: "POST",
      json: { collection: withOptions({ iterations: 6000 }), data: [{ a: 1 }, { a: 2 }], dryRun: true },
    });
    expect(response.status).toBe(400);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.error.code).toBe("INVALID_COLLECTION");
    expect(body.issues).toEqual([
      {
        path: "/collection/options/iterations",
        message: "iterations × data rows is 12000; at most 10000 iterations are allowed",
      },
    ]);
    expect(h.upstream).toEqual([]);
  });

  it("points into a saved collection at /options/iterations", async () => {
    const h = createHarness();
    const id = `opts-${crypto.randomUUID().slice(0, 8)}`;
    const put = await h.call(`/collections/${id}`, {
      method: "PUT",
      json: withOptions({ iterations: 5001 }),
    });
    expect(put.status).toBe(201);
    const response = await h.call(`/collections/${id}/runs`, {
      method: "POST",
      json: { data: [{ a: 1 }, { a: 2 }] },
    });
    expect(response.status).toBe(400);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.issues?.map((issue) => issue.path)).toEqual(["/options/iterations"]);
    expect(h.upstream).toEqual([]);
  });

  it("lets the run's own iterations override the collection's", async () => {
    const h = createHarness();
    const response = await h.call("/runs", {
      method: "POST",
      json: {
        collection: withOptions({ iterations: 6000 }),
        data: [{ a: 1 }, { a: 2 }],
        iterations: 2,
        dryRun: true,
      },
    });
    expect(response.status).toBe(200);
    expect((await jsonOf<{ items: unknown[] }>(response)).items).toHaveLength(4);
  });
});

describe("nesting", () => {
  it("refuses a variable nested deeper than 100 levels with a 400 at its pointer", async () => {
    const h = createHarness();
    const depth = Math.floor((MAX_BODY_BYTES - 100) / 2);
    const body = `{"dryRun":true,"variables":{"deep":${"[".repeat(depth)}${"]".repeat(depth)}}}`;
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    const answer = await jsonOf<ErrorShape>(response);
    expect(answer.error.code).toBe("INVALID_INPUT");
    expect(answer.issues).toEqual([
      {
        path: "/variables/deep",
        message: "variables values must be JSON data: it nests deeper than 100 levels",
      },
    ]);
  });

  it("refuses deep nesting in an unknown field and in an ad-hoc collection without failing", async () => {
    const h = createHarness();
    const depth = 150_000;
    const deep = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const unknown = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      body: `{"extra":${deep}}`,
      headers: { "content-type": "application/json" },
    });
    expect(unknown.status).toBe(400);
    expect((await jsonOf<ErrorShape>(unknown)).issues?.[0]?.path).toBe("/extra");
    const collection = await h.call("/runs", {
      method: "POST",
      body: `{"collection":${deep}}`,
      headers: { "content-type": "application/json" },
    });
    expect(collection.status).toBe(400);
    expect((await jsonOf<ErrorShape>(collection)).error.code).toBe("INVALID_COLLECTION");
  });

  it("takes data rows of strings, numbers and booleans only", async () => {
    const h = createHarness();
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: { dryRun: true, data: [{ ok: "yes", n: 1, b: false }, { nested: { no: 1 } }, { list: [1] }] },
    });
    expect(response.status).toBe(400);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.issues?.map((issue) => issue.path)).toEqual(["/data/1/nested", "/data/2/list"]);
  });
});

describe("inputs the Worker does not take over HTTP", () => {
  it("refuses allowOrders, timeoutMs, delayMs, deadlineMs and rateLimit as unknown fields", async () => {
    const h = createHarness();
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: { allowOrders: true, timeoutMs: 5, delayMs: 5, deadlineMs: 5, rateLimit: false },
    });
    expect(response.status).toBe(400);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.issues?.map((issue) => issue.path).sort()).toEqual(
      ["/allowOrders", "/deadlineMs", "/delayMs", "/rateLimit", "/timeoutMs"].sort(),
    );
    for (const issue of body.issues ?? []) expect(issue.message).toContain("unknown field");
    expect(h.upstream).toEqual([]);
  });

  it("refuses concurrency over 6 and names the limit", async () => {
    const h = createHarness();
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: { concurrency: 7 },
    });
    expect(response.status).toBe(400);
    expect((await jsonOf<ErrorShape>(response)).issues).toEqual([
      { path: "/concurrency", message: "concurrency must be a whole number from 1 to 6 (got 7)" },
    ]);
  });
});
