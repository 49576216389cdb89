/**
 * Run records: `GET /runs` (the caller's runs, newest first, cursor paging), `GET /runs/:runId`,
 * `GET /runs/:runId/events` (NDJSON, `?follow=1` streams until the run ends) and
 * `POST /runs/:runId/cancel` (durable runs only). A run is visible to the caller whose JWT `sub`
 * started it and to callers with `runs:admin`; to anyone else it does not exist (404). Reading
 * needs `runs:saved` or `runs:adhoc` (whoever may start runs may read their own).
 */
import { Hono, type MiddlewareHandler } from "hono";
import { authenticateCaller, type Caller, callerOwner } from "../caller-auth.ts";
import type { DurableRunParams } from "../env.ts";
import { invalidInput, WorkerError } from "../errors.ts";
import { wakeParent } from "../fan-out.ts";
import { errorKind } from "../log.ts";
import { reconciledOnRead } from "../run-reconcile.ts";
import { loadStoredResult } from "../run-records.ts";
import { activeChildren, cancelUnstartedChildren, childCounts, fanOutProgress } from "../store/children.ts";
import { listEvents } from "../store/run-events.ts";
import {
  FINAL_STATUSES,
  getRun,
  listRuns,
  type RunHeader,
  type RunRecord,
  type RunStatus,
  requestCancel,
} from "../store/runs.ts";
import { openWaitsOfRun } from "../store/waits.ts";
import { type AppContext, type AppEnv, afterAnswer, dbOf, json, type RouteDeps } from "./context.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";
import type { WebhookEventPayload } from "./webhooks.ts";

/** Default and largest page of `GET /runs`. */
export const DEFAULT_RUNS_PAGE = 50;
export const MAX_RUNS_PAGE = 200;

/** How often a followed event stream looks for new events, and its longest silence. */
export const FOLLOW_POLL_MS = 1_000;
export const FOLLOW_HEARTBEAT_MS = 10_000;

const STATUSES: ReadonlySet<string> = new Set([
  "queued",
  "running",
  "waiting",
  "passed",
  "failed",
  "errored",
  "cancelled",
]);

/** Middleware: a verified caller who may start runs (either run scope), or 401 / 403. */
function runReader(deps: RouteDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = await authenticateCaller(c.req.raw.headers, c.env, deps.callerAuth);
    if (!["runs:saved", "runs:adhoc", "runs:admin"].some((scope) => caller.scopes.has(scope))) {
      throw new WorkerError(
        "FORBIDDEN",
        'this route needs the "runs:saved", "runs:adhoc" or "runs:admin" scope',
      );
    }
    c.set("caller", caller);
    await next();
  };
}

const recordsDb = (c: AppContext): D1Database => dbOf(c, "run records");

function isAdmin(caller: Caller): boolean {
  return caller.scopes.has("runs:admin");
}

function noSuchRun(): WorkerError {
  return new WorkerError("NOT_FOUND", "no run has this id");
}

/** What every view of a run shows, in a list or alone. */
function runHeader(run: RunHeader): Record<string, unknown> {
  return {
    runId: run.runId,
    collection: run.collection,
    mode: run.mode,
    status: run.status,
    createdAt: new Date(run.createdAt).toISOString(),
    updatedAt: new Date(run.updatedAt).toISOString(),
    ...fanOutFields(run),
  };
}

/** What a run record shows of a fan-out: a child's parent and row, a parent's rows. */
function fanOutFields(run: RunHeader): Record<string, unknown> {
  if (run.parent !== undefined) return { parentRunId: run.parent.runId, row: run.parent.row };
  if (run.fanOutRows !== undefined) return { fanOut: { rows: run.fanOutRows } };
  return {};
}

function notCancellable(): WorkerError {
  return new WorkerError(
    "NOT_CANCELLABLE",
    "an immediate run stops when its caller disconnects; only durable runs can be cancelled",
  );
}

