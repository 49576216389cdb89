/**
 * A durable run that needs more Workflow steps than one instance may take is refused at its start
 * (422 `RUN_TOO_LARGE`, nothing recorded, nothing sent) instead of erroring part-way after
 * thousands of requests: workerd's local engine does not enforce the limit, so only the refusal
 * can be seen here. The same rows fanned out are accepted: each child is an instance of one row.
 */
import { describe, expect, it } from "vitest";
import { type ErrorShape, jsonOf } from "../workers/worker/harness.ts";
import { countRows, durableHarness, settled, startDurable, tokenFor } from "./helpers.ts";

const oneGet = {
  formatVersion: 1,
  name: "one",
  items: [{ name: "users", request: { method: "GET", url: "/api/v1/users/" } }],
};

const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ i }));

describe("durable runs and the Workflow step limit", () => {
  it("refuses 10,000 rows × 1 request (over 10,000 steps) with 422 and records nothing", async () => {
    const h = durableHarness();
    const owner = `steps-${crypto.randomUUID()}`;
    const response = await h.call("/runs", {
      method: "POST",
      auth: await tokenFor(owner),
      json: { collection: oneGet, data: rows(10_000) },
      headers: { prefer: "respond-async" },
    });
    expect(response.status).toBe(422);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.error.code).toBe("RUN_TOO_LARGE");
    expect(body.error.message).toContain("this durable run may take 10003 Workflow steps");
    expect(body.error.message).toContain('"fanOut": true');
    expect(await countRows("runs", "owner = ?", owner)).toBe(0);
    expect(h.upstream).toEqual([]);
  });

  it("accepts the same rows fanned out, one child record a row", async () => {
    const h = durableHarness();
    const auth = await tokenFor(`steps-${crypto.randomUUID()}`);
    const parentId = await startDurable(h, "/runs", auth, {
      collection: oneGet,
      data: rows(10_000),
      fanOut: true,
    });
    // The parent inserts its children in batches: some are there before it is cancelled.
    const until = Date.now() + 30_000;
    while ((await countRows("runs", "parent_run_id = ?", parentId)) === 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await countRows("runs", "parent_run_id = ?", parentId)).toBeGreaterThan(0);
    expect((await h.call(`/runs/${parentId}/cancel`, { method: "POST", auth })).status).toBe(202);
    expect(await settled(parentId, 60_000)).toBe("complete");
  }, 90_000);
});
