/**
 * DRF page-number pagination. `all()` follows `next`, keeping only its path and query and
 * sending them to the client's own origin: Certn has been seen handing back `http://` links, and
 * a link to anywhere else must not carry our token.
 */
import { CertnResponseError } from "../core/errors.ts";
import type { CallOptions, ResourceContext } from "./context.ts";
import type { ListParams, Page } from "./types.ts";

function checkPage<T>(value: unknown, where: string): Page<T> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CertnResponseError(`GET ${where}: expected a page object {count, next, previous, results}`);
  }
  const page = value as Record<string, unknown>;
  if (!Array.isArray(page.results)) {
    throw new CertnResponseError(`GET ${where}: page field "results" must be an array`);
  }
  if (page.next !== null && page.next !== undefined && typeof page.next !== "string") {
    throw new CertnResponseError(`GET ${where}: page field "next" must be a URL string or null`);
  }
  return value as Page<T>;
}

/** The path and query of a `next` link (absolute or relative). */
export function nextPath(next: string): string {
  const url = new URL(next, "https://placeholder.invalid");
  return `${url.pathname}${url.search}`;
}

/** Fetches one page. */
export async function listPage<T>(
  ctx: ResourceContext,
  path: string,
  params: ListParams | undefined,
  options: CallOptions | undefined,
): Promise<Page<T>> {
  const page = await ctx.request("GET", path, { ...options, ...(params ? { query: params } : {}) });
  return checkPage<T>(page, path);
}

/** Iterates the items of every page, following `next` on the client's origin. */
export async function* paginate<T>(
  ctx: ResourceContext,
  path: string,
  params: ListParams | undefined,
  options: CallOptions | undefined,
): AsyncGenerator<T, void, undefined> {
  let page = await listPage<T>(ctx, path, params, options);
  const seen = new Set<string>();
  for (;;) {
    yield* page.results;
    if (typeof page.next !== "string" || page.next === "") return;
    const following = nextPath(page.next);
    if (seen.has(following)) {
      throw new CertnResponseError(`GET ${path}: pagination loops (the same "next" link came back twice)`);
    }
    seen.add(following);
    page = checkPage<T>(await ctx.request("GET", following, { ...options }), path);
  }
}

/** `list` (one page) and `all` (every item) for a list endpoint. */
export interface ListResource<T, P extends ListParams = ListParams> {
  list(params?: P, options?: CallOptions): Promise<Page<T>>;
  all(params?: P, options?: CallOptions): AsyncIterable<T>;
}

/** Builds {@link ListResource} methods for `path`. */
export function listResource<T, P extends ListParams = ListParams>(
  ctx: ResourceContext,
  path: string,
): ListResource<T, P> {
  return {
    list: (params, options) => listPage<T>(ctx, path, params, options),
    all: (params, options) => paginate<T>(ctx, path, params, options),
  };
}
