/** `GET /health`: `{ "ok": true }`, no authentication, nothing upstream. */
import { Hono } from "hono";
import { type AppEnv, json } from "./context.ts";
import { methodNotAllowed } from "./method-not-allowed.ts";

/** The health route. */
export function healthRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/health", () => json({ ok: true }));
  methodNotAllowed(app, "/health", "GET, HEAD");
  return app;
}
