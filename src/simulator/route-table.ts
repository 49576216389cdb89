/** Matches a method and path against the route table, for request counts and fault injection. */
import type { RouteDef } from "./runtime.ts";

/** A compiled route pattern. */
interface Compiled {
  pattern: string;
  regex: RegExp;
}

/** Looks up the pattern a path belongs to (`/api/v1/teams/abc/` → `/api/v1/teams/:id/`). */
export interface RouteMatcher {
  pattern(path: string): string | undefined;
}

/** Compiles the patterns of `routes` (Hono syntax, `:name` segments). */
export function createRouteMatcher(routes: readonly RouteDef[]): RouteMatcher {
  const compiled: Compiled[] = [...new Set(routes.map((r) => r.pattern))].map((pattern) => ({
    pattern,
    regex: new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]+/g, "[^/]+")}$`),
  }));
  return {
    pattern: (path) => compiled.find((c) => c.regex.test(path))?.pattern,
  };
}
