/**
 * CertnCentric's pagination, with `page` and `page_size`. Two envelopes are accepted: the
 * documented `{ pagination: { ..., next_page }, results }` (certncentric-api.md §2.4, from the
 * groups list) and DRF's `{ count, next, previous, results }`, which certn-api.md §1.4 and §7 Q15
 * say to assume for the lists; a DRF page is returned as given, with a `pagination` block built
 * from it. Whether `next_page` holds a page number or a URL is an open question, so both are
 * followed: a number re-sends the same filters with `page` set, a URL (DRF's `next` included) is
 * followed by its path and query alone, on the client's own origin (a link elsewhere must not
 * receive our API key).
 */
import { CertnResponseError } from "../../core/errors.ts";
import { isRecord } from "../../core/json.ts";
import type { CallOptions, ResourceContext } from "../context.ts";
import type { CertnCentricPage, CertnCentricPageParams, CertnCentricPagination } from "./types.ts";

/** The client's JSON request function, as resource factories receive it. */
export type CentricRequester = Pick<ResourceContext, "request">;

/** Where the next page is: a page number, a path with query, or nowhere. */
type NextPage = { page: number } | { path: string } | undefined;

/** True for a DRF page envelope: no `pagination` block, and `count` or `next`. */
function isDrfPage(value: Record<string, unknown>): boolean {
  return value.pagination === undefined && ("next" in value || "count" in value);
}

/**
 * Checks a page envelope, naming the field that is wrong. A DRF page is returned with a
 * `pagination` block built from `count`, `next` and `previous` (the fields it lacks are null).
 */
export function checkCentricPage<T>(value: unknown, where: string): CertnCentricPage<T> {
  if (!isRecord(value)) {
    throw new CertnResponseError(
      `GET ${where}: expected a page object {pagination, results} or {count, next, previous, results}`,
    );
  }
  if (!Array.isArray(value.results)) {
    throw new CertnResponseError(`GET ${where}: page field "results" must be an array`);
  }
  if (isDrfPage(value)) {
    const { count, next, previous } = value;
    if (next != null && typeof next !== "string") {
      throw new CertnResponseError(`GET ${where}: page field "next" must be a URL string or null`);
    }
    const pagination: CertnCentricPagination = {
      result_count: typeof count === "number" ? count : null,
      page_count: null,
      page_size: null,
      current_page: null,
      next_page: next ?? null,
      previous_page: typeof previous === "string" ? previous : null,
    };
    return { ...value, pagination } as unknown as CertnCentricPage<T>;
  }
  if (!isRecord(value.pagination)) {
    throw new CertnResponseError(`GET ${where}: page field "pagination" must be an object`);
  }
  const next = value.pagination.next_page;
  if (next !== null && next !== undefined && typeof next !== "number" && typeof next !== "string") {
    throw new CertnResponseError(`GET ${where}: "pagination.next_page" must be a page number, a URL or null`);
  }
  return value as unknown as CertnCentricPage<T>;
}

/** Reads `next_page` as a page number (also given as digits) or a link; `undefined` at the end. */
export function nextPageOf(page: CertnCentricPage<unknown>, where: string): NextPage {
  const next: unknown = page.pagination.next_page;
  if (next === null || next === undefined || next === "") return undefined;
  if (typeof next === "number" || /^\d+$/.test(String(next))) {
    const number = Number(next);
    if (!Number.isSafeInteger(number) || number < 1) {
      throw new CertnResponseError(`GET ${where}: "pagination.next_page" must be a page number of 1 or more`);
    }
    return { page: number };
  }
  let url: URL;
  try {
    // Relative links (`?page=2`) resolve against the list's own path.
    url = new URL(String(next), `https://placeholder.invalid${where}`);
  } catch {
    throw new CertnResponseError(`GET ${where}: "pagination.next_page" is neither a page number nor a URL`);
  }
  return { path: `${url.pathname}${url.search}` };
}

/** Fetches one page of `path`. */
export async function listCentricPage<T>(
  ctx: CentricRequester,
  path: string,
  params: CertnCentricPageParams | undefined,
  options: CallOptions | undefined,
): Promise<CertnCentricPage<T>> {
  const body = await ctx.request("GET", path, { ...options, ...(params ? { query: params } : {}) });
  return checkCentricPage<T>(body, path);
}

/**
 * Iterates the items of every page of `path`, from `params.page` (default 1). An empty page ends
 * the iteration whatever `next_page` (or DRF's `next`) says; a page asked for twice ends it with a
 * `CertnResponseError` rather than a loop.
 */
export async function* paginateCentric<T>(
  ctx: CentricRequester,
  path: string,
  params: CertnCentricPageParams | undefined,
  options: CallOptions | undefined,
): AsyncGenerator<T, void, undefined> {
  let page = await listCentricPage<T>(ctx, path, params, options);
  const seen = new Set<string>([`page:${params?.page ?? 1}`]);
  for (;;) {
    yield* page.results;
    const next = nextPageOf(page, path);
    if (next === undefined || page.results.length === 0) return;
    const key = "page" in next ? `page:${next.page}` : `path:${next.path}`;
    if (seen.has(key)) {
      throw new CertnResponseError(
        `GET ${path}: pagination loops ("next_page" points to a page already read)`,
      );
    }
    seen.add(key);
    const body =
      "page" in next
        ? await ctx.request("GET", path, { ...options, query: { ...params, page: next.page } })
        : await ctx.request("GET", next.path, { ...options });
    page = checkCentricPage<T>(body, path);
  }
}

/** `list` (one page) and `all` (every item of every page) of a CertnCentric list endpoint. */
export interface CentricListResource<T, P extends CertnCentricPageParams = CertnCentricPageParams> {
  /** One page, with its `pagination` block (built from `count`, `next` and `previous` for a DRF page). */
  list(params?: P, options?: CallOptions): Promise<CertnCentricPage<T>>;
  /** Every item of every page, following `pagination.next_page` (DRF's `next`). */
  all(params?: P, options?: CallOptions): AsyncIterable<T>;
}

/** Builds {@link CentricListResource} methods for `path`. */
export function centricListResource<T, P extends CertnCentricPageParams = CertnCentricPageParams>(
  ctx: CentricRequester,
  path: string,
): CentricListResource<T, P> {
  return {
    list: (params, options) => listCentricPage<T>(ctx, path, params, options),
    all: (params, options) => paginateCentric<T>(ctx, path, params, options),
  };
}
