/**
 * The simulator's Hono app: web standards only (no node:*), so it runs unchanged in workerd.
 * Per route: credential check, permission (which credential the route takes), rate limit, then
 * the method's handler (DRF's order; an unknown method is a 405 after all of them).
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { CENTRIC_PREFIX } from "./assumptions/centric.ts";
import { OAUTH_ON_B1_PATHS, PARTNER_ONLY_PREFIXES, PERMISSION_DENIED } from "./assumptions/partner-auth.ts";
import {
  GET_WITHOUT_SLASH_STATUS,
  OPEN_ROUTES_RATE_LIMITED,
  RETIRED_BODY,
  RETIRED_PREFIXES,
  RETIRED_STATUS,
  THROTTLE_RETRY_AFTER,
  UNSAFE_WITHOUT_SLASH_STATUS,
} from "./assumptions/partner-http.ts";
import { authenticatePartner, authenticateSession } from "./auth.ts";
import { detail, json } from "./http.ts";
import { DRF } from "./messages.ts";
import type { Principal } from "./options.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { RouteMatcher } from "./route-table.ts";
import { authenticateCentric } from "./routes/centric/auth.ts";
import { CENTRIC_ERROR } from "./routes/centric/errors.ts";
import { centricNotFound, clientError } from "./routes/centric/respond.ts";
import type { RouteContext, RouteDef, SimRuntime } from "./runtime.ts";

/** True for every path of the partner API (for the `partnerApiRetired` switch). */
export function isPartnerPath(path: string): boolean {
  return path === "/token" || RETIRED_PREFIXES.value.some((prefix) => path.startsWith(prefix));
}

function allowHeader(defs: readonly RouteDef[]): string {
  const methods = new Set(defs.map((d) => d.method));
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].join(", ");
}

function headless(response: Response): Response {
  return new Response(null, { status: response.status, headers: response.headers });
}

/** The 429 of a refused request, or undefined when `bucket` may go on (certn-api.md §1.3). */
function throttled(limiter: RateLimiter, bucket: string, now: number): Response | undefined {
  const verdict = limiter.take(bucket, now);
  if (verdict.ok) return undefined;
  const seconds = verdict.retryAfterSeconds;
  const headers = THROTTLE_RETRY_AFTER.value ? { "retry-after": String(seconds) } : undefined;
  return detail(429, DRF.throttled(seconds), headers);
}

/**
 * Whether a credential may use a route (certn-api.md §2.5): the gen B2 paths take only the
 * partner OAuth token; the gen A/B1 paths take every partner credential.
 */
function permitted(pattern: string, principal: Principal): boolean {
  if (PARTNER_ONLY_PREFIXES.value.some((prefix) => pattern.startsWith(prefix)))
    return principal.kind === "oauth";
  return principal.kind !== "oauth" || OAUTH_ON_B1_PATHS.value;
}

/**
 * DRF's order for a request: authenticate, check permissions, throttle, then dispatch (an unknown
 * method is a 405 after all three).
 */
async function dispatch(rt: SimRuntime, defs: readonly RouteDef[], base: RouteContext): Promise<Response> {
  const method = base.request.method === "HEAD" ? "GET" : base.request.method;
  const def = defs.find((d) => d.method === method);
  const allow = allowHeader(defs);
  const kind = defs[0]?.auth ?? "none";
  if (kind === "centric") return dispatchCentric(rt, def, base, allow);
  if (kind === "none" || kind === "login") {
    if (OPEN_ROUTES_RATE_LIMITED.value) {
      const refused = throttled(rt.partnerLimiter, `open:${base.url.pathname}`, base.now);
      if (refused) return refused;
    }
    // Plain Django views (the token endpoint) answer other methods with an empty 405, DRF views
    // (the gen A logins) with DRF's JSON one.
    if (def === undefined || def.auth !== kind) {
      return kind === "none"
        ? new Response(null, { status: 405, headers: { allow } })
        : detail(405, DRF.methodNotAllowed(base.request.method), { allow });
    }
    return def.handle(base);
  }
  const auth =
    kind === "session"
      ? authenticateSession(base.request, rt, base.now)
      : authenticatePartner(base.request, rt, base.now);
  if (!auth.ok) return auth.response;
  const pattern = defs[0]?.pattern ?? "";
  if (kind === "partner" && !permitted(pattern, auth.principal)) {
    return detail(403, PERMISSION_DENIED.value);
  }
  const refused = throttled(rt.partnerLimiter, auth.principal.bucket, base.now);
  if (refused) return refused;
  if (def === undefined) return detail(405, DRF.methodNotAllowed(base.request.method), { allow });
  if (def.auth !== "partner" && def.auth !== "session") return detail(500, DRF.serverError);
  return def.handle({ ...base, principal: auth.principal });
}

