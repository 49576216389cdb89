/**
 * Data-row fan-out: a durable run with `fanOut: true` runs each data row as a child durable run,
 * at most `concurrency` at once, against the simulator; its record counts the children; a failing
 * row fails it; cancel stops the rest; bad inputs are 400s naming the field; the parent's state
 * stays the same size however many rows it has.
 */
import { introspectWorkflowInstance } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { FAN_OUT_BATCH } from "../../src/worker/fan-out.ts";
import { claimNextChild, insertChildren } from "../../src/worker/store/children.ts";
import { insertRun } from "../../src/worker/store/runs.ts";
import { type Harness, jsonOf } from "../workers/worker/harness.ts";
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

/** A CertnCentric collection of one read whose path comes from the row: `{{path}}` "" is found. */
const readCollection = {
  formatVersion: 1,
  name: "read a group path",
  items: [
    {
      name: "Read",
      request: { method: "GET", url: "/api/public/groups/{{path}}" },
      assert: [{ that: "status", equals: 200 }],
    },
  ],
};

interface ChildRow {
  run_id: string;
  owner: string;
  status: string;
  row_index: number;
  started_at: number | null;
  updated_at: number;
}

async function childrenOf(parentRunId: string): Promise<ChildRow[]> {
  const { results } = await db()
    .prepare(
      "SELECT run_id, owner, status, row_index, started_at, updated_at FROM runs WHERE parent_run_id = ? ORDER BY row_index",
    )
    .bind(parentRunId)
    .all<ChildRow>();
  return results;
}

/**
 * The most children running at one moment, from their records: each ran from its claim
 * (`started_at`) to its final write (`updated_at`, which a final record never changes again).
 */
function maxRunningAtOnce(children: readonly ChildRow[]): number {
  const edges: Array<[number, number]> = [];
  for (const child of children) {
    if (child.started_at === null) continue;
    edges.push([child.started_at, 1], [child.updated_at, -1]);
  }
  // At one instant an end comes before a start: the next child is claimed after the last one ended.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, change] of edges) {
    running += change;
    most = Math.max(most, running);
  }
  return most;
}

/** Waits until every child's Workflow instance has ended (so no test leaves work behind). */
async function childrenSettled(parentRunId: string): Promise<void> {
  for (const child of await childrenOf(parentRunId)) {
    if (child.started_at !== null) await settled(child.run_id);
  }
}

interface ParentView {
  status: string;
  fanOut?: { rows: number };
  progress: { items: number; done: number; passed: number; failed: number; errored: number; skipped: number };
  children?: Record<string, number>;
  result?: {
    fanOut: { rows: number; concurrency: number; children: Record<string, number> };
    failingRuns: string[];
  };
}

async function fanOut(
  h: Harness,
  auth: string,
  rows: unknown[],
  extra: Record<string, unknown> = {},
): Promise<string> {
  h.env.RUNS = liveRuns();
  return startDurable(h, "/runs", auth, { collection: readCollection, data: rows, fanOut: true, ...extra });
}

