/**
 * The Worker's Hono app: health, saved collections (bundled read-only, stored in KV) and runs.
 * Every route but `/health` needs a caller JWT with the route's scope. The production and the
 * development entries wrap this same app; only the Certn `fetch` and credentials differ.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { Collection } from "../collection/model.ts";
import { parseCollection } from "../runner/index.ts";
import { readJsonBody } from "./body.ts";
import { BUNDLED_COLLECTIONS } from "./bundled-collections.ts";
import { authenticateCaller, type CallerAuthOptions, requireScope, type Scope } from "./caller-auth.ts";
import type { TokenStoreSeams } from "./certn-client.ts";
import { COLLECTION_ID_PATTERN, CollectionStore } from "./collections-store.ts";
import { type CertnCredentials, readWorkerConfig } from "./config.ts";
import type { Env } from "./env.ts";
import { errorResponse, type Issue, invalidInput, WorkerError } from "./errors.ts";
import { consoleLogger, errorKind, type Logger } from "./log.ts";
import { negotiateOutput } from "./output-format.ts";
import { executeRun, type IntervalTimers } from "./run-execution.ts";
import { readRunInputs } from "./run-inputs.ts";

/** Options of `createWorkerApp`; every one has a production default. */
export interface WorkerAppOptions {
  /** The `fetch` Certn is reached with (default: the platform's). */
  certnFetch?: typeof fetch;
  /**
   * Credentials to use instead of the `CERTN_*` secrets (the development entry's simulator), or a
   * choice per collection (the simulator serves the partner API and CertnCentric side by side).
   */
  credentials?: CertnCredentials | ((collection: Collection) => CertnCredentials);
  /** Caller authentication seams (JWKS key getter or fetch, clock). */
  callerAuth?: CallerAuthOptions;
  /** Token store seams (isolate memory, clock, jitter). */
  tokenStore?: TokenStoreSeams;
  /** Saved collections compiled into the Worker (default: the generated bundle). */
  bundledCollections?: Readonly<Record<string, unknown>>;
  /** NDJSON heartbeat interval in ms (default 10 s) and the timers behind it. */
  heartbeatMs?: number;
  timers?: IntervalTimers;
  /** Most upstream requests at once per incoming request (default 6). */
  maxUpstreamConcurrency?: number;
  log?: Logger;
}

type AppEnv = { Bindings: Env };

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

/** JSON answer with the Worker's headers. */
function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** Prefixes issue paths, for a collection nested in a request body. */
function nestIssues(prefix: string, issues: readonly Issue[]): Issue[] {
  return issues.map((issue) => ({ path: `${prefix}${issue.path}`, message: issue.message }));
}

/** A collection value checked by the parser, or a 400 with its issues. */
function validCollection(value: unknown, pathPrefix: string): Collection {
  const parsed = parseCollection(value);
  if (parsed.ok) return parsed.collection;
  const issues = nestIssues(pathPrefix, parsed.issues);
  throw invalidInput("INVALID_COLLECTION", `the collection is invalid (${issues.length} issue(s))`, issues);
}

