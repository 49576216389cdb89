/**
 * Runs: a saved collection (`POST /collections/:id/runs`, scope `runs:saved`, body optional) or an
 * ad-hoc one (`POST /runs`, scope `runs:adhoc`, `{ collection, ...run inputs }`), answered as JSON,
 * NDJSON or JUnit. Inputs, the collection and its options are checked before anything is sent.
 */
import { Hono } from "hono";
import type { Collection } from "../../collection/model.ts";
import { limitBody, readJsonBody } from "../body.ts";
import { readWorkerConfig } from "../config.ts";
import { invalidInput } from "../errors.ts";
import { negotiateOutput } from "../output-format.ts";
import { executeRun, type RunRequest } from "../run-execution.ts";
import { checkRunSettings, readRunInputs, type WorkerRunInputs } from "../run-inputs.ts";
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

/** Checks the collection's options with the inputs, then runs it for this request. */
function startRun(c: AppContext, deps: RouteDeps, target: RunTarget): Promise<Response> {
  const { collection, inputs } = target;
  checkRunSettings(collection, inputs, target.collectionPointer);
  let waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    waitUntil = (promise) => ctx.waitUntil(promise);
  } catch {
    // No execution context (a direct app.fetch call in tests): the stream keeps itself alive.
  }
  const credentials =
    typeof deps.credentials === "function" ? deps.credentials(collection) : deps.credentials;
  return executeRun({
    collection,
    collectionId: target.collectionId,
    source: target.source,
    inputs,
    config: readWorkerConfig(c.env, credentials),
    client: {
      env: c.env,
      certnFetch: deps.certnFetch,
      tokenStore: deps.tokenStore,
      log: deps.log,
      ...(deps.maxUpstreamConcurrency === undefined ? {} : { maxConcurrency: deps.maxUpstreamConcurrency }),
    },
    log: deps.log,
    format: negotiateOutput(c.req.header("accept") ?? null),
    // The caller's disconnect stops the run in every format (workerd reports it with the
    // enable_request_signal compatibility flag).
    signal: c.get("callerSignal") ?? c.req.raw.signal,
    ...(waitUntil === undefined ? {} : { waitUntil }),
    ...(deps.heartbeatMs === undefined ? {} : { heartbeatMs: deps.heartbeatMs }),
    ...(deps.timers === undefined ? {} : { timers: deps.timers }),
  });
}

/** The run routes, to mount at `/`. */
export function runRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post("/collections/:id/runs", callerWith("runs:saved", deps), limitBody(), async (c) => {
    const id = collectionId(c.req.param("id"));
    const inputs = readRunInputs(await readJsonBody(c.req.raw, { optional: true }));
    const found = await storeOf(c, deps).get(id);
    if (found === undefined) throw notFound();
    const collection = validCollection(found.value, "");
    return startRun(c, deps, {
      collection,
      collectionId: id,
      source: found.source,
      inputs,
      collectionPointer: "",
    });
  });

  app.post("/runs", callerWith("runs:adhoc", deps), limitBody(), async (c) => {
    const body = await readJsonBody(c.req.raw);
    const inputs = readRunInputs(body, ["collection"]);
    const value = (body as Record<string, unknown>).collection;
    if (value === undefined) {
      throw invalidInput("INVALID_INPUT", "the body needs a collection", [
        { path: "/collection", message: "required: the collection to run" },
      ]);
    }
    const collection = validCollection(value, "/collection");
    return startRun(c, deps, {
      collection,
      collectionId: undefined,
      source: "ad-hoc",
      inputs,
      collectionPointer: "/collection",
    });
  });

  methodNotAllowed(app, "/collections/:id/runs", "POST");
  methodNotAllowed(app, "/runs", "POST");
  return app;
}
