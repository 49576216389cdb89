/**
 * DRF page-number pagination. `all()` follows `next`, keeping only its path and query and
 * sending them to the client's own origin: Certn has been seen handing back `http://` links, and
 * a link to anywhere else must not carry our token.
 */
import { CertnResponseError } from "../core/errors.ts";
import type { CallOptions, ResourceContext } from "./context.ts";
import type { ListParams, Page } from "./types.ts";

/** Fetches `path` and checks it is a page; `where` (the list path) names it in errors. */
async function fetchPage<T>(
  ctx: ResourceContext,
  path: string,
  where: string,
  options: CallOptions & { query?: ListParams },
): Promise<Page<T>> {
  const page = await ctx.request<Partial<Record<keyof Page<T>, unknown>> | null>("GET", path, options);
  const problem =
    typeof page !== "object" || page === null || Array.isArray(page)
      ? "expected a page object {count, next, previous, results}"
      : !Array.isArray(page.results)
        ? 'page field "results" must be an array'
        : page.next != null && typeof page.next !== "string"
          ? 'page field "next" must be a URL string or null'
          : "";
  if (problem) throw new CertnResponseError(`GET ${where}: ${problem}`);
  return page as Page<T>;
}

/** The path and query of a `next` link (absolute or relative). */
export function nextPath(next: string): string {
  const url = new URL(next, "https://placeholder.invalid");
  return url.pathname + url.search;
}

/** Fetches one page. */
export function listPage<T>(
  ctx: ResourceContext,
  path: string,
  params: ListParams | undefined,
  options: CallOptions | undefined,
): Promise<Page<T>> {
  return fetchPage<T>(ctx, path, path, { ...options, ...(params && { query: params }) });
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
    if (!page.next) return;
    const following = nextPath(page.next);
    if (seen.has(following)) {
      throw new CertnResponseError(`GET ${path}: pagination loops (the same "next" link came back twice)`);
    }
    seen.add(following);
    page = await fetchPage<T>(ctx, following, path, { ...options });
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
