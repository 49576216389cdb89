/**
 * What every route of the Worker shares: the Hono environment type, the resolved app options,
 * the caller check and the JSON answer helper.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Collection } from "../../collection/model.ts";
import {
  authenticateCaller,
  type Caller,
  type CallerAuthOptions,
  requireScope,
  type Scope,
} from "../caller-auth.ts";
import type { TokenStoreSeams } from "../certn-client.ts";
import { CollectionStore } from "../collections-store.ts";
import type { CertnCredentials } from "../config.ts";
import type { Env } from "../env.ts";
import { configError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { IntervalTimers } from "../run-execution.ts";

/**
 * The Hono environment of the Worker's apps. `callerSignal` is the incoming request's own abort
 * signal, saved before any middleware replaces `c.req.raw` (a copied Request does not report the
 * caller's disconnect). `caller` is the verified caller, set by {@link callerWith}.
 */
export type AppEnv = { Bindings: Env; Variables: { callerSignal: AbortSignal; caller: Caller } };

/** A request context of the Worker. */
export type AppContext = Context<AppEnv>;

/** What the routes need, resolved from the app options once per app. */
export interface RouteDeps {
  /** The `fetch` Certn is reached with. */
  certnFetch: typeof fetch;
  credentials: CertnCredentials | ((collection: Collection) => CertnCredentials) | undefined;
  callerAuth: CallerAuthOptions | undefined;
  tokenStore: TokenStoreSeams;
  bundled: Readonly<Record<string, unknown>>;
  heartbeatMs: number | undefined;
  timers: IntervalTimers | undefined;
  maxUpstreamConcurrency: number | undefined;
  /** Whether alert URLs on 127.0.0.1, `http:` included, are accepted with these bindings (the development entry and tests only). */
  allowLoopbackAlerts: (env: Env) => boolean;
  log: Logger;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

/** A JSON answer with the Worker's headers. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { ...JSON_HEADERS, ...headers } });
}

/** Middleware: a verified caller holding `scope`, else 401 / 403 (503 when auth is not configured). */
export function callerWith(scope: Scope, deps: RouteDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = await authenticateCaller(c.req.raw.headers, c.env, deps.callerAuth);
    requireScope(caller, scope);
    c.set("caller", caller);
    await next();
  };
}

/**
 * The request's D1 database, or 503 `CONFIG_ERROR` saying what needs it.
 * @example
 * const db = dbOf(c, "run records");
 */
export function dbOf(c: AppContext, needs: string): D1Database {
  const db: D1Database | undefined = c.env.DB;
  if (db === undefined) throw configError(`${needs} need the DB binding (D1); see wrangler.toml`);
  return db;
}

/** The collection store of a request. */
export function storeOf(c: AppContext, deps: RouteDeps): CollectionStore {
  return new CollectionStore(deps.bundled, c.env.COLLECTIONS);
}

/**
 * Keeps `work` going after the answer (`waitUntil`), or, without an execution context (tests
 * calling `app.fetch`), waits for it.
 * @example
 * await afterAnswer(c, deliverNotice());
 */
export async function afterAnswer(c: AppContext, work: Promise<void>): Promise<void> {
  let waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  try {
    const ctx = c.executionCtx;
    waitUntil = (promise) => ctx.waitUntil(promise);
  } catch {
    // No execution context (tests calling app.fetch): finish the work before answering.
  }
  if (waitUntil === undefined) await work;
  else waitUntil(work);
}
