/** 405 for a route that exists with other methods, with the `Allow` header. */
import type { Hono } from "hono";
import { WorkerError } from "../errors.ts";
import type { AppEnv } from "./context.ts";

/** Answers every other method on `path` with 405 and `Allow: allow`; register it after the route's handlers. */
export function methodNotAllowed(app: Hono<AppEnv>, path: string, allow: string): void {
  app.all(path, () => {
    throw new WorkerError("METHOD_NOT_ALLOWED", `use ${allow}`, { headers: { allow } });
  });
}
