/** Invite, quick screen, upgrade, list, retrieve and delete of HR and PM applicants (§3.2, §3.3). */
import {
  ADJUDICATION_NONE,
  APPLICANT_LIST_FILTERS,
  DELETE_ON_B2,
  UPGRADE_REFUSED_MESSAGE,
  UPGRADEABLE_STATUSES,
} from "../../assumptions/partner-applications.ts";
import { readJsonBody } from "../../body.ts";
import { detail, json } from "../../http.ts";
import { scenarioFor } from "../../lifecycle.ts";
import { type AuthedContext, type RouteDef, route } from "../../runtime.ts";
import type { ApplicantRecord } from "../../state.ts";
import { currentPhase, renderApplicant, renderInvite } from "./applicant-view.ts";
import { type ApplicationKind, checkApplication } from "./application-input.ts";
import { notFound, paginated } from "./respond.ts";
import { SURFACES, type Surface } from "./surfaces.ts";

async function validated(ctx: AuthedContext, kind: ApplicationKind, surface: Surface) {
  const body = await readJsonBody(ctx.request);
  if (!body.ok) return { ok: false as const, response: detail(body.status, body.message) };
  const account = { smsEnabled: ctx.rt.options.smsEnabled };
  const checked = checkApplication(body.value, kind, surface, ctx.principal, ctx.rt.state, account);
  if (!checked.ok) return { ok: false as const, response: json(checked.error, 400) };
  return { ok: true as const, value: checked.value };
}

function newApplicant(
  ctx: AuthedContext,
  surface: Surface,
  mode: "invite" | "quick",
  applicationId: string,
  fields: Pick<
    ApplicantRecord,
    "email" | "phoneNumber" | "tag" | "information" | "flags" | "extra" | "ownerId"
  >,
): ApplicantRecord {
  const rec: ApplicantRecord = {
    id: ctx.rt.rng.uuid(),
    applicationId,
    kind: surface.kind,
    mode,
    createdAt: ctx.now,
    ...fields,
    scenario: scenarioFor({ lastName: fields.information.last_name, email: fields.email }, mode),
    upgrades: [],
    announced: new Set(),
  };
  ctx.rt.state.applicants.set(rec.id, rec);
  return rec;
}

function invite(surface: Surface) {
  return async (ctx: AuthedContext): Promise<Response> => {
    const input = await validated(ctx, "invite", surface);
    if (!input.ok) return input.response;
    const v = input.value;
    const applicationId = ctx.rt.rng.uuid();
    const ownerId = v.ownerId ?? ctx.rt.state.ownerId;
    const people = [
      { email: v.email, phoneNumber: v.phoneNumber, information: v.information },
      ...v.grouped.map((g) => ({ ...g, information: {} })),
    ];
    const recs = people.map((p) =>
      newApplicant(ctx, surface, "invite", applicationId, {
        email: p.email,
        phoneNumber: p.phoneNumber,
        tag: v.tag,
        information: p.information,
        flags: v.flags,
        extra: v.extra,
        ownerId,
      }),
    );
    return json(renderInvite(ctx.rt, recs, ctx.now), 201);
  };
}

function quick(surface: Surface) {
  return async (ctx: AuthedContext): Promise<Response> => {
    const input = await validated(ctx, "quick", surface);
    if (!input.ok) return input.response;
    const v = input.value;
    const rec = newApplicant(ctx, surface, "quick", ctx.rt.rng.uuid(), {
      email: v.email,
      phoneNumber: v.phoneNumber,
      tag: v.tag,
      information: v.information,
      flags: v.flags,
      extra: v.extra,
      ownerId: v.ownerId ?? ctx.rt.state.ownerId,
    });
    return json(renderApplicant(ctx.rt, rec, ctx.now), 201);
  };
}

function findApplicant(ctx: AuthedContext, surface: Surface): ApplicantRecord | undefined {
  const rec = ctx.rt.state.applicants.get((ctx.params.id ?? "").toLowerCase());
  return rec?.kind === surface.kind ? rec : undefined;
}

