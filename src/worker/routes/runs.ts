/**
 * Runs: a saved collection (`POST /collections/:id/runs`, scope `runs:saved`, body optional) or an
 * ad-hoc one (`POST /runs`, scope `runs:adhoc`, `{ collection, ...run inputs }`), answered as JSON,
 * NDJSON or JUnit. Inputs, the collection and its options are checked before anything is sent.
 */
import { Hono } from "hono";
import type { Collection } from "../../collection/model.ts";
import { limitBody, readJsonBody } from "../body.ts";
import { callerOwner } from "../caller-auth.ts";
import { readWorkerConfig } from "../config.ts";
import { startDurableRun } from "../durable-start.ts";
import { configError, invalidInput, WorkerError } from "../errors.ts";
import { claimOrReplay, idempotencySecret, readIdempotencyKey, requestHash } from "../idempotency.ts";
import { negotiateOutput } from "../output-format.ts";
import { prefersRespondAsync } from "../prefer.ts";
import { executeRun, type RunRequest } from "../run-execution.ts";
import { checkRunSettings, readRunInputs, type WorkerRunInputs } from "../run-inputs.ts";
import { progressOfSummary, statusOfSummary, storedResultText } from "../run-records.ts";
import { releaseIdempotencyKey } from "../store/idempotency-keys.ts";
import { deleteRun, insertRun, updateRun } from "../store/runs.ts";
import { collectionId, notFound, validCollection } from "./collections.ts";
import { type AppContext, type AppEnv, callerWith, type RouteDeps, storeOf } from "./context.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";

/** What a route knows about the run it was asked for. */
interface RunTarget {
  collection: Collection;
  collectionId: string | undefined;
  source: RunRequest["source"];
  inputs: WorkerRunInputs;
  /** Where the collection is in the request body ("" for a saved one). */
  collectionPointer: string;
}

/** The route and raw body of a run request, for the idempotency hash. */
interface RawRunRequest {
  route: string;
  body: Uint8Array;
}

/**
 * Checks the collection's options with the inputs, claims the `Idempotency-Key` (when given)
 * before anything is sent, then runs it for this request (recorded when the `DB` binding exists),
 * or starts it as a durable run with `Prefer: respond-async`.
 */
async function startRun(
  c: AppContext,
  deps: RouteDeps,
  target: RunTarget,
  raw: RawRunRequest,
): Promise<Response> {
  const { collection, inputs } = target;
  checkRunSettings(collection, inputs, target.collectionPointer);
  const durable = prefersRespondAsync(c.req.header("prefer"));
  const key = readIdempotencyKey(c.req.raw.headers);
  const db: D1Database | undefined = c.env.DB;
  if (db === undefined && (durable || key !== undefined)) {
    throw configError("durable runs and Idempotency-Key need the DB binding (D1); see wrangler.toml");
  }
  const runs = c.env.RUNS;
  if (durable && runs === undefined) {
    throw configError("durable runs need the RUNS binding (Workflow CollectionRun); see wrangler.toml");
  }
  // Records are kept per caller only with D1; without it a run leaves nothing another caller sees.
  const caller = c.get("caller");
  const owner = db === undefined || caller === undefined ? "" : callerOwner(caller);
  const runId = crypto.randomUUID();
  const now = Date.now();
  const credentials =
    typeof deps.credentials === "function" ? deps.credentials(collection) : deps.credentials;
  const config = readWorkerConfig(c.env, credentials);
  if (db !== undefined && key !== undefined) {
    const bodyHash = await requestHash(idempotencySecret(config.credentials, c.env), raw.route, raw.body);
    const outcome = await claimOrReplay(db, c.env.RESULTS, {
      owner,
      key,
      bodyHash,
      runId,
      now,
      immediateDeadlineMs: config.deadlineMs,
      format: negotiateOutput(c.req.header("accept") ?? null),
    });
    if (!outcome.claimed) return outcome.response;
  }
  const client = {
    env: c.env,
    certnFetch: deps.certnFetch,
    tokenStore: deps.tokenStore,
    log: deps.log,
    ...(deps.maxUpstreamConcurrency === undefined ? {} : { maxConcurrency: deps.maxUpstreamConcurrency }),
  };
  try {
    if (durable && db !== undefined && runs !== undefined) {
      return await startDurableRun({
        runId,
        owner,
        collection,
        collectionId: target.collectionId,
        source: target.source,
        inputs,
        config,
        client,
        db,
        runs,
        now,
      });
    }
    if (db !== undefined) {
      await insertRun(db, {
        runId,
        owner,
        collection: target.collectionId ?? "ad-hoc",
        mode: "immediate",
        status: "running",
        now,
      });
    }
    return await runNow(c, deps, target, runId, config, client, db);
  } catch (error) {
    // Refused before it started (every refusal is a WorkerError): no run happened, so neither its
    // record nor its key remain, and a corrected retry may use the same key.
    if (db !== undefined && error instanceof WorkerError) {
      await Promise.allSettled([
        deleteRun(db, runId),
        key === undefined ? Promise.resolve() : releaseIdempotencyKey(db, owner, key, runId),
      ]);
    }
    throw error;
  }
}

