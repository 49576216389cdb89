/**
 * A delivery's hand-off to the waiting runs, as Certn sees it: done before the answer, within
 * HANDOFF_BUDGET_MS, so a hand-off that fails is answered 503 and Certn (which retries only an
 * answer that is not 2xx) delivers it again; one still going past the budget is answered 200 and
 * finishes after the answer. A long wait looks at stored events again between the slices of its
 * `waitForEvent`, so an event whose hand-off failed after the answer still reaches it; and a
 * repeat offers the stored event to the open waits only while an earlier hand-off of it has not
 * completed, so a replayed delivery costs a read, not a scan of every open wait.
 */
import { introspectWorkflow } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { waitSliceMs } from "../../src/worker/durable-run.ts";
import { HANDOFF_BUDGET_MS } from "../../src/worker/routes/webhooks.ts";
import { jsonOf } from "../workers/worker/harness.ts";
import {
  bindings,
  CENTRIC_WEBHOOK_SECRET,
  countRows,
  type DurableHarness,
  deliverCentric,
  durableHarness,
  hmacHex,
  liveRuns,
  runView,
  settled,
  startDurable,
  tokenFor,
  untilStatus,
} from "./helpers.ts";

type Modifier = Parameters<Parameters<Awaited<ReturnType<typeof introspectWorkflow>>["modifyAll"]>[0]>[0];

/** A CertnCentric collection that waits (10 minutes at most) for an event about `{{caseId}}`. */
const WAIT_FOR_CASE = {
  formatVersion: 1,
  name: "wait for a case",
  items: [
    {
      name: "Case changed",
      wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 600_000 },
    },
  ],
};

/** The engine's names of the wait's steps (see src/worker/durable-run.ts). */
const FIRST_SLICE = "0/0 Case changed: wait event";
const SECOND_TAKE = "0/0 Case changed: wait take 2";

const caseEvent = (caseId: string) => ({
  id: crypto.randomUUID(),
  event_type: "CASE_STATUS_CHANGED",
  object_type: "CASE",
  object_id: caseId,
});

/** A Workflow binding whose `get` fails, as a transient platform error would. */
function failingRuns(): Workflow {
  const real = liveRuns();
  return {
    create: real.create.bind(real),
    createBatch: real.createBatch.bind(real),
    get: async () => {
      throw new Error("transient: Workflow binding unavailable");
    },
  } as Workflow;
}

/** Delivers `event` with the app's bindings but `runs` as the Workflow binding. */
function deliverWith(h: DurableHarness, runs: Workflow, event: unknown): Promise<Response> {
  return deliverCentric({ ...h, env: { ...h.env, RUNS: runs } }, event);
}

/** Runs `body` with every Workflow instance created meanwhile modified by `modify`. */
async function withModifiedRuns<T>(
  h: DurableHarness,
  modify: (m: Modifier) => Promise<void>,
  body: () => Promise<T>,
): Promise<T> {
  const introspector = await introspectWorkflow(bindings.RUNS as Workflow);
  try {
    await introspector.modifyAll(modify);
    // The introspector wraps the pool's binding: the app is given the wrapped one.
    h.env.RUNS = liveRuns();
    return await body();
  } finally {
    await introspector.dispose();
    h.env.RUNS = liveRuns();
  }
}

/**
 * The first slice of the wait ends at once, and the take step after it fails once, so the engine
 * tries it again 5 s later: the window a test delivers in, between two slices of one wait.
 */
async function betweenSlices(m: Modifier): Promise<void> {
  await m.forceEventTimeout({ name: FIRST_SLICE });
  await m.mockStepError({ name: SECOND_TAKE }, new Error("transient: D1 unavailable"), 1);
}

