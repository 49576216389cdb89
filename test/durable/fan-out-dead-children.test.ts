/**
 * A fan-out child whose Workflow instance ends after the child began, without writing its end (an
 * operator's terminate here): the parent's rounds find it, mark it errored and end, with or
 * without a cancel (real app, D1 and CollectionRun Workflow of workerd, webhooks signed).
 */
import { describe, expect, it } from "vitest";
import { CHILD_QUIET_MS } from "../../src/worker/fan-out.ts";
import type { Harness } from "../workers/worker/harness.ts";
import {
  bindings,
  deliverCentric,
  durableHarness,
  liveRuns,
  runView,
  settled,
  startDurable,
  tokenFor,
  untilStatus,
  WAIT_THEN_READ,
} from "./helpers.ts";

const db = (): D1Database => bindings.DB as D1Database;

/** The parent's children, by row. */
async function childrenOf(parentId: string): Promise<Array<{ run_id: string; status: string }>> {
  const { results } = await db()
    .prepare("SELECT run_id, status FROM runs WHERE parent_run_id = ? ORDER BY row_index")
    .bind(parentId)
    .all<{ run_id: string; status: string }>();
  return results;
}

/** Starts a fan-out of two waiting rows at concurrency 2; the parent and its children once both wait. */
async function twoWaitingChildren(
  h: Harness,
  auth: string,
): Promise<{ parentId: string; rows: Array<{ caseId: string }>; children: string[] }> {
  h.env.RUNS = liveRuns();
  const rows = [{ caseId: `case-${crypto.randomUUID()}` }, { caseId: `case-${crypto.randomUUID()}` }];
  const parentId = await startDurable(h, "/runs", auth, {
    collection: WAIT_THEN_READ,
    data: rows,
    fanOut: true,
    concurrency: 2,
  });
  const until = Date.now() + 20_000;
  let children = await childrenOf(parentId);
  while (children.filter((child) => child.status === "waiting").length < 2 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    children = await childrenOf(parentId);
  }
  expect(children.map((child) => child.status)).toEqual(["waiting", "waiting"]);
  return { parentId, rows, children: children.map((child) => child.run_id) };
}

describe("a fan-out child whose instance ended after it began", () => {
  it("is marked errored by the parent's next round, and the parent ends", async () => {
    const h = durableHarness();
    const auth = await tokenFor("dead-child");
    const { parentId, rows, children } = await twoWaitingChildren(h, auth);
    const [dead = "", alive = ""] = children;
    await (await liveRuns().get(dead)).terminate();
    // The child has not written for longer than the parent waits before looking at its instance.
    await db()
      .prepare("UPDATE runs SET updated_at = updated_at - ? WHERE run_id = ?")
      .bind(CHILD_QUIET_MS + 60_000, dead)
      .run();
    const event = {
      id: crypto.randomUUID(),
      event_type: "CASE_STATUS_CHANGED",
      object_type: "CASE",
      object_id: rows[1]?.caseId,
      created: new Date().toISOString(),
    };
    expect((await deliverCentric(h, event)).status).toBe(200);
    expect(await settled(alive)).toBe("complete");

    expect(await settled(parentId, 60_000)).toBe("complete");
    expect((await childrenOf(parentId)).map((child) => child.status)).toEqual(["errored", "passed"]);
    const parent = await runView(h, parentId, auth);
    expect(parent.status).toBe("errored");
    expect(parent.progress).toMatchObject({ items: 2, done: 2, passed: 1, errored: 1 });
  }, 90_000);

  it("does not keep a cancelled parent from ending", async () => {
    const h = durableHarness();
    const auth = await tokenFor("dead-child-cancel");
    const { parentId, children } = await twoWaitingChildren(h, auth);
    const [dead = "", alive = ""] = children;
    await (await liveRuns().get(dead)).terminate();

    expect((await h.call(`/runs/${parentId}/cancel`, { method: "POST", auth })).status).toBe(202);
    expect(await settled(alive)).toBe("complete");
    expect(await settled(parentId, 60_000)).toBe("complete");
    expect((await childrenOf(parentId)).map((child) => child.status)).toEqual(["errored", "cancelled"]);
    expect((await untilStatus(h, parentId, auth, "cancelled")).status).toBe("cancelled");
  }, 90_000);
});
