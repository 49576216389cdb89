/** CertnCentric responses: the drf-standardized-errors envelope and the pagination envelope (§2.4, §2.5). */
import { CENTRIC_ERROR, CENTRIC_PAGE_LIMITS } from "../../assumptions/centric.ts";
import { DRF } from "../../assumptions/partner.ts";
import { readJsonBody } from "../../body.ts";
import { json } from "../../http.ts";
import { pageOf, readPageRequest } from "../../pagination.ts";
import type { RouteContext } from "../../runtime.ts";
import { type ErrorTree, flattenErrors, type Validator } from "../../validate.ts";

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

const CODE_BY_MESSAGE: ReadonlyMap<string, string> = new Map([
  [DRF.required, "required"],
  [DRF.mayNotBeNull, "null"],
  [DRF.mayNotBeBlank, "blank"],
  [DRF.emptyList, "empty"],
]);

/** Flattens a DRF error tree into validation_error items with dotted `attr`s. */
export function validationErrors(tree: ErrorTree, status = 400): Response {
  const items = flattenErrors(tree).map(({ attr, detail }) => ({
    code: CODE_BY_MESSAGE.get(detail) ?? (detail.startsWith("Invalid pk") ? "does_not_exist" : "invalid"),
    detail,
    attr,
  }));
  return centricError(status, "validation_error", items);
}

/** Reads and validates a JSON body, answering in the envelope. */
export async function parseCentricBody<T>(
  ctx: RouteContext,
  validator: Validator<T>,
): Promise<{ ok: true; value: T } | { ok: false; response: Response }> {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) {
    const contentType = ctx.request.headers.get("content-type") ?? "";
    const error =
      body.status === 415
        ? CENTRIC_ERROR.unsupportedMediaType(contentType)
        : { code: "parse_error", detail: body.message };
    return { ok: false, response: clientError(body.status, error) };
  }
  const checked = validator(body.value);
  if (!checked.ok) return { ok: false, response: validationErrors(checked.error) };
  return { ok: true, value: checked.value };
}

/** A page in the CertnCentric envelope (`next_page`/`previous_page` as numbers, §2.4 [INF]). */
export function centricPage<T>(
  ctx: RouteContext,
  items: readonly T[],
  render: (item: T) => unknown,
): Response {
  const page = pageOf(items, readPageRequest(ctx.url, CENTRIC_PAGE_LIMITS));
  if (page === undefined) return clientError(404, CENTRIC_ERROR.invalidPage);
  return json({
    pagination: {
      result_count: page.count,
      page_count: page.pageCount,
      page_size: page.pageSize,
      current_page: page.number,
      next_page: page.number < page.pageCount ? page.number + 1 : null,
      previous_page: page.number > 1 ? page.number - 1 : null,
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
