/** Case routes: list, get, order, order-package, cancel, supplementary (certncentric-api.md §3). */
import { CANNOT_CANCEL, TERMINAL_CASE_STATUSES } from "../../assumptions/centric.ts";
import { readJsonBody } from "../../body.ts";
import { json } from "../../http.ts";
import { type CentricContext, type RouteDef, route } from "../../runtime.ts";
import { centricScenarioFor } from "./case-lifecycle.ts";
import { renderCase, statusAt } from "./case-view.ts";
import { checkOrder } from "./order-input.ts";
import {
  centricError,
  centricNotFound,
  centricPage,
  clientError,
  queryList,
  validationErrors,
} from "./respond.ts";
import { type CaseRecord, shortId } from "./state.ts";

function order(fromPackage: boolean) {
  return async (ctx: CentricContext): Promise<Response> => {
    const body = await readJsonBody(ctx.request);
    if (!body.ok) {
      const type = ctx.request.headers.get("content-type") ?? "";
      const code = body.status === 415 ? "unsupported_media_type" : "parse_error";
      const detail = body.status === 415 ? `Unsupported media type "${type}" in request.` : body.message;
      return clientError(body.status, { code, detail });
    }
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
      announced: new Set(),
    };
    ctx.rt.state.centric.cases.set(id, rec);
    return json(renderCase(ctx.rt, rec, ctx.now), 201);
  };
}

function dateBound(raw: string | null, end: boolean): number | undefined {
  if (raw === null || raw === "") return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  const ms = Date.parse(dateOnly ? `${raw}T00:00:00Z` : raw);
  if (Number.isNaN(ms)) return undefined;
  return dateOnly && end ? ms + 86_399_999 : ms;
}

/**
 * Filters of certncentric-api.md §3.2 (arrays as repeated keys, also `key[]`), newest first
 * (the order is not documented).
 */
function listCases(ctx: CentricContext): Response {
  const url = ctx.url;
  const many = (name: string) => [...queryList(url, name), ...queryList(url, `${name}[]`)];
  let cases = [...ctx.rt.state.centric.cases.values()].reverse();
  const statuses = many("overall_status");
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

/** Cancel answers 200 with the cancelled case (certn-api.md §7 #15 [INF]; one client says 204). */
function cancelCase(ctx: CentricContext): Response {
  const rec = findCase(ctx);
  if (rec === undefined) return centricNotFound();
  if (TERMINAL_CASE_STATUSES.includes(statusAt(ctx.rt, rec, ctx.now))) {
    return centricError(400, "validation_error", [{ code: "invalid", detail: CANNOT_CANCEL, attr: null }]);
  }
  rec.cancelledAt = ctx.now;
  return json(renderCase(ctx.rt, rec, ctx.now));
}

/** Supplementary files and information: shapes not documented (§3.1); empty pages. */
function supplementary(ctx: CentricContext): Response {
  return findCase(ctx) ? centricPage(ctx, [], (x) => x) : centricNotFound();
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