/** The run (`runId`, else the route's), if the caller may see it; else 404 (another caller's run does not exist for them). */
async function visibleRun(c: AppContext, runId = c.req.param("runId") ?? ""): Promise<RunRecord> {
  const caller = c.get("caller");
  const run = await getRun(recordsDb(c), runId);
  if (run === undefined) throw noSuchRun();
  if (!isAdmin(caller) && run.owner !== callerOwner(caller)) throw noSuchRun();
  return run;
}

/** The cursor of a page's last run: of `createdAt:runId`. */
const runCursor = (run: RunHeader): string => encodeCursor(`${run.createdAt}:${run.runId}`);

function readRunCursor(text: string): { createdAt: number; runId: string } | undefined {
  const colon = text.indexOf(":");
  const createdAt = Number(text.slice(0, colon));
  const runId = text.slice(colon + 1);
  return colon < 0 || !Number.isSafeInteger(createdAt) || runId === "" ? undefined : { createdAt, runId };
}

function readLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RUNS_PAGE;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS_PAGE) {
    throw invalidInput("INVALID_INPUT", `limit must be an integer from 1 to ${MAX_RUNS_PAGE}`, [
      { path: "/limit", message: `use 1 to ${MAX_RUNS_PAGE}` },
    ]);
  }
  return limit;
}

/** The routes of run records, to mount at `/` (before the run-starting routes). */
export function runRecordRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/runs", runReader(deps), async (c) => {
    const caller = c.get("caller");
    const status = c.req.query("status");
    if (status !== undefined && !STATUSES.has(status)) {
      throw invalidInput("INVALID_INPUT", "status is not a run status", [
        { path: "/status", message: [...STATUSES].join(", ") },
      ]);
    }
    const limit = readLimit(c.req.query("limit"));
    const cursor = c.req.query("cursor");
    const collection = c.req.query("collection");
    // A fan-out's children: the parent must be one the caller may see (else 404, as for the parent).
    const parent = c.req.query("parent");
    if (parent !== undefined && parent !== "") await visibleRun(c, parent);
    const rows = await listRuns(recordsDb(c), {
      owner: isAdmin(caller) ? undefined : callerOwner(caller),
      limit,
      ...(parent === undefined || parent === "" ? {} : { parent }),
      ...(collection === undefined || collection === "" ? {} : { collection }),
      ...(status === undefined ? {} : { status: status as RunStatus }),
      ...(cursor === undefined || cursor === "" ? {} : { after: decodeCursor(cursor, readRunCursor) }),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return json({
      runs: page.map(runHeader),
      cursor: rows.length > limit && last !== undefined ? runCursor(last) : null,
    });
  });

  app.get("/runs/:runId", runReader(deps), async (c) => {
    const read = await visibleRun(c);
    const run = await reconciledOnRead(c.env, recordsDb(c), read, deps, (work) => afterAnswer(c, work));
    // A fan-out parent's progress is counted over its children now, not as last written.
    const children = run.fanOutRows === undefined ? undefined : await childCounts(recordsDb(c), run.runId);
    return json({
      ...runHeader(run),
      progress:
        children === undefined || run.fanOutRows === undefined
          ? run.progress
          : fanOutProgress(run.fanOutRows, children),
      ...(children === undefined ? {} : { children }),
      ...(run.waitingFor === undefined ? {} : { waitingFor: run.waitingFor }),
      ...(run.result === undefined ? {} : { result: await loadStoredResult(run.result, c.env.RESULTS) }),
    });
  });

  app.get("/runs/:runId/events", runReader(deps), async (c) => {
    const run = await visibleRun(c);
    const db = recordsDb(c);
    const follow = c.req.query("follow") === "1" || c.req.query("follow") === "true";
    const headers = { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" };
    if (!follow || FINAL_STATUSES.has(run.status)) {
      const lines: string[] = [];
      let after = -1;
      for (;;) {
        const batch = await listEvents(db, run.runId, after);
        for (const event of batch) lines.push(`${event.json}\n`);
        const last = batch[batch.length - 1];
        if (last === undefined || batch.length < 500) break;
        after = last.seq;
      }
      return new Response(lines.join(""), { headers });
    }
    return new Response(followEvents(db, run.runId, c.get("callerSignal") ?? c.req.raw.signal), { headers });
  });

  app.post("/runs/:runId/cancel", runReader(deps), async (c) => {
    const run = await visibleRun(c);
    // An immediate run is one request's work and never reads the flag: it stops only when its
    // caller disconnects, so a 202 would promise a stop that never comes.
    if (run.mode === "immediate") throw notCancellable();
    if (FINAL_STATUSES.has(run.status)) {
      return json({ runId: run.runId, status: run.status, cancelRequested: false }, 202);
    }
    const db = recordsDb(c);
    await requestCancel(db, run.runId, Date.now());
    // A run waiting for a webhook would notice only when the wait ends: wake it now. A poll sleep
    // cannot be woken; the cancel takes effect at the next step after it.
    const runs = c.env.RUNS;
    if (run.mode === "durable" && runs !== undefined) await wakeToCancel(db, runs, run.runId, deps);
    if (run.fanOutRows !== undefined && runs !== undefined) await cancelFanOut(db, runs, run.runId, deps);
    return json({ runId: run.runId, status: run.status, cancelRequested: true }, 202, {
      location: `/runs/${run.runId}`,
    });
  });

  methodNotAllowed(app, "/runs/:runId", "GET, HEAD");
  methodNotAllowed(app, "/runs/:runId/events", "GET, HEAD");
  methodNotAllowed(app, "/runs/:runId/cancel", "POST");
  return app;
}

