/**
 * The Worker's Hono app: health, the web console, saved collections (bundled read-only, stored in
 * KV) and runs, each a sub-app mounted with `app.route()`. Every route but `/health` and the
 * console's shell and assets needs a caller JWT with the route's scope. The production and the development entries wrap this same app; only the Certn
 * `fetch` and credentials differ.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { Collection } from "../collection/model.ts";
import { BUNDLED_COLLECTIONS } from "./bundled-collections.ts";
import type { CallerAuthOptions } from "./caller-auth.ts";
import type { TokenStoreSeams } from "./certn-client.ts";
import type { CertnCredentials } from "./config.ts";
import { consoleRoutes } from "./console/routes.ts";
import type { Env } from "./env.ts";
import { configError, WORKER_ERRORS, WorkerError, type WorkerErrorCode } from "./errors.ts";
import { consoleLogger, errorKind, type Logger } from "./log.ts";
import { collectionRoutes } from "./routes/collections.ts";
import type { AppEnv, RouteDeps } from "./routes/context.ts";
import { healthRoutes } from "./routes/health.ts";
import { monitorRoutes } from "./routes/monitors.ts";
import { runRecordRoutes } from "./routes/run-records.ts";
import { runRoutes } from "./routes/runs.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import type { IntervalTimers } from "./run-execution.ts";
import { refuseCrossSite } from "./same-origin.ts";

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
  /**
   * Accept monitor alert URLs on 127.0.0.1 (`http:` too), always or for the bindings of a request
   * (the development entry: when `RUNNER_ALERTS_ALLOW_LOOPBACK` is "true"); for tests. The
   * production entry never sets it.
   */
  allowLoopbackAlerts?: boolean | ((env: Env) => boolean);
  log?: Logger;
  /**
   * Routes only the development entry adds (the console's one-click sign-in), mounted at `/`;
   * the production entry adds none.
   */
  developmentRoutes?: Hono<AppEnv>;
}

/** The registry code of a status, for an `HTTPException` thrown by Hono itself. */
function codeOfStatus(status: number): WorkerErrorCode {
  const entry = Object.entries(WORKER_ERRORS).find(([, value]) => value.status === status);
  return (entry?.[0] as WorkerErrorCode | undefined) ?? "INTERNAL_ERROR";
}

function loopbackRule(option: WorkerAppOptions["allowLoopbackAlerts"]): (env: Env) => boolean {
  if (typeof option === "function") return option;
  const allowed = option === true;
  return () => allowed;
}

/**
 * The routes' dependencies from the app options, production defaults filled in (the Cron
 * Trigger's handler resolves the same ones).
 * @example
 * const deps = resolveRouteDeps({ certnFetch: simulator.fetch });
 */
export function resolveRouteDeps(options: WorkerAppOptions = {}): RouteDeps {
  const log = options.log ?? consoleLogger;
  return {
    // The platform fetch must be called as a plain function (Workers throws "Illegal invocation" otherwise).
    certnFetch: options.certnFetch ?? ((input, init) => fetch(input, init)),
    credentials: options.credentials,
    callerAuth: options.callerAuth,
    tokenStore: options.tokenStore ?? {},
    bundled: options.bundledCollections ?? BUNDLED_COLLECTIONS,
    heartbeatMs: options.heartbeatMs,
    timers: options.timers,
    maxUpstreamConcurrency: options.maxUpstreamConcurrency,
    allowLoopbackAlerts: loopbackRule(options.allowLoopbackAlerts),
    log,
  };
}

/**
 * Creates the Worker app.
 * @example
 * const app = createWorkerApp();
 * export default { fetch: (request, env, ctx) => app.fetch(request, env, ctx) };
 */
export function createWorkerApp(options: WorkerAppOptions = {}): Hono<AppEnv> {
  const deps = resolveRouteDeps(options);
  const { log } = deps;
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("callerSignal", c.req.raw.signal);
    await next();
  });
  app.use(refuseCrossSite());
  app.route("/", healthRoutes());
  // The web console: its shell and assets need no token (they hold no data).
  app.route("/", consoleRoutes());
  app.route("/collections", collectionRoutes(deps));
  // Records first: `GET /runs` is theirs, while the run routes answer 405 for other methods on `/runs`.
  app.route("/", runRecordRoutes(deps));
  app.route("/", runRoutes(deps));
  app.route("/webhooks", webhookRoutes(deps));
  app.route("/monitors", monitorRoutes(deps));
  if (options.developmentRoutes !== undefined) app.route("/", options.developmentRoutes);

  app.notFound(() => new WorkerError("NOT_FOUND", "no such route").getResponse());
  // Replaces Hono's default handler: only the error's class is logged, never its message (which
  // may quote upstream text), a body, a header or a query string.
  app.onError((error) => {
    if (error instanceof WorkerError) return error.getResponse();
    if (error instanceof HTTPException && error.status < 500) {
      const code = codeOfStatus(error.status);
      return new WorkerError(code, WORKER_ERRORS[code].when).getResponse();
    }
    // A D1 database without the schema (migrations not applied) is a deployment mistake: say how
    // to fix it rather than answer 500. Only the table-missing case is matched, never quoted.
    if (error instanceof Error && /\bno such table\b/.test(error.message)) {
      log("error", "D1 schema missing", { error: errorKind(error) });
      return configError(
        "the DB database has no schema: apply migrations/ (npx wrangler d1 migrations apply DB --local, or --remote)",
      ).getResponse();
    }
    log("error", "unhandled error", { error: errorKind(error) });
    return new WorkerError("INTERNAL_ERROR", "the Worker failed unexpectedly").getResponse();
  });
  return app;
}
