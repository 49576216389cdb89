/**
 * The size of a run's result: items × iterations and the worst-case result bytes are capped for
 * every run, dry or not (a 422 with the arithmetic, before anything is sent), and the byte
 * estimate is an upper bound of what a run really answers.
 */
import { describe, expect, it } from "vitest";
import type { Collection } from "../../../src/collection/model.ts";
import { estimateWorkerRun, MAX_ITEM_RESULTS } from "../../../src/worker/budget.ts";
import { BUNDLED_COLLECTIONS } from "../../../src/worker/bundled-collections.ts";
import { CALLER_SECRET, captureConsoleForFile, createHarness, type ErrorShape, jsonOf } from "./harness.ts";

captureConsoleForFile([CALLER_SECRET]);

/** `count` items reading the users list, each asserting its status unless `asserts` is false. */
function items(count: number, asserts = true): Collection {
  return {
    formatVersion: 1,
    name: `${count} items`,
    items: Array.from({ length: count }, (_, index) => ({
      name: `item ${index + 1}`,
      request: { method: "GET" as const, url: "/api/v1/users/" },
      ...(asserts ? { assert: [{ that: "status", equals: 200 }] } : {}),
    })),
  };
}

describe("item results", () => {
  it("refuses a dry run of 10 items × 10,000 iterations with 422 and the arithmetic", async () => {
    const h = createHarness();
    const started = Date.now();
    const response = await h.call("/runs", {
      method: "POST",
      json: { collection: items(10), iterations: 10_000, dryRun: true },
    });
    expect(response.status).toBe(422);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.error.code).toBe("RUN_TOO_LARGE");
    expect(body.error.message).toContain(
      `10 items × 10000 iterations = 100000 item results, over the limit of ${MAX_ITEM_RESULTS}`,
    );
    // Refused up front: no 22 MB result was built first.
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(h.upstream).toEqual([]);
  });

  it("applies to real runs too, before the budget check", async () => {
    const h = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "1000000" } });
    const response = await h.call("/runs", {
      method: "POST",
      json: { collection: items(2), iterations: 5001 },
    });
    expect(response.status).toBe(422);
    expect((await jsonOf<ErrorShape>(response)).error.code).toBe("RUN_TOO_LARGE");
    expect(h.upstream).toEqual([]);
  });

  it("allows exactly the limit, and the answer stays within the byte estimate", async () => {
    const h = createHarness();
    // No assertions: the count, not the bytes, is what binds here.
    const collection = items(10, false);
    const inputs = { iterations: MAX_ITEM_RESULTS / 10, dryRun: true };
    const response = await h.call("/runs", { method: "POST", json: { collection, ...inputs } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect((JSON.parse(text) as { items: unknown[] }).items).toHaveLength(MAX_ITEM_RESULTS);
    const estimate = estimateWorkerRun(collection, inputs, {
      tokenCredentials: true,
      storedCollection: false,
    });
    expect(new TextEncoder().encode(text).byteLength).toBeLessThanOrEqual(estimate.resultBytes);
    const over = await h.call("/runs", {
      method: "POST",
      json: { collection, iterations: MAX_ITEM_RESULTS / 10 + 1, dryRun: true },
    });
    expect(over.status).toBe(422);
  });
});

describe("result bytes", () => {
  it("refuses a result that could outgrow the isolate with includeBodies, and shows the arithmetic", async () => {
    const h = createHarness();
    const response = await h.call("/runs", {
      method: "POST",
      json: { collection: items(3), iterations: 40, includeBodies: true, dryRun: true },
    });
    expect(response.status).toBe(422);
    const message = (await jsonOf<ErrorShape>(response)).error.message;
    expect(message).toMatch(
      /result may reach \d+ KB per iteration × 40 iterations = \d+ KB, over the limit of 16384 KB/,
    );
    expect(message).toContain("includeBodies");
    const without = await h.call("/runs", {
      method: "POST",
      json: { collection: items(3), iterations: 40, dryRun: true },
    });
    expect(without.status).toBe(200);
  });

  it("estimates at least what a real run with bodies answers", async () => {
    const h = createHarness();
    const collection = BUNDLED_COLLECTIONS["general-resources"] as Collection;
    const response = await h.call("/collections/general-resources/runs", {
      method: "POST",
      json: { includeBodies: true },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const estimate = estimateWorkerRun(
      collection,
      { includeBodies: true },
      { tokenCredentials: true, storedCollection: false },
    );
    expect(new TextEncoder().encode(text).byteLength).toBeLessThanOrEqual(estimate.resultBytes);
  });
});