/** `db`, counting the rows its answers carry. */
function countingRows(inner: D1Database): { db: D1Database; rows: () => number } {
  let rows = 0;
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, key) {
        if (key === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        if (key === "all")
          return async () => {
            const answer = await target.all();
            rows += answer.results.length;
            return answer;
          };
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const db = new Proxy(inner, {
    get(target, key) {
      if (key === "prepare") return (query: string) => wrap(target.prepare(query));
      if (key === "batch")
        return async (statements: D1PreparedStatement[]) => {
          const answers = await target.batch(statements);
          for (const answer of answers) rows += answer.results.length;
          return answers;
        };
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, rows: () => rows };
}

describe("a delivery's hand-off", () => {
  it("is answered 503 when it fails, and Certn's repeat wakes the run", async () => {
    const h = durableHarness();
    const auth = await tokenFor("hal");
    const caseId = `case-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, { collection: WAIT_FOR_CASE, variables: { caseId } });
    expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");

    const delivered = caseEvent(caseId);
    const failed = await deliverWith(h, failingRuns(), delivered);
    // Certn retries an answer that is not 2xx; a 200 here would have been the event's last word.
    expect(failed.status).toBe(503);
    expect(failed.headers.get("retry-after")).toBe("60");
    expect(await jsonOf(failed)).toEqual({ received: true, duplicate: false, handedOff: false });
    // Stored, its claim and take given back, its hand-off still pending.
    expect(await countRows("webhook_events", "event_id = ? AND offer_pending = 1", delivered.id)).toBe(1);
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(0);
    expect(await countRows("waits", "run_id = ? AND claimed_event IS NULL", runId)).toBe(1);
    expect((await runView(h, runId, auth)).status).toBe("waiting");

    // Certn's repeat offers the stored event again, and then never more.
    const repeat = await deliverCentric(h, delivered);
    expect(repeat.status).toBe(200);
    expect(await jsonOf(repeat)).toEqual({ received: true, duplicate: true });
    expect(await countRows("webhook_events", "event_id = ? AND offer_pending = 0", delivered.id)).toBe(1);
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
    expect(await countRows("webhook_takes", "run_id = ? AND event_id = ?", runId, delivered.id)).toBe(1);
  });

  it("is answered 200 once past its budget, and finishes after the answer", async () => {
    const h = durableHarness();
    const auth = await tokenFor("hilde");
    const caseId = `case-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, { collection: WAIT_FOR_CASE, variables: { caseId } });
    expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
    // The Workflow binding answers late, past the budget.
    const real = liveRuns();
    const slow = {
      create: real.create.bind(real),
      createBatch: real.createBatch.bind(real),
      get: async (id: string) => {
        await new Promise((resolve) => setTimeout(resolve, HANDOFF_BUDGET_MS + 1_000));
        return real.get(id);
      },
    } as Workflow;
    const after: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (promise: Promise<unknown>) => after.push(promise),
      passThroughOnException: () => undefined,
      props: {},
    } as unknown as ExecutionContext;
    const body = JSON.stringify(caseEvent(caseId));
    const started = Date.now();
    const answer = await h.app.fetch(
      new Request("https://worker.test/webhooks/certncentric", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-signature": await hmacHex(CENTRIC_WEBHOOK_SECRET, body),
        },
        body,
      }),
      { ...h.env, RUNS: slow },
      ctx,
    );
    const answeredIn = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(answeredIn).toBeGreaterThanOrEqual(HANDOFF_BUDGET_MS - 100);
    expect(answeredIn).toBeLessThan(HANDOFF_BUDGET_MS + 900);
    expect((await runView(h, runId, auth)).status).toBe("waiting");
    await Promise.all(after);
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
  }, 30_000);
});

/** How many slices a wait of `timeoutMs` that gets no event takes. */
function slicesOf(timeoutMs: number): number {
  let slices = 0;
  for (let waited = 0; waited < timeoutMs; ) {
    slices += 1;
    waited += Math.min(waitSliceMs(slices), timeoutMs - waited);
  }
  return slices;
}

