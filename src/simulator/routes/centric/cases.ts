/** Case routes: list, get, order, order-package, cancel, supplementary (certncentric-api.md §3). */
import {
  CASE_STATUSES_DOCUMENTED,
  CASE_STATUSES_SEEN,
  FIELD_ERROR_CODE,
  UNKNOWN_FILTER_CHOICE,
} from "../../assumptions/centric.ts";
import {
  CANCEL_STATUS,
  CANNOT_CANCEL,
  CASE_LIST_NEWEST_FIRST,
  ORDER_STATUS,
  SUPPLEMENTARY_ITEMS,
  TERMINAL_CASE_STATUSES,
} from "../../assumptions/centric-cases.ts";
import { fill } from "../../assumptions/label.ts";
import { readJsonBody } from "../../body.ts";
import { json } from "../../http.ts";
import { type CentricContext, type RouteDef, route } from "../../runtime.ts";
import { centricScenarioFor } from "./case-lifecycle.ts";
import { renderCase, statusAt } from "./case-view.ts";
import { checkOrder } from "./order-input.ts";
import {
  bodyError,
  centricError,
  centricNotFound,
  centricPage,
  queryList,
  validationErrors,
} from "./respond.ts";
import { type CaseRecord, shortId } from "./state.ts";

function order(fromPackage: boolean) {
  return async (ctx: CentricContext): Promise<Response> => {
    const body = await readJsonBody(ctx.request);
    if (!body.ok) return bodyError(ctx.request, body);
    const checked = checkOrder(body.value, ctx.rt.state.centric, fromPackage);
    if (!checked.ok) return validationErrors(checked.error, checked.status);
    const v = checked.value;
    const { rng } = ctx.rt;
    const id = rng.uuid();
    const claims = v.inputClaims;
    const familyName =
      claims && typeof claims.name === "object" && claims.name !== null
        ? (claims.name as Record<string, unknown>).family_name
        : undefined;
    const rec: CaseRecord = {
      id,
      shortId: shortId(rng, "CS"),
      createdAt: ctx.now,
      emailAddress: v.emailAddress,
      mode: v.mode,
      inviteToken: v.mode === "invite_link" ? rng.string(24, "abcdefghijklmnopqrstuvwxyz0123456789") : null,
      checkTypes: v.checkTypes,
      checkIds: Object.fromEntries(Object.keys(v.checkTypes).map((type) => [type, rng.uuid()])),
      inputClaims: claims,
      group: v.group,
      orderedBy: v.orderedBy,
      packageId: v.packageId,
      tags: v.tags,
      permissiblePurpose: v.permissiblePurpose,
      scenario: centricScenarioFor(familyName, v.emailAddress, v.mode === "quickscreen"),
      cancelledAt: null,
    };
    ctx.rt.state.centric.cases.set(id, rec);
    return json(renderCase(ctx.rt, rec, ctx.now), ORDER_STATUS.value);
  };
}

function dateBound(raw: string | null, end: boolean): number | undefined {
  if (raw === null || raw === "") return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const ms = Date.parse(dateOnly ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(ms)) return undefined;
  return dateOnly && end ? ms + 86_399_999 : ms;
}

const CASE_STATUSES = new Set([...CASE_STATUSES_DOCUMENTED.value, ...CASE_STATUSES_SEEN.value]);

/** The 400 of an `overall_status` value outside the enum (certncentric-api.md §3.2, §4.1). */
function unknownStatus(values: readonly string[]): Response | undefined {
  const unknown = values.filter((v) => !CASE_STATUSES.has(v));
  if (unknown.length === 0) return undefined;
  const errors = unknown.map((value) => ({
    code: FIELD_ERROR_CODE.value,
    detail: fill(UNKNOWN_FILTER_CHOICE.value.detail, { value }),
    attr: "overall_status",
  }));
  return centricError(UNKNOWN_FILTER_CHOICE.value.status, "validation_error", errors);
}