/**
 * A stream of the run's events: those stored so far, then new ones as D1 gets them (polled every
 * {@link FOLLOW_POLL_MS}), a heartbeat line after {@link FOLLOW_HEARTBEAT_MS} of silence, until
 * the run ends or the caller goes away.
 */
function followEvents(db: D1Database, runId: string, signal: AbortSignal): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = -1;
  let quietSince = Date.now();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (signal.aborted) {
          controller.close();
          return;
        }
        const batch = await listEvents(db, runId, after);
        if (batch.length > 0) {
          for (const event of batch) controller.enqueue(encoder.encode(`${event.json}\n`));
          after = batch[batch.length - 1]?.seq ?? after;
          quietSince = Date.now();
          return;
        }
        const run = await getRun(db, runId);
        if (run === undefined || FINAL_STATUSES.has(run.status)) {
          // One last look: the final events are written before the final status.
          const rest = await listEvents(db, runId, after);
          for (const event of rest) controller.enqueue(encoder.encode(`${event.json}\n`));
          controller.close();
          return;
        }
        if (Date.now() - quietSince >= FOLLOW_HEARTBEAT_MS) {
          quietSince = Date.now();
          controller.enqueue(encoder.encode(`${JSON.stringify({ type: "heartbeat" })}\n`));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS));
      }
    },
  });
}

/**
 * Cancels a fan-out's children: those never started are cancelled at once; those running are
 * asked to stop (as a cancel of each would) and woken from their webhook waits; the parent is
 * woken to see it.
 */
async function cancelFanOut(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  parentRunId: string,
  deps: RouteDeps,
): Promise<void> {
  await cancelUnstartedChildren(db, parentRunId, Date.now());
  for (const childId of await activeChildren(db, parentRunId)) {
    await requestCancel(db, childId, Date.now());
    await wakeToCancel(db, runs, childId, deps);
  }
  await wakeParent(runs, parentRunId, deps.log);
}

/** Sends a cancel event to each open wait of a durable run (the engine keeps it if not yet waiting). */
async function wakeToCancel(
  db: D1Database,
  runs: Workflow<DurableRunParams>,
  runId: string,
  deps: RouteDeps,
): Promise<void> {
  for (const wait of await openWaitsOfRun(db, runId)) {
    try {
      const payload: WebhookEventPayload = { eventId: "", json: "null", cancel: true };
      await (await runs.get(runId)).sendEvent({ type: wait.eventType, payload });
    } catch (error) {
      deps.log("warn", "cancel not delivered to a waiting run", { runId, error: errorKind(error) });
    }
  }
}
