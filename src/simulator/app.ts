/**
 * The simulator's Hono app: web standards only (no node:*), so it runs unchanged in workerd.
 * Per route: credential check, rate limit, then the method's handler (DRF's order: authenticate,
 * throttle, dispatch; an unknown method is a 405 after authentication).
 */
import { Hono } from "hono";
import { cors } from "hono/cors";
import { CENTRIC_ERROR, CENTRIC_PREFIX } from "./assumptions/centric.ts";
import { DRF, PARTNER_PREFIXES, RETIRED_BODY, UNSAFE_WITHOUT_SLASH_STATUS } from "./assumptions/partner.ts";
import { authenticatePartner } from "./auth.ts";
import { detail, json } from "./http.ts";
import type { RouteMatcher } from "./route-table.ts";
import { authenticateCentric } from "./routes/centric/auth.ts";
import { centricNotFound, clientError } from "./routes/centric/respond.ts";
import type { RouteContext, RouteDef, SimRuntime } from "./runtime.ts";

/** True for every path of the partner API (for the `partnerApiRetired` switch). */
export function isPartnerPath(path: string): boolean {
  return path === "/token" || PARTNER_PREFIXES.some((prefix) => path.startsWith(prefix));
}

function allowHeader(defs: readonly RouteDef[]): string {
  const methods = new Set(defs.map((d) => d.method));
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].join(", ");
}

function headless(response: Response): Response {
  return new Response(null, { status: response.status, headers: response.headers });
}

async function dispatch(rt: SimRuntime, defs: readonly RouteDef[], base: RouteContext): Promise<Response> {
  const method = base.request.method === "HEAD" ? "GET" : base.request.method;
  const def = defs.find((d) => d.method === method);
  const allow = allowHeader(defs);
  if (defs.every((d) => d.auth === "none")) {
    // Plain Django views (the token endpoint) answer other methods with an empty 405.
    if (def?.auth !== "none") return new Response(null, { status: 405, headers: { allow } });
    return def.handle(base);
  }
  if (defs.some((d) => d.auth === "centric")) return dispatchCentric(rt, def, base, allow);
  const auth = authenticatePartner(base.request, rt, base.now);
  if (!auth.ok) return auth.response;
  const verdict = rt.partnerLimiter.take(auth.principal.bucket, base.now);
  if (!verdict.ok) {
    const seconds = verdict.retryAfterSeconds;
    return detail(429, DRF.throttled(seconds), { "retry-after": String(seconds) });
  }
  if (def === undefined) return detail(405, DRF.methodNotAllowed(base.request.method), { allow });
  if (def.auth !== "partner") return detail(500, "A server error occurred.");
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
      if (isPartnerPath(new URL(c.req.url).pathname)) return json(RETIRED_BODY, 410);
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
        return new Response(null, { status: 301, headers: { location: `${url.pathname}/${url.search}` } });
      }
      // ...unsafe methods are refused (the reference's "simpler and safer" choice).
      if (url.pathname.startsWith(CENTRIC_PREFIX)) return centricNotFound();
      return detail(UNSAFE_WITHOUT_SLASH_STATUS, DRF.notFound);
    }
    return url.pathname.startsWith(CENTRIC_PREFIX) ? centricNotFound() : detail(404, DRF.notFound);
  });
  app.onError((_error, c) =>
    new URL(c.req.url).pathname.startsWith(CENTRIC_PREFIX)
      ? json(
          {
            type: "server_error",
            errors: [{ code: "error", detail: "A server error occurred.", attr: null }],
          },
          500,
        )
      : detail(500, "A server error occurred."),
  );
  return app;
}
