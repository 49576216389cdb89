/** CertnCentric responses: the drf-standardized-errors envelope and the pagination envelope (§2.4, §2.5). */
import {
  CENTRIC_DEFAULT_PAGE_SIZE,
  CENTRIC_ERROR_CODES,
  CENTRIC_MAX_PAGE_SIZE,
  FIELD_ERROR_CODE,
  PAGE_LINKS_AS_NUMBERS,
  REQUIRED_FIELD_ERROR,
} from "../../assumptions/centric.ts";
import { fill } from "../../assumptions/label.ts";
import { type BodyResult, readJsonBody } from "../../body.ts";
import { json } from "../../http.ts";
import { DRF } from "../../messages.ts";
import { pageOf, pageUrl, readPageRequest } from "../../pagination.ts";
import type { RouteContext } from "../../runtime.ts";
import { type ErrorTree, flattenErrors, type Validator } from "../../validate.ts";
import { CENTRIC_ERROR } from "./errors.ts";

/** One error of the envelope. */
export interface CentricErrorItem {
  code: string;
  detail: string;
  attr: string | null;
}

/** `{type, errors: [...]}` with `status`. */
export function centricError(
  status: number,
  type: "validation_error" | "client_error" | "server_error",
  errors: readonly CentricErrorItem[],
  headers?: Record<string, string>,
): Response {
  return json({ type, errors }, status, headers);
}

/** A single `client_error` without an attribute. */
export function clientError(
  status: number,
  error: { code: string; detail: string },
  headers?: Record<string, string>,
): Response {
  return centricError(status, "client_error", [{ ...error, attr: null }], headers);
}

/** 404 not_found. */
export function centricNotFound(): Response {
  return clientError(404, CENTRIC_ERROR.notFound);
}

/**
 * Flattens a DRF error tree into validation_error items with dotted `attr`s: a missing field as
 * the documented example words it, every other error with DRF's message (certncentric-api.md §2.5).
 */
export function validationErrors(tree: ErrorTree, status = 400): Response {
  const items = flattenErrors(tree).map(({ attr, detail }) =>
    detail === DRF.required
      ? {
          code: REQUIRED_FIELD_ERROR.value.code,
          detail: fill(REQUIRED_FIELD_ERROR.value.detail, { attr: attr ?? "body" }),
          attr,
        }
      : { code: FIELD_ERROR_CODE.value, detail, attr },
  );
  return centricError(status, "validation_error", items);
}

/** The 415/400 of a body that could not be read, in the envelope. */
export function bodyError(request: Request, body: Extract<BodyResult, { ok: false }>): Response {
  const contentType = request.headers.get("content-type") ?? "";
  const error =
    body.status === 415
      ? CENTRIC_ERROR.unsupportedMediaType(contentType)
      : { code: CENTRIC_ERROR_CODES.value.parseError, detail: body.message };
  return clientError(body.status, error);
}

/** Reads and validates a JSON body, answering in the envelope. */
export async function parseCentricBody<T>(
  ctx: RouteContext,
  validator: Validator<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) return { ok: false, response: bodyError(ctx.request, body) };
  const checked = validator(body.value);
  if (!checked.ok) return { ok: false, response: validationErrors(checked.error) };
  return { ok: true, value: checked.value };
}

/** A neighbouring page: its number, or its URL when PAGE_LINKS_AS_NUMBERS says otherwise. */
function link(url: URL, page: number): number | string {
  return PAGE_LINKS_AS_NUMBERS.value ? page : pageUrl(url, page);
}

/** A page in the CertnCentric envelope (certncentric-api.md §2.4). */
export function centricPage<T>(
  ctx: RouteContext,
  items: readonly T[],
  render: (item: T) => unknown,
): Response {
  const limits = {
    defaultPageSize: CENTRIC_DEFAULT_PAGE_SIZE.value,
    maxPageSize: CENTRIC_MAX_PAGE_SIZE.value,
  };
  const page = pageOf(items, readPageRequest(ctx.url, limits));
  if (page === undefined) return clientError(404, CENTRIC_ERROR.invalidPage);
  return json({
    pagination: {
      result_count: page.count,
      page_count: page.pageCount,
      page_size: page.pageSize,
      current_page: page.number,
      next_page: page.number < page.pageCount ? link(ctx.url, page.number + 1) : null,
      previous_page: page.number > 1 ? link(ctx.url, page.number - 1) : null,
    },
    results: page.items.map(render),
  });
}

/** Values of a repeatable query filter (`?k=a&k=b`, also `k=a,b`). */
export function queryList(url: URL, name: string): string[] {
  return url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

/** Applies a boolean query filter (`true`/`false`) when present. */
export function boolFilter(url: URL, name: string): boolean | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  return ["true", "1", "True"].includes(raw);
}
