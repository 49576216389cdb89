/** DRF page-number pagination (certn-api.md §1.4): `{count, next, previous, results}`. */
import { PARTNER_PAGE_SIZES } from "./assumptions/partner-http.ts";

/** Page and page size as read from a query string, after DRF's rules. */
export interface PageRequest {
  /** 1-based page, or `undefined` when the value was not a valid page number. */
  page: number | "last" | undefined;
  pageSize: number;
}

/** Limits of one paginated API. */
export interface PageLimits {
  defaultPageSize: number;
  maxPageSize: number;
}

/** The partner API's limits (certn-api.md §7 #6). */
export const PARTNER_PAGE_LIMITS: PageLimits = PARTNER_PAGE_SIZES.value;

function positiveInt(raw: string | null): number | undefined {
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const n = Number.parseInt(raw, 10);
  return n > 0 ? n : undefined;
}

/**
 * Reads `page` and `page_size`: an invalid or non-positive `page_size` falls back to the default
 * and a larger one is clamped to the maximum (DRF `_positive_int(strict=True, cutoff=max)`).
 */
export function readPageRequest(url: URL, limits: PageLimits): PageRequest {
  const size = positiveInt(url.searchParams.get("page_size"));
  const pageSize = size === undefined ? limits.defaultPageSize : Math.min(size, limits.maxPageSize);
  const rawPage = url.searchParams.get("page");
  if (rawPage === null) return { page: 1, pageSize };
  if (rawPage === "last") return { page: "last", pageSize };
  return { page: positiveInt(rawPage), pageSize };
}

/** One page of items, or `undefined` when the page does not exist ("Invalid page."). */
export interface Page<T> {
  items: T[];
  number: number;
  pageCount: number;
  count: number;
  pageSize: number;
}

/** Cuts `items` into the requested page; an empty list still has page 1 (DRF allow_empty_first_page). */
export function pageOf<T>(items: readonly T[], request: PageRequest): Page<T> | undefined {
  const pageCount = Math.max(1, Math.ceil(items.length / request.pageSize));
  const number = request.page === "last" ? pageCount : request.page;
  if (number === undefined || number > pageCount) return undefined;
  const start = (number - 1) * request.pageSize;
  return {
    items: items.slice(start, start + request.pageSize),
    number,
    pageCount,
    count: items.length,
    pageSize: request.pageSize,
  };
}

/** The absolute URL of another page: the request URL with `page` replaced (page 1 drops it, as DRF does). */
export function pageUrl(url: URL, page: number): string {
  const next = new URL(url.href);
  if (page === 1) next.searchParams.delete("page");
  else next.searchParams.set("page", String(page));
  return next.href;
}

/** The DRF envelope of a page. */
export function drfEnvelope<T>(
  url: URL,
  page: Page<T>,
  results: unknown[],
): {
  count: number;
  next: string | null;
  previous: string | null;
  results: unknown[];
} {
  return {
    count: page.count,
    next: page.number < page.pageCount ? pageUrl(url, page.number + 1) : null,
    previous: page.number > 1 ? pageUrl(url, page.number - 1) : null,
    results,
  };
}
