/**
 * Refuses a request that would change something when a browser says another site sent it. Behind
 * Cloudflare Access the browser itself carries the caller's credential (Access adds its assertion
 * from a cookie that may be `SameSite=None`), so an empty cross-site `<form method=post>` would
 * otherwise start a run as the signed-in user. Webhooks come from Certn's servers, not browsers,
 * and are signed: they are left alone.
 */
import type { MiddlewareHandler } from "hono";
import { WorkerError } from "./errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `Sec-Fetch-Site` values of a request the page itself (or the user, typing) made. */
const OWN_SITE = new Set(["same-origin", "none"]);

/**
 * 403 `FORBIDDEN` for a POST, PUT, PATCH or DELETE whose `Sec-Fetch-Site` is neither
 * `same-origin` nor `none`, or, without that header, whose `Origin` is not the Worker's own.
 * Clients that are not browsers send neither header and pass.
 *
 * @example
 * ```ts
 * app.use(refuseCrossSite());
 * ```
 */
export function refuseCrossSite(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || c.req.path.startsWith("/webhooks/")) return next();
    const site = c.req.header("sec-fetch-site");
    const origin = c.req.header("origin");
    const crossSite =
      site !== undefined ? !OWN_SITE.has(site) : origin !== undefined && origin !== new URL(c.req.url).origin;
    if (crossSite) {
      throw new WorkerError(
        "FORBIDDEN",
        "a request from another site cannot change anything here (Sec-Fetch-Site or Origin says it came from elsewhere)",
      );
    }
    return next();
  };
}