/** Creates the Worker app. */
export function createWorkerApp(options: WorkerAppOptions = {}): Hono<AppEnv> {
  const log = options.log ?? consoleLogger;
  const bundled = options.bundledCollections ?? BUNDLED_COLLECTIONS;
  // The platform fetch must be called as a plain function (Workers throws "Illegal invocation" otherwise).
  const certnFetch: typeof fetch = options.certnFetch ?? ((input, init) => fetch(input, init));
  const app = new Hono<AppEnv>();

  const caller =
    (scope: Scope): MiddlewareHandler<AppEnv> =>
    async (c, next) => {
      const verified = await authenticateCaller(c.req.raw.headers, c.env, options.callerAuth);
      requireScope(verified, scope);
      await next();
    };
  const store = (env: Env): CollectionStore => new CollectionStore(bundled, env.COLLECTIONS);
  const idOr404 = (id: string): string => {
    if (!COLLECTION_ID_PATTERN.test(id)) throw new WorkerError(404, "NOT_FOUND", "no collection has this id");
    return id;
  };
  const notBundled = (collections: CollectionStore, id: string): void => {
    if (collections.isBundled(id)) {
      throw new WorkerError(409, "READ_ONLY", `"${id}" is a bundled collection and cannot be changed`);
    }
  };

  app.get("/health", () => json({ ok: true }));

  app.get("/collections", caller("collections:read"), async (c) => json(await store(c.env).list()));

  app.get("/collections/:id", caller("collections:read"), async (c) => {
    const found = await store(c.env).get(idOr404(c.req.param("id")));
    if (found === undefined) throw new WorkerError(404, "NOT_FOUND", "no collection has this id");
    return json(found.value, 200, { "x-collection-source": found.source });
  });

  app.put("/collections/:id", caller("collections:write"), async (c) => {
    const id = c.req.param("id");
    if (!COLLECTION_ID_PATTERN.test(id)) {
      throw invalidInput("INVALID_ID", "collection ids match [a-z0-9][a-z0-9._-]{0,63}", [
        { path: "", message: "use 1 to 64 lowercase letters, digits, dots, underscores or hyphens" },
      ]);
    }
    const collections = store(c.env);
    notBundled(collections, id);
    const collection = validCollection(await readJsonBody(c.req.raw), "");
    const { replaced, summary } = await collections.put(id, collection);
    log("info", "collection stored", { collection: id, replaced, items: summary.items });
    return json(summary, replaced ? 200 : 201, replaced ? {} : { location: `/collections/${id}` });
  });

  app.delete("/collections/:id", caller("collections:write"), async (c) => {
    const id = idOr404(c.req.param("id"));
    const collections = store(c.env);
    notBundled(collections, id);
    if (!(await collections.delete(id))) throw new WorkerError(404, "NOT_FOUND", "no collection has this id");
    log("info", "collection deleted", { collection: id });
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  });

  const runContext = (c: Context<AppEnv>, collection: Collection) => {
    let waitUntil: ((promise: Promise<unknown>) => void) | undefined;
    try {
      const ctx = c.executionCtx;
      waitUntil = (promise) => ctx.waitUntil(promise);
    } catch {
      // No execution context (a direct app.fetch call in tests): the stream keeps itself alive.
    }
    return {
      config: readWorkerConfig(
        c.env,
        typeof options.credentials === "function" ? options.credentials(collection) : options.credentials,
      ),
      client: {
        env: c.env,
        certnFetch,
        tokenStore: options.tokenStore ?? {},
        log,
        ...(options.maxUpstreamConcurrency === undefined
          ? {}
          : { maxConcurrency: options.maxUpstreamConcurrency }),
      },
      log,
      format: negotiateOutput(c.req.raw.headers.get("accept")),
      signal: c.req.raw.signal,
      ...(waitUntil === undefined ? {} : { waitUntil }),
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      ...(options.timers === undefined ? {} : { timers: options.timers }),
    };
  };

  app.post("/collections/:id/runs", caller("runs:saved"), async (c) => {
    const id = idOr404(c.req.param("id"));
    const inputs = readRunInputs(await readJsonBody(c.req.raw, { optional: true }));
    const found = await store(c.env).get(id);
    if (found === undefined) throw new WorkerError(404, "NOT_FOUND", "no collection has this id");
    const collection = validCollection(found.value, "");
    return executeRun({
      ...runContext(c, collection),
      collection,
      collectionId: id,
      source: found.source,
      inputs,
    });
  });

  app.post("/runs", caller("runs:adhoc"), async (c) => {
    const body = await readJsonBody(c.req.raw);
    const inputs = readRunInputs(body, ["collection"]);
    const value = (body as Record<string, unknown>).collection;
    if (value === undefined) {
      throw invalidInput("INVALID_INPUT", "the body needs a collection", [
        { path: "/collection", message: "required: the collection to run" },
      ]);
    }
    const collection = validCollection(value, "/collection");
    return executeRun({
      ...runContext(c, collection),
      collection,
      collectionId: undefined,
      source: "ad-hoc",
      inputs,
    });
  });

  const allowed: Record<string, string> = {
    "/health": "GET, HEAD",
    "/collections": "GET, HEAD",
    "/collections/:id": "GET, HEAD, PUT, DELETE",
    "/collections/:id/runs": "POST",
    "/runs": "POST",
  };
  for (const [path, allow] of Object.entries(allowed)) {
    app.all(path, () => {
      throw new WorkerError(405, "METHOD_NOT_ALLOWED", `use ${allow}`, { headers: { allow } });
    });
  }

  app.notFound(() => errorResponse(new WorkerError(404, "NOT_FOUND", "no such route")));
  app.onError((error) => {
    if (error instanceof WorkerError) return errorResponse(error);
    log("error", "unhandled error", { error: errorKind(error) });
    return errorResponse(new WorkerError(500, "INTERNAL_ERROR", "the Worker failed unexpectedly"));
  });
  return app;
}
