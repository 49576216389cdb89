/**
 * The web console, mounted at `/`: `GET /` serves the HTML shell. Its client script and style
 * sheet are Workers Static Assets at `/console/app-<hash>.js` and `.css` (written into `assets/`
 * by scripts/bundle-console.mjs, with their headers in `assets/_headers`): the platform serves
 * them before the Worker runs, so they are no part of the Worker's code. None needs a caller
 * token: they hold no data. Every datum the console shows comes from the JSON routes, called by
 * the page with the caller's own token.
 */
import { Hono } from "hono";
import type { AppEnv } from "../routes/context.ts";
import { methodNotAllowed } from "../routes/method-not-allowed.ts";
import { CONSOLE_SCRIPT_PATH, CONSOLE_STYLE_PATH } from "./assets.ts";
import { CONSOLE_HEADERS } from "./headers.ts";
import { consoleShell } from "./page.ts";

/**
 * The console routes, to mount at `/`.
 * @example
 * app.route("/", consoleRoutes());
 */
export function consoleRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", async () => {
    const page = await consoleShell(CONSOLE_SCRIPT_PATH, CONSOLE_STYLE_PATH);
    return new Response(page.toString(), {
      headers: {
        ...CONSOLE_HEADERS,
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
      },
    });
  });
  methodNotAllowed(app, "/", "GET, HEAD");
  return app;
}
