/**
 * `keepItems`: a long run's result keeps the failures (capped, the rest counted) while its summary
 * counts every item, and `item-end` events still carry every result as it is made.
 */
import { describe, expect, it } from "vitest";
import type { ItemResult } from "../../../src/results/result.ts";
import { KEEP_ALL_ITEMS_UP_TO, MAX_KEPT_FAILURES, runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport } from "./helpers.ts";

/** Answers 200, or 500 for every `failEvery`th request (1-based). */
function transport(failEvery: number) {
  return createTestTransport((_request, { index }) =>
    Response.json({ ok: true }, { status: (index + 1) % failEvery === 0 ? 500 : 200 }),
  );
}

const collection = collectionOf([
  {
    name: "check",
    request: { method: "GET", url: "/api/v1/teams/" },
    assert: [{ that: "status", equals: 200 }],
  },
]);

describe("keepItems", () => {
  it('"failures" keeps only failed items, counts the rest, and the summary counts all', async () => {
    const ended: ItemResult[] = [];
    const result = await runCollection(collection, {
      client: transport(10),
      iterations: 50,
      rateLimit: false,
      keepItems: "failures",
      onEvent: (event) => {
        if (event.type === "item-end") ended.push(event.item);
      },
    });
    expect(result.summary).toMatchObject({ items: 50, passed: 45, failed: 5, requests: 50 });
    expect(result.items).toHaveLength(5);
    expect(result.items.every((item) => item.status === "failed")).toBe(true);
    expect(result.items.map((item) => item.iteration)).toEqual([9, 19, 29, 39, 49]);
    expect(result.itemsOmitted).toBe(45);
    expect(ended).toHaveLength(50);
  });

  it("caps the failures kept, and counts those past the cap as omitted", async () => {
    const iterations = MAX_KEPT_FAILURES + 20;
    const result = await runCollection(collection, {
      client: transport(1),
      iterations,
      rateLimit: false,
      keepItems: "failures",
    });
    expect(result.summary.failed).toBe(iterations);
    expect(result.items).toHaveLength(MAX_KEPT_FAILURES);
    expect(result.itemsOmitted).toBe(20);
  });

  it("defaults to every item for a small run and to the failures above the threshold", async () => {
    const small = await runCollection(collection, {
      client: transport(10),
      iterations: 20,
      rateLimit: false,
    });
    expect(small.items).toHaveLength(20);
    expect(small.itemsOmitted).toBeUndefined();
    const large = await runCollection(collection, {
      client: transport(100),
      iterations: KEEP_ALL_ITEMS_UP_TO + 100,
      rateLimit: false,
      concurrency: 6,
    });
    expect(large.summary.items).toBe(KEEP_ALL_ITEMS_UP_TO + 100);
    expect(large.items).toHaveLength(11);
    expect(large.itemsOmitted).toBe(KEEP_ALL_ITEMS_UP_TO + 100 - 11);
  });

  it('"all" keeps every item of a large run', async () => {
    const result = await runCollection(collection, {
      client: transport(1000),
      iterations: KEEP_ALL_ITEMS_UP_TO + 1,
      rateLimit: false,
      keepItems: "all",
    });
    expect(result.items).toHaveLength(KEEP_ALL_ITEMS_UP_TO + 1);
    expect(result.items.map((item) => item.iteration)).toEqual(
      Array.from({ length: KEEP_ALL_ITEMS_UP_TO + 1 }, (_, index) => index),
    );
  });

  it("refuses another value, naming the option", async () => {
    await expect(
      runCollection(collection, { client: transport(10), keepItems: "some" as never }),
    ).rejects.toThrow(/\/keepItems: must be "all" or "failures"/);
  });
});