/** CertnCentric: Api-Key, its own limits, and the drf-standardized-errors envelope. */
async function dispatchCentric(
  rt: SimRuntime,
  def: RouteDef | undefined,
  base: RouteContext,
  allow: string,
): Promise<Response> {
  const auth = authenticateCentric(base.request, rt, base.now);
  if (!auth.ok) return auth.response;
  const verdict = rt.centricLimiter.take(auth.bucket, base.now);
  if (!verdict.ok) {
    const seconds = verdict.retryAfterSeconds;
    return clientError(429, CENTRIC_ERROR.throttled(seconds), { "retry-after": String(seconds) });
  }
  if (def?.auth !== "centric") {
    return clientError(405, CENTRIC_ERROR.methodNotAllowed(base.request.method), { allow });
  }
  return def.handle({ ...base, keyBucket: auth.bucket });
}

/** Builds the Hono app over `routes`, sharing the runtime `rt`. */
export function createSimulatorApp(rt: SimRuntime, routes: readonly RouteDef[], matcher: RouteMatcher): Hono {
  const app = new Hono();
  const origins = rt.options.corsOrigins;
  if (origins !== undefined) {
    app.use(
      "*",
      cors({
        origin: [...origins],
        allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allowHeaders: ["Authorization", "Content-Type"],
        exposeHeaders: ["Retry-After", "WWW-Authenticate", "Location", "Content-Disposition"],
        maxAge: 600,
      }),
    );
  }
  if (rt.options.partnerApiRetired) {
    app.use("*", async (c, next) => {
      if (isPartnerPath(new URL(c.req.url).pathname)) return json(RETIRED_BODY.value, RETIRED_STATUS.value);
      await next();
    });
  }
  const byPattern = new Map<string, RouteDef[]>();
  for (const def of routes) byPattern.set(def.pattern, [...(byPattern.get(def.pattern) ?? []), def]);
  for (const [pattern, defs] of byPattern) {
    app.all(pattern, async (c) => {
      const base: RouteContext = {
        request: c.req.raw,
        url: new URL(c.req.url),
        params: c.req.param() as Record<string, string>,
        rt,
        now: rt.clock.now(),
      };
      const response = await dispatch(rt, defs, base);
      return c.req.method === "HEAD" ? headless(response) : response;
    });
  }
  app.notFound((c) => {
    const url = new URL(c.req.url);
    if (!url.pathname.endsWith("/") && matcher.pattern(`${url.pathname}/`) !== undefined) {
      // Django's APPEND_SLASH (certn-api.md §1.2, §7 #13): GET/HEAD are redirected...
      if (c.req.method === "GET" || c.req.method === "HEAD") {
        const headers = { location: `${url.pathname}/${url.search}` };
        return new Response(null, { status: GET_WITHOUT_SLASH_STATUS.value, headers });
      }
      // ...unsafe methods are refused (the reference's "simpler and safer" choice).
      if (url.pathname.startsWith(CENTRIC_PREFIX.value)) return centricNotFound();
      return detail(UNSAFE_WITHOUT_SLASH_STATUS.value, DRF.notFound);
    }
    return url.pathname.startsWith(CENTRIC_PREFIX.value) ? centricNotFound() : detail(404, DRF.notFound);
  });
  app.onError((_error, c) =>
    new URL(c.req.url).pathname.startsWith(CENTRIC_PREFIX.value)
      ? json({ type: "server_error", errors: [{ ...CENTRIC_ERROR.serverError, attr: null }] }, 500)
      : detail(500, DRF.serverError),
  );
  return app;
}
