/**
 * A fan-out stores its collection once: each child's request names the parent's record instead
 * of copying the collection (a 400 KB collection × 10,000 rows would be 4 GB of D1, kept), and
 * the child's Workflow reads it from there; each child's inputs stay sealed under its own run id.
 * A child record written whole, before children referred to their parent, still runs.
 */
import { describe, expect, it } from "vitest";
import { runSealer } from "../../src/worker/durable-seal.ts";
import { INPUTS_PURPOSE, type StoredRunRequest } from "../../src/worker/durable-start.ts";
import { insertChildren } from "../../src/worker/store/children.ts";
import { getRunRequest, insertRun } from "../../src/worker/store/runs.ts";
import { bindings, durableHarness, liveRuns, runView, settled, startDurable, tokenFor } from "./helpers.ts";

const db = (): D1Database => bindings.DB as D1Database;

/** A partner collection of one read with a 400 KB description. */
const bigCollection = {
  formatVersion: 1,
  name: "big",
  description: "x".repeat(400_000),
  items: [{ name: "users", request: { method: "GET", url: "/api/v1/users/" } }],
};

describe("fan-out children's requests", () => {
  it("refer to the parent's collection: D1 holds it once, not once per row", async () => {
    const h = durableHarness();
    const owner = `once-${crypto.randomUUID()}`;
    const auth = await tokenFor(owner);
    const rows = 60;
    const body = {
      collection: bigCollection,
      data: Array.from({ length: rows }, (_, i) => ({ i })),
      fanOut: true,
      dryRun: true,
      concurrency: 6,
    };
    const requestBytes = JSON.stringify(body).length;
    const parentId = await startDurable(h, "/runs", auth, body);
    expect(await settled(parentId, 120_000)).toBe("complete");
    expect((await runView(h, parentId, auth)).status).toBe("passed");

    const stored = await db()
      .prepare("SELECT COUNT(*) AS n, SUM(LENGTH(request)) AS bytes FROM runs WHERE parent_run_id = ?")
      .bind(parentId)
      .first<{ n: number; bytes: number }>();
    expect(stored?.n).toBe(rows);
    // Each child keeps its sealed inputs (a row and the shared inputs), about a kilobyte.
    expect(stored?.bytes ?? Number.POSITIVE_INFINITY).toBeLessThan(rows * 2_000);
    expect(stored?.bytes ?? Number.POSITIVE_INFINITY).toBeLessThan(requestBytes);

    const child = await db()
      .prepare("SELECT run_id, request FROM runs WHERE parent_run_id = ? AND row_index = 7")
      .bind(parentId)
      .first<{ run_id: string; request: string }>();
    const raw = JSON.parse(child?.request ?? "{}") as Record<string, unknown>;
    expect(raw.collection).toBeUndefined();
    expect(raw.collectionOf).toBe(parentId);
    // What the child's Workflow reads: the parent's collection in place, its own sealed row.
    const read = JSON.parse((await getRunRequest(db(), child?.run_id ?? "")) ?? "{}") as StoredRunRequest;
    expect(read.collection).toEqual(bigCollection);
    expect(read.parent).toEqual({ runId: parentId, concurrency: 6 });
    const sealer = await runSealer(
      {
        kind: "client-credentials",
        clientId: h.sim.credentials.clientId,
        clientSecret: h.sim.credentials.clientSecret,
      },
      child?.run_id ?? "",
    );
    const inputs = await sealer.open<{ data: unknown[] }>(INPUTS_PURPOSE, read.inputs);
    expect(inputs.data).toEqual([{ i: 7 }]);
  }, 180_000);

  it("a child record holding the whole collection (written before) still runs", async () => {
    const h = durableHarness();
    const collection = {
      formatVersion: 1,
      name: "one read",
      items: [
        {
          name: "users",
          request: { method: "GET", url: "/api/v1/users/" },
          assert: [{ that: "status", equals: 200 }],
        },
      ],
    };
    const owner = `whole-${crypto.randomUUID()}`;
    const parentRunId = crypto.randomUUID();
    const childId = crypto.randomUUID();
    const now = Date.now();
    await insertRun(db(), {
      runId: parentRunId,
      owner,
      collection: "ad-hoc",
      mode: "durable",
      status: "running",
      fanOutRows: 1,
      now,
    });
    const sealer = await runSealer(
      {
        kind: "client-credentials",
        clientId: h.sim.credentials.clientId,
        clientSecret: h.sim.credentials.clientSecret,
      },
      childId,
    );
    const request = {
      collection,
      collectionId: undefined,
      source: "ad-hoc",
      inputs: await sealer.seal(INPUTS_PURPOSE, { data: [{ row: 0 }] }),
      parent: { runId: parentRunId, concurrency: 1 },
    };
    await insertChildren(db(), { parentRunId, owner, collection: "ad-hoc", now }, [
      { runId: childId, row: 0, request: JSON.stringify(request) },
    ]);
    expect(await getRunRequest(db(), childId)).toBe(JSON.stringify(request));
    await liveRuns().create({ id: childId, params: { runId: childId } });
    expect(await settled(childId, 60_000)).toBe("complete");
    expect((await runView(h, childId, await tokenFor(owner))).status).toBe("passed");
    expect(h.upstream.filter((url) => url.endsWith("/api/v1/users/"))).toHaveLength(1);
  }, 90_000);

  it("a child naming a run without a request reads as no request", async () => {
    const childId = crypto.randomUUID();
    await insertRun(db(), {
      runId: childId,
      owner: "nobody",
      collection: "ad-hoc",
      mode: "durable",
      status: "queued",
      request: JSON.stringify({ collectionOf: crypto.randomUUID(), inputs: "sealed" }),
      now: Date.now(),
    });
    expect(await getRunRequest(db(), childId)).toBeUndefined();
  });
});