/**
 * Filters of certncentric-api.md §3.2 (arrays as repeated keys, also `key[]`); the order is the
 * simulator's (newest first).
 */
function listCases(ctx: CentricContext): Response {
  const url = ctx.url;
  const many = (name: string) => [...queryList(url, name), ...queryList(url, `${name}[]`)];
  const all = [...ctx.rt.state.centric.cases.values()];
  let cases = CASE_LIST_NEWEST_FIRST.value ? all.reverse() : all;
  const statuses = many("overall_status");
  const refused = unknownStatus(statuses);
  if (refused) return refused;
  if (statuses.length > 0) cases = cases.filter((c) => statuses.includes(statusAt(ctx.rt, c, ctx.now)));
  const types = many("check_type");
  if (types.length > 0) cases = cases.filter((c) => Object.keys(c.checkTypes).some((t) => types.includes(t)));
  const groups = many("group");
  if (groups.length > 0) cases = cases.filter((c) => c.group !== null && groups.includes(c.group));
  const orderedBy = many("ordered_by");
  if (orderedBy.length > 0)
    cases = cases.filter((c) => c.orderedBy !== null && orderedBy.includes(c.orderedBy));
  const tags = many("tag");
  if (tags.length > 0) cases = cases.filter((c) => c.tags.some((t) => tags.includes(t)));
  const emailAddress = url.searchParams.get("email_address");
  if (emailAddress) cases = cases.filter((c) => c.emailAddress.toLowerCase() === emailAddress.toLowerCase());
  const after = dateBound(url.searchParams.get("order_timeframe_after"), false);
  const before = dateBound(url.searchParams.get("order_timeframe_before"), true);
  if (after !== undefined) cases = cases.filter((c) => c.createdAt >= after);
  if (before !== undefined) cases = cases.filter((c) => c.createdAt <= before);
  return centricPage(ctx, cases, (c) => renderCase(ctx.rt, c, ctx.now));
}

function findCase(ctx: CentricContext): CaseRecord | undefined {
  return ctx.rt.state.centric.cases.get((ctx.params.id ?? "").toLowerCase());
}

function getCase(ctx: CentricContext): Response {
  const rec = findCase(ctx);
  return rec ? json(renderCase(ctx.rt, rec, ctx.now)) : centricNotFound();
}

/** Cancel answers 204 No Content (certncentric-api.md §3.6); a terminal case cannot be cancelled. */
function cancelCase(ctx: CentricContext): Response {
  const rec = findCase(ctx);
  if (rec === undefined) return centricNotFound();
  if (TERMINAL_CASE_STATUSES.value.includes(statusAt(ctx.rt, rec, ctx.now))) {
    const { status, detail } = CANNOT_CANCEL.value;
    return centricError(status, "validation_error", [{ code: FIELD_ERROR_CODE.value, detail, attr: null }]);
  }
  rec.cancelledAt = ctx.now;
  return new Response(null, { status: CANCEL_STATUS.value });
}

/** Supplementary files and information: shapes not documented (§3.1), so empty pages. */
function supplementary(ctx: CentricContext): Response {
  if (!findCase(ctx)) return centricNotFound();
  return centricPage(ctx, SUPPLEMENTARY_ITEMS.value, (x) => x);
}

/** The case routes. */
export const caseRoutes: RouteDef[] = [
  route.centric("GET", "/api/public/cases/", listCases),
  route.centric("POST", "/api/public/cases/order/", order(false)),
  route.centric("POST", "/api/public/cases/order-package/", order(true)),
  route.centric("GET", "/api/public/cases/:id/", getCase),
  route.centric("POST", "/api/public/cases/:id/cancel/", cancelCase),
  route.centric("GET", "/api/public/cases/:id/supplementary-files/", supplementary),
  route.centric("GET", "/api/public/cases/:id/supplementary-information/", supplementary),
];
