/**
 * The web console, mounted at `/`: `GET /` serves the HTML shell, `/console/app-<hash>.js` and
 * `.css` its client script and style sheet (generated into assets.ts by
 * scripts/bundle-console.mjs). None needs a caller token: they hold no data. Every datum the
 * console shows comes from the JSON routes, called by the page with the caller's own token.
 */
import { Hono } from "hono";
import type { AppEnv } from "../routes/context.ts";
import { methodNotAllowed } from "../routes/method-not-allowed.ts";
import { CONSOLE_ASSET_VERSION, CONSOLE_SCRIPT, CONSOLE_STYLE } from "./assets.ts";
import { CONSOLE_HEADERS, consoleShell } from "./page.ts";

/** Where the client script and style sheet are served; the hash changes with their content. */
export const CONSOLE_SCRIPT_PATH = `/console/app-${CONSOLE_ASSET_VERSION}.js`;
export const CONSOLE_STYLE_PATH = `/console/app-${CONSOLE_ASSET_VERSION}.css`;

/** A year: the asset paths change whenever their content does. */
const IMMUTABLE = "public, max-age=31536000, immutable";

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
  app.get(CONSOLE_SCRIPT_PATH, () => asset(CONSOLE_SCRIPT, "text/javascript; charset=utf-8"));
  app.get(CONSOLE_STYLE_PATH, () => asset(CONSOLE_STYLE, "text/css; charset=utf-8"));
  methodNotAllowed(app, "/", "GET, HEAD");
  return app;
}

function asset(body: string, type: string): Response {
  return new Response(body, {
    headers: { ...CONSOLE_HEADERS, "content-type": type, "cache-control": IMMUTABLE },
  });
}
