/** Helpers shared by the partner routes: JSON bodies, validation and pagination in DRF's shapes. */

import { readJsonBody } from "../../body.ts";
import { detail, json } from "../../http.ts";
import { DRF } from "../../messages.ts";
import { drfEnvelope, PARTNER_PAGE_LIMITS, pageOf, readPageRequest } from "../../pagination.ts";
import type { RouteContext } from "../../runtime.ts";
import type { Validator } from "../../validate.ts";

/** A parsed and validated body, or the response to send instead. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/** Reads the JSON body and runs `validator`, answering 415/400 in DRF's shapes. */
export async function parseBody<T>(ctx: RouteContext, validator: Validator<T>): Promise<Parsed<T>> {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) return { ok: false, response: detail(body.status, body.message) };
  const checked = validator(body.value);
  if (!checked.ok) return { ok: false, response: json(checked.error, 400) };
  return { ok: true, value: checked.value };
}

/** A paginated list response (or 404 "Invalid page."). */
export function paginated<T>(ctx: RouteContext, items: readonly T[], render: (item: T) => unknown): Response {
  const page = pageOf(items, readPageRequest(ctx.url, PARTNER_PAGE_LIMITS));
  if (page === undefined) return detail(404, DRF.invalidPage);
  return json(drfEnvelope(ctx.url, page, page.items.map(render)));
}

/** 404 `{"detail": "Not found."}`. */
export function notFound(): Response {
  return detail(404, DRF.notFound);
}