describe("fan-out of data rows", () => {
  it("runs 5 rows as child runs, at most 2 at once, and passes with their counts", async () => {
    const h = durableHarness();
    const auth = await tokenFor("fern");
    const rows = Array.from({ length: 5 }, () => ({ path: "" }));
    const parentId = await fanOut(h, auth, rows, { concurrency: 2 });
    expect(await settled(parentId, 60_000)).toBe("complete");
    await childrenSettled(parentId);

    const view = await jsonOf<ParentView>(await h.call(`/runs/${parentId}`, { auth }));
    expect(view.status).toBe("passed");
    expect(view.fanOut).toEqual({ rows: 5 });
    expect(view.progress).toEqual({ items: 5, done: 5, passed: 5, failed: 0, errored: 0, skipped: 0 });
    expect(view.children).toMatchObject({ passed: 5, queued: 0, running: 0, failed: 0 });
    expect(view.result).toEqual({
      fanOut: { rows: 5, concurrency: 2, children: expect.objectContaining({ passed: 5 }) },
      failingRuns: [],
    });

    const children = await childrenOf(parentId);
    expect(children.map((child) => child.row_index)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(children.map((child) => child.owner))).toEqual(new Set(["fern"]));
    expect(children.every((child) => child.status === "passed")).toBe(true);
    const most = maxRunningAtOnce(children);
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
    // Each row sent its one request to the simulator.
    expect(h.sim.requests["GET /api/public/groups/"]).toBe(5);

    // A child is an ordinary durable run record that names its parent and row.
    const first = children[0];
    const childView = await jsonOf<Record<string, unknown>>(await h.call(`/runs/${first?.run_id}`, { auth }));
    expect(childView).toMatchObject({ mode: "durable", status: "passed", parentRunId: parentId, row: 0 });
  }, 90_000);

  it("lists a parent's children with cursor paging; the caller's run list leaves them out", async () => {
    const h = durableHarness();
    const auth = await tokenFor("gale");
    const parentId = await fanOut(h, auth, [{ path: "" }, { path: "" }, { path: "" }], { concurrency: 3 });
    expect(await settled(parentId, 60_000)).toBe("complete");
    await childrenSettled(parentId);

    const seen: string[] = [];
    let cursor = "";
    for (let page = 0; page < 5; page++) {
      const response = await h.call(`/runs?parent=${parentId}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        auth,
      });
      expect(response.status).toBe(200);
      const body = await jsonOf<{
        runs: Array<{ runId: string; parentRunId: string }>;
        cursor: string | null;
      }>(response);
      for (const run of body.runs) expect(run.parentRunId).toBe(parentId);
      seen.push(...body.runs.map((run) => run.runId));
      if (body.cursor === null) break;
      cursor = body.cursor;
    }
    expect(seen.sort()).toEqual((await childrenOf(parentId)).map((child) => child.run_id).sort());
    expect(seen).toHaveLength(3);

    const mine = await jsonOf<{ runs: Array<{ runId: string }> }>(await h.call("/runs?limit=200", { auth }));
    expect(mine.runs.map((run) => run.runId)).toEqual([parentId]);
    // Another caller's parent does not exist for them, nor do its children.
    const other = await h.call(`/runs?parent=${parentId}`, { auth: await tokenFor("hal") });
    expect(other.status).toBe(404);
  }, 90_000);

  it("fails when a row fails, with the counts and the failing child's run id", async () => {
    const h = durableHarness();
    const auth = await tokenFor("ivy");
    const parentId = await fanOut(h, auth, [{ path: "" }, { path: "no-such-group/" }, { path: "" }], {
      concurrency: 2,
    });
    expect(await settled(parentId, 60_000)).toBe("complete");
    await childrenSettled(parentId);
    const view = await jsonOf<ParentView>(await h.call(`/runs/${parentId}`, { auth }));
    const children = await childrenOf(parentId);
    expect(view.status).toBe("failed");
    expect(view.progress).toMatchObject({ items: 3, done: 3, passed: 2, failed: 1 });
    expect(view.result?.fanOut.children).toMatchObject({ passed: 2, failed: 1, errored: 0 });
    expect(view.result?.failingRuns).toEqual([children[1]?.run_id]);
    expect(children[1]?.status).toBe("failed");
  }, 90_000);

  it("cancel stops the children not started and signals the running one", async () => {
    const h = durableHarness();
    const auth = await tokenFor("jay");
    h.env.RUNS = liveRuns();
    const rows = Array.from({ length: 4 }, () => ({ caseId: `case-${crypto.randomUUID()}` }));
    const parentId = await startDurable(h, "/runs", auth, {
      collection: WAIT_THEN_READ,
      data: rows,
      fanOut: true,
      concurrency: 1,
    });
    // The first child waits for its webhook; the others are queued behind it.
    const until = Date.now() + 20_000;
    let waiting: ChildRow | undefined;
    while (waiting === undefined && Date.now() < until) {
      waiting = (await childrenOf(parentId)).find((child) => child.status === "waiting");
      if (waiting === undefined) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(waiting?.row_index).toBe(0);
    const response = await h.call(`/runs/${parentId}/cancel`, { method: "POST", auth });
    expect(response.status).toBe(202);
    expect(await settled(parentId, 30_000)).toBe("complete");
    await childrenSettled(parentId);

    const children = await childrenOf(parentId);
    expect(children.map((child) => child.status)).toEqual([
      "cancelled",
      "cancelled",
      "cancelled",
      "cancelled",
    ]);
    // Only the first ever started; nothing after the wait was sent.
    expect(children.filter((child) => child.started_at !== null).map((child) => child.row_index)).toEqual([
      0,
    ]);
    expect(h.sim.requests["GET /api/public/groups/"] ?? 0).toBe(0);
    const view = await untilStatus(h, parentId, auth, "cancelled");
    expect(view.status).toBe("cancelled");
    expect(view.progress).toMatchObject({ items: 4, done: 4, skipped: 4 });
  }, 90_000);
});

describe("fan-out replays", () => {
  it("a restarted parent (every step runs again) creates no child twice and sends nothing again", async () => {
    const h = durableHarness();
    const auth = await tokenFor("nia");
    const parentId = await fanOut(h, auth, [{ path: "" }, { path: "" }, { path: "" }], { concurrency: 2 });
    expect(await settled(parentId, 60_000)).toBe("complete");
    await childrenSettled(parentId);
    const before = await childrenOf(parentId);
    expect(h.sim.requests["GET /api/public/groups/"]).toBe(3);

    await (await liveRuns().get(parentId)).restart();
    const instance = await introspectWorkflowInstance(bindings.RUNS as Workflow, parentId);
    try {
      // The batch step ran again: every row had its child, so it inserted none.
      expect(await instance.waitForStepResult({ name: "fan-out batch 0" })).toEqual({
        inserted: 0,
        started: 0,
      });
      await instance.waitForStatus("complete");
    } finally {
      await instance.dispose();
    }
    const after = await childrenOf(parentId);
    expect(after.map((child) => child.run_id)).toEqual(before.map((child) => child.run_id));
    expect(h.sim.requests["GET /api/public/groups/"]).toBe(3);
    expect((await runView(h, parentId, auth)).status).toBe("passed");
  }, 90_000);
});

describe("fan-out repairs", () => {
  it("a child claimed by a claimer that stopped before creating it is started by the parent's poll", async () => {
    const h = durableHarness();
    const auth = await tokenFor("pia");
    h.env.RUNS = liveRuns();
    const rows = Array.from({ length: 3 }, () => ({ caseId: `case-${crypto.randomUUID()}` }));
    const parentId = await startDurable(h, "/runs", auth, {
      collection: WAIT_THEN_READ,
      data: rows,
      fanOut: true,
      concurrency: 2,
    });
    // Rows 0 and 1 wait for their webhooks; row 2 is queued behind them.
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      const waiting = (await childrenOf(parentId)).filter((child) => child.status === "waiting");
      if (waiting.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // A claimer that stopped between its claim and the create: row 2 claimed, no instance made.
    const orphan = await db()
      .prepare(
        "UPDATE runs SET started_at = ? WHERE parent_run_id = ? AND row_index = 2 AND started_at IS NULL RETURNING run_id",
      )
      .bind(Date.now(), parentId)
      .first<{ run_id: string }>();
    expect(orphan).not.toBeNull();
    // Every row's event (row 2's is stored until its wait starts); rows 0 and 1 end, and as row 2
    // still looks claimed, neither starts it nor tells the parent: only the parent's poll can.
    for (const row of rows) {
      const delivered = await deliverCentric(h, {
        id: crypto.randomUUID(),
        event_type: "CASE_STATUS_CHANGED",
        object_type: "CASE",
        object_id: row.caseId,
        created: new Date().toISOString(),
      });
      expect(delivered.status).toBe(200);
    }
    expect(await settled(parentId, 60_000)).toBe("complete");
    await childrenSettled(parentId);
    const children = await childrenOf(parentId);
    expect(children.map((child) => child.status)).toEqual(["passed", "passed", "passed"]);
    expect((await runView(h, parentId, auth)).status).toBe("passed");
  }, 90_000);
});

describe("fan-out inputs", () => {
  const call = async (
    json: unknown,
    durable: boolean,
    path = "/runs",
  ): Promise<{ status: number; issues: Array<{ path: string; message: string }> }> => {
    const h = durableHarness();
    const response = await h.call(path, {
      method: "POST",
      auth: await tokenFor("kit"),
      json,
      headers: durable ? { prefer: "respond-async" } : {},
    });
    return { status: response.status, issues: (await jsonOf<{ issues?: [] }>(response)).issues ?? [] };
  };

  it("refuses fanOut on an immediate run, naming /fanOut and the header to add", async () => {
    const answer = await call({ collection: readCollection, data: [{ path: "" }], fanOut: true }, false);
    expect(answer.status).toBe(400);
    expect(answer.issues).toEqual([
      { path: "/fanOut", message: expect.stringContaining("Prefer: respond-async") },
    ]);
    // A saved collection's run route says the same.
    const saved = await call({ data: [{}], fanOut: true }, false, "/collections/certn-smoke/runs");
    expect(saved.status).toBe(400);
    expect(saved.issues).toEqual([
      { path: "/fanOut", message: expect.stringContaining("Prefer: respond-async") },
    ]);
  });

  it("refuses fanOut without data rows", async () => {
    for (const data of [undefined, []]) {
      const answer = await call(
        { collection: readCollection, fanOut: true, ...(data ? { data } : {}) },
        true,
      );
      expect(answer.status).toBe(400);
      expect(answer.issues).toEqual([{ path: "/fanOut", message: expect.stringContaining("needs data") }]);
    }
  });

  it("fanOut: false is an ordinary durable run of every row, with no children", async () => {
    const h = durableHarness();
    const auth = await tokenFor("oto");
    const runId = await fanOut(h, auth, [{ path: "" }, { path: "" }], { fanOut: false });
    expect(await settled(runId)).toBe("complete");
    const view = await jsonOf<ParentView>(await h.call(`/runs/${runId}`, { auth }));
    expect(view.status).toBe("passed");
    expect(view.fanOut).toBeUndefined();
    expect(view.progress).toMatchObject({ items: 2, done: 2, passed: 2 });
    expect(await childrenOf(runId)).toEqual([]);
  });

  it("refuses 10,001 rows at /data and a fanOut that is not a boolean", async () => {
    const rows = Array.from({ length: 10_001 }, () => ({}));
    const many = await call({ collection: readCollection, data: rows, fanOut: true }, true);
    expect(many.status).toBe(400);
    expect(many.issues).toEqual([{ path: "/data", message: expect.stringContaining("at most 10000 rows") }]);
    const wrong = await call({ collection: readCollection, data: [{}], fanOut: "yes" }, true);
    expect(wrong.status).toBe(400);
    expect(wrong.issues.map((issue) => issue.path)).toEqual(["/fanOut"]);
  });
});

describe("fan-out children in D1", () => {
  /** A parent record and `rows` queued children, made as the parent's batch step makes them. */
  async function parentWith(rows: number, request = "{}"): Promise<string> {
    const parentRunId = crypto.randomUUID();
    const now = Date.now();
    await insertRun(db(), {
      runId: parentRunId,
      owner: "lee",
      collection: "ad-hoc",
      mode: "durable",
      status: "running",
      fanOutRows: rows,
      now,
    });
    const batch = Array.from({ length: rows }, (_, row) => ({
      runId: crypto.randomUUID(),
      row,
      request,
    }));
    expect(await insertChildren(db(), { parentRunId, owner: "lee", collection: "ad-hoc", now }, batch)).toBe(
      rows,
    );
    return parentRunId;
  }

  it("a replayed batch step creates no child twice, even when its inserts are cut by size", async () => {
    // Each request is 30 KB (large shared inputs), so the 100 inserts go to D1 in several batches.
    const request = JSON.stringify({ collection: "x".repeat(30_000) });
    const parentRunId = await parentWith(FAN_OUT_BATCH, request);
    // The replay makes new run ids for the same rows, as a re-run step would.
    const again = Array.from({ length: FAN_OUT_BATCH }, (_, row) => ({
      runId: crypto.randomUUID(),
      row,
      request,
    }));
    const parent = { parentRunId, owner: "lee", collection: "ad-hoc", now: Date.now() };
    expect(await insertChildren(db(), parent, again)).toBe(0);
    expect(await childrenOf(parentRunId)).toHaveLength(FAN_OUT_BATCH);
  });

  it("claims at most `concurrency` children, lowest rows first, and none once the parent is cancelled", async () => {
    const parentRunId = await parentWith(4);
    const first = await claimNextChild(db(), parentRunId, 2, Date.now());
    const second = await claimNextChild(db(), parentRunId, 2, Date.now());
    expect(await claimNextChild(db(), parentRunId, 2, Date.now())).toBeUndefined();
    const children = await childrenOf(parentRunId);
    expect([first, second]).toEqual([children[0]?.run_id, children[1]?.run_id]);
    // One ends: its place is free again.
    await db().prepare("UPDATE runs SET status = 'passed' WHERE run_id = ?").bind(first).run();
    expect(await claimNextChild(db(), parentRunId, 2, Date.now())).toBe(children[2]?.run_id);
    await db().prepare("UPDATE runs SET cancel_requested = 1 WHERE run_id = ?").bind(parentRunId).run();
    await db().prepare("UPDATE runs SET status = 'passed' WHERE run_id = ?").bind(second).run();
    expect(await claimNextChild(db(), parentRunId, 2, Date.now())).toBeUndefined();
  });
});

describe("fan-out at scale", () => {
  it("200 rows: the parent's step outputs and record stay the same size as with 5", async () => {
    // CertnCentric allows 60 requests a minute: the simulator's clock moves a minute per request,
    // so pacing (the rate limiter's work, not the fan-out's) does not stretch the test.
    const h = durableHarness({ advancePerRequestMs: 61_000 });
    const auth = await tokenFor("max");
    const sizes = async (rows: number): Promise<{ steps: number[]; record: number }> => {
      const parentId = await fanOut(
        h,
        auth,
        Array.from({ length: rows }, () => ({ path: "" })),
        { concurrency: 6 },
      );
      const engine = await settled(parentId, 120_000);
      const children = await childrenOf(parentId);
      const tally: Record<string, number> = {};
      for (const child of children) tally[child.status] = (tally[child.status] ?? 0) + 1;
      expect(engine, `children by status: ${JSON.stringify(tally)}`).toBe("complete");
      expect(maxRunningAtOnce(children)).toBeLessThanOrEqual(6);
      await childrenSettled(parentId);
      const instance = await introspectWorkflowInstance(bindings.RUNS as Workflow, parentId);
      const steps: number[] = [];
      try {
        for (let batch = 0; batch * FAN_OUT_BATCH < rows; batch++) {
          steps.push(
            JSON.stringify(await instance.waitForStepResult({ name: `fan-out batch ${batch}` })).length,
          );
        }
        steps.push(JSON.stringify(await instance.waitForStepResult({ name: "fan-out round 0" })).length);
        steps.push(JSON.stringify(await instance.waitForStepResult({ name: "fan-out finish" })).length);
      } finally {
        await instance.dispose();
      }
      const row = await db()
        .prepare("SELECT progress, result, waiting_for FROM runs WHERE run_id = ?")
        .bind(parentId)
        .first<{ progress: string; result: string; waiting_for: string | null }>();
      const view = await runView(h, parentId, auth);
      expect(view.status).toBe("passed");
      expect(view.progress).toMatchObject({ items: rows, done: rows, passed: rows });
      return {
        steps,
        record: (row?.progress.length ?? 0) + (row?.result.length ?? 0) + (row?.waiting_for?.length ?? 0),
      };
    };
    const small = await sizes(5);
    const large = await sizes(200);
    expect(h.sim.requests["GET /api/public/groups/"]).toBe(205);
    // Counts only: a few digits more, never a row or a child's result.
    for (const size of [...small.steps, ...large.steps]) expect(size).toBeLessThan(64);
    expect(large.record).toBeLessThan(small.record + 16);
    expect(large.record).toBeLessThan(512);
  }, 240_000);
});