/** Runs the collection inside this request, recording its end in `db` when there is one. */
function runNow(
  c: AppContext,
  deps: RouteDeps,
  target: RunTarget,
  runId: string,
  config: RunRequest["config"],
  client: RunRequest["client"],
  db: D1Database | undefined,
): Promise<Response> {
  let waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    waitUntil = (promise) => ctx.waitUntil(promise);
  } catch {
    // No execution context (a direct app.fetch call in tests): the stream keeps itself alive.
  }
  return executeRun({
    collection: target.collection,
    collectionId: target.collectionId,
    source: target.source,
    inputs: target.inputs,
    config,
    client,
    log: deps.log,
    format: negotiateOutput(c.req.header("accept") ?? null),
    // The caller's disconnect stops the run in every format (workerd reports it with the
    // enable_request_signal compatibility flag).
    signal: c.get("callerSignal") ?? c.req.raw.signal,
    runId,
    ...(db === undefined
      ? {}
      : {
          onFinished: async (result) => {
            await updateRun(db, runId, {
              status: statusOfSummary(result.summary),
              progress: progressOfSummary(result.summary),
              result: await storedResultText(result, runId, c.env.RESULTS),
              now: Date.now(),
            });
          },
          onFailed: async () => {
            await updateRun(db, runId, { status: "errored", now: Date.now() });
          },
        }),
    ...(waitUntil === undefined ? {} : { waitUntil }),
    ...(deps.heartbeatMs === undefined ? {} : { heartbeatMs: deps.heartbeatMs }),
    ...(deps.timers === undefined ? {} : { timers: deps.timers }),
  });
}

/**
 * The raw body of a request with an `Idempotency-Key` (read from a copy, so the route can still
 * parse it), else nothing: only the idempotency hash needs it.
 */
async function rawBody(c: AppContext): Promise<Uint8Array> {
  if (c.req.raw.headers.get("idempotency-key") === null || c.req.raw.body === null) return new Uint8Array();
  return new Uint8Array(await c.req.raw.clone().arrayBuffer());
}

/** The run routes, to mount at `/`. */
export function runRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/collections/:id/runs", callerWith("runs:saved", deps), limitBody(), async (c) => {
    const id = collectionId(c.req.param("id"));
    const raw = { route: `/collections/${id}/runs`, body: await rawBody(c) };
    const inputs = readRunInputs(await readJsonBody(c.req.raw, { optional: true }), [], {
      durable: prefersRespondAsync(c.req.header("prefer")),
    });
    const found = await storeOf(c, deps).get(id);
    if (found === undefined) throw notFound();
    const collection = validCollection(found.value, "");
    return startRun(
      c,
      deps,
      {
        collection,
        collectionId: id,
        source: found.source,
        inputs,
        collectionPointer: "",
      },
      raw,
    );
  });

  app.post("/runs", callerWith("runs:adhoc", deps), limitBody(), async (c) => {
    const raw = { route: "/runs", body: await rawBody(c) };
    const body = await readJsonBody(c.req.raw);
    const inputs = readRunInputs(body, ["collection"], {
      durable: prefersRespondAsync(c.req.header("prefer")),
    });
    const value = (body as Record<string, unknown>).collection;
    if (value === undefined) {
      throw invalidInput("INVALID_INPUT", "the body needs a collection", [
        { path: "/collection", message: "required: the collection to run" },
      ]);
    }
    const collection = validCollection(value, "/collection");
    return startRun(
      c,
      deps,
      {
        collection,
        collectionId: undefined,
        source: "ad-hoc",
        inputs,
        collectionPointer: "/collection",
      },
      raw,
    );
  });

  methodNotAllowed(app, "/collections/:id/runs", "POST");
  methodNotAllowed(app, "/runs", "GET, HEAD, POST");
  return app;
}