function upgrade(surface: Surface) {
  return async (ctx: AuthedContext): Promise<Response> => {
    const rec = findApplicant(ctx, surface);
    if (rec === undefined) return notFound();
    const input = await validated(ctx, "upgrade", surface);
    if (!input.ok) return input.response;
    // Only partial or complete results can be upgraded (§3.2): not while Pending or Analyzing.
    if (!UPGRADEABLE_STATUSES.value.includes(currentPhase(ctx.rt, rec, ctx.now).status)) {
      return json({ non_field_errors: [UPGRADE_REFUSED_MESSAGE.value] }, 400);
    }
    rec.upgrades.push({ at: ctx.now, flags: input.value.flags });
    Object.assign(rec.extra, input.value.extra);
    return json(renderApplicant(ctx.rt, rec, ctx.now));
  };
}

function retrieve(surface: Surface) {
  return (ctx: AuthedContext): Response => {
    const rec = findApplicant(ctx, surface);
    return rec ? json(renderApplicant(ctx.rt, rec, ctx.now)) : notFound();
  };
}

function remove(surface: Surface) {
  return (ctx: AuthedContext): Response => {
    const rec = findApplicant(ctx, surface);
    if (rec === undefined) return notFound();
    ctx.rt.state.applicants.delete(rec.id);
    return new Response(null, { status: 204 });
  };
}

/**
 * List parameters: those seen in public clients (§1.4 [CODE]): `ordering` (`created`, `-created`;
 * unknown values are ignored, as DRF's OrderingFilter does), `search` (space or `+` separated
 * terms, all must match name, e-mail or tag) and `adjudication_status!=ARCHIVED`; plus the
 * simulator's APPLICANT_LIST_FILTERS. Default order: chronological (§3.2).
 */
function listApplicants(surface: Surface) {
  return (ctx: AuthedContext): Response => {
    const q = ctx.url.searchParams;
    let recs = [...ctx.rt.state.applicants.values()].filter((r) => r.kind === surface.kind);
    const terms = (q.get("search") ?? "")
      .toLowerCase()
      .split(/[\s+]+/)
      .filter((t) => t !== "");
    if (terms.length > 0) {
      recs = recs.filter((r) => {
        const hay = [r.information.first_name, r.information.last_name, r.email, r.tag]
          .filter((x): x is string => typeof x === "string")
          .join(" ")
          .toLowerCase();
        return terms.every((t) => hay.includes(t));
      });
    }
    const fields: Record<string, (r: ApplicantRecord) => string> = {
      status: (r) => currentPhase(ctx.rt, r, ctx.now).status,
      report_status: (r) => currentPhase(ctx.rt, r, ctx.now).reportStatus,
      result: (r) => currentPhase(ctx.rt, r, ctx.now).result,
    };
    const phaseFilters = APPLICANT_LIST_FILTERS.value.flatMap((name) => {
      const get = fields[name];
      return get === undefined ? [] : [[name, get] as const];
    });
    for (const [name, get] of phaseFilters) {
      const wanted = q.getAll(name).map((s) => s.toLowerCase());
      if (wanted.length > 0) recs = recs.filter((r) => wanted.includes(get(r).toLowerCase()));
    }
    const adjudication = q.get("adjudication_status");
    if (adjudication !== null)
      recs = recs.filter(() => adjudication.toUpperCase() === ADJUDICATION_NONE.value);
    // `adjudication_status!=ARCHIVED` arrives as key "adjudication_status!"; nothing is archived here.
    if (q.get("ordering") === "-created") recs.reverse();
    return paginated(ctx, recs, (r) => renderApplicant(ctx.rt, r, ctx.now));
  };
}

/** Application routes on every surface. */
export const applicationRoutes: RouteDef[] = SURFACES.flatMap((s) => [
  route.partner("POST", `${s.prefix}/applications/invite/`, invite(s)),
  route.partner("POST", `${s.prefix}/applications/quick/`, quick(s)),
  route.partner("GET", `${s.prefix}/applicants/`, listApplicants(s)),
  route.partner("GET", `${s.prefix}/applicants/:id/`, retrieve(s)),
  // DELETE is seen on the B1 paths only ([CODE]); DELETE_ON_B2 serves it on B2 too.
  ...(s.gen === "B2" && !DELETE_ON_B2.value
    ? []
    : [route.partner("DELETE", `${s.prefix}/applicants/:id/`, remove(s))]),
  route.partner("PUT", `${s.prefix}/applicants/:id/packages/`, upgrade(s)),
]);