describe("a long wait", () => {
  it("is cut in slices of a minute doubling up to 6 hours: few steps, however long", () => {
    const minute = 60_000;
    expect([1, 2, 3, 9, 10, 40].map(waitSliceMs)).toEqual([
      minute,
      2 * minute,
      4 * minute,
      256 * minute,
      360 * minute,
      360 * minute,
    ]);
    expect(slicesOf(511 * minute)).toBe(9);
    expect(slicesOf(7 * 24 * 60 * minute)).toBe(36);
    // The longest wait a durable run allows (its 30-day deadline): two steps a slice.
    expect(slicesOf(30 * 24 * 60 * minute)).toBe(128);
  });

  it("takes a stored event whose hand-off failed at its next look, between two slices", async () => {
    const h = durableHarness();
    const auth = await tokenFor("ines");
    const caseId = `case-${crypto.randomUUID()}`;
    await withModifiedRuns(h, betweenSlices, async () => {
      const runId = await startDurable(h, "/runs", auth, {
        collection: WAIT_FOR_CASE,
        variables: { caseId },
      });
      expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
      // The hand-off fails and nobody delivers the event again: the run finds it stored.
      expect((await deliverWith(h, failingRuns(), caseEvent(caseId))).status).toBe(503);
      expect(await settled(runId, 25_000)).toBe("complete");
      const view = await runView(h, runId, auth);
      expect(view.result?.items[0]?.status).toBe("passed");
      expect(view.status).toBe("passed");
    });
  }, 40_000);

  it("gets an event handed to it between two slices in the next slice (the engine keeps it)", async () => {
    const h = durableHarness();
    const auth = await tokenFor("ivo");
    const caseId = `case-${crypto.randomUUID()}`;
    await withModifiedRuns(h, betweenSlices, async () => {
      const runId = await startDurable(h, "/runs", auth, {
        collection: WAIT_FOR_CASE,
        variables: { caseId },
      });
      expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
      // No waitForEvent is pending now: the receiver claims the wait and sends the event anyway.
      const delivered = caseEvent(caseId);
      expect(await jsonOf(await deliverCentric(h, delivered))).toEqual({ received: true, duplicate: false });
      expect(await countRows("waits", "run_id = ? AND claimed_event = ?", runId, delivered.id)).toBe(1);
      expect(await settled(runId, 25_000)).toBe("complete");
      expect((await runView(h, runId, auth)).status).toBe("passed");
      expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(1);
    });
  }, 40_000);
});

describe("a repeated delivery", () => {
  it("reads no open wait once the event's hand-off completed", async () => {
    const h = durableHarness();
    const db = bindings.DB as D1Database;
    const now = Date.now();
    const tag = crypto.randomUUID();
    // 2,000 open waits of other runs, none matching.
    const insert = db.prepare(
      "INSERT INTO waits (run_id, name, source, match, event_type, created_at, expires_at) VALUES (?, 'wait', 'certncentric', ?, 'ev', ?, ?)",
    );
    for (let start = 0; start < 2_000; start += 100) {
      await db.batch(
        Array.from({ length: 100 }, (_, index) =>
          insert.bind(
            `${tag}-${String(start + index).padStart(5, "0")}`,
            JSON.stringify({ "$.object_id": `other-${start + index}` }),
            now,
            now + 3_600_000,
          ),
        ),
      );
    }
    const delivered = caseEvent(`case-${tag}`);
    expect(await jsonOf(await deliverCentric(h, delivered))).toMatchObject({ duplicate: false });
    const counting = countingRows(db);
    const replayed = { ...h, env: { ...h.env, DB: counting.db } };
    for (let index = 0; index < 10; index += 1) {
      expect(await jsonOf(await deliverCentric(replayed, delivered))).toEqual({
        received: true,
        duplicate: true,
      });
    }
    // Ten repeats, each a read of the event's row: not ten scans of 2,000 waits.
    expect(counting.rows()).toBeLessThan(50);
    await db.prepare("DELETE FROM waits WHERE run_id LIKE ?").bind(`${tag}-%`).run();
  });
});
