/** PDF, hosted-link and HTML reports of an applicant (certn-api.md §3.3, §3.4, §7 #11). */
import { fill } from "../../assumptions/label.ts";
import {
  HOSTED_REPORT_LINK,
  INCOMPLETE_REPORT,
  REPORTS_ON_EVERY_SURFACE,
} from "../../assumptions/partner-applications.ts";
import { isoTime, json } from "../../http.ts";
import { renderPdf } from "../../pdf.ts";
import { type AuthedContext, type RouteDef, route } from "../../runtime.ts";
import type { ApplicantRecord } from "../../state.ts";
import { currentPhase } from "./applicant-view.ts";
import { notFound } from "./respond.ts";
import { SURFACES, type Surface } from "./surfaces.ts";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function reportLines(ctx: AuthedContext, rec: ApplicantRecord): [string, string][] {
  const phase = currentPhase(ctx.rt, rec, ctx.now);
  const name = [rec.information.first_name, rec.information.last_name]
    .filter((x) => typeof x === "string")
    .join(" ");
  return [
    ["Applicant", name || (rec.email ?? "")],
    ["Applicant id", rec.id],
    ["Application id", rec.applicationId],
    ["Report status", phase.reportStatus],
    ["Result", phase.result],
    ["Checks", [...rec.flags, ...rec.upgrades.flatMap((u) => u.flags)].join(", ")],
    ["Generated", isoTime(ctx.now)],
  ];
}

/** The applicant, or the 404/400 that stands in for the report. */
function returnedApplicant(ctx: AuthedContext, surface: Surface): ApplicantRecord | Response {
  const rec = ctx.rt.state.applicants.get((ctx.params.id ?? "").toLowerCase());
  if (rec?.kind !== surface.kind) return notFound();
  if (currentPhase(ctx.rt, rec, ctx.now).status !== "Returned") {
    return json({ non_field_errors: [INCOMPLETE_REPORT.value[surface.kind]] }, 400);
  }
  return rec;
}

function pdf(surface: Surface) {
  return (ctx: AuthedContext): Response => {
    const rec = returnedApplicant(ctx, surface);
    if (rec instanceof Response) return rec;
    const bytes = renderPdf(
      "Certn background report (simulated)",
      reportLines(ctx, rec).map(([k, v]) => `${k}: ${v}`),
    );
    return new Response(bytes, {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `attachment; filename="certn-report-${rec.id}.pdf"`,
      },
    });
  };
}

function web(surface: Surface) {
  return (ctx: AuthedContext): Response => {
    const rec = returnedApplicant(ctx, surface);
    if (rec instanceof Response) return rec;
    const rows = reportLines(ctx, rec)
      .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
      .join("");
    const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Certn report ${escapeHtml(rec.id)}</title></head><body><h1>Certn background report (simulated)</h1><table>${rows}</table></body></html>`;
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  };
}

function link(surface: Surface) {
  return (ctx: AuthedContext): Response => {
    const rec = returnedApplicant(ctx, surface);
    if (rec instanceof Response) return rec;
    return json({
      url: fill(HOSTED_REPORT_LINK.value, { app: ctx.rt.options.appUrl, kind: surface.kind, id: rec.id }),
    });
  };
}

/** Report routes on every surface: `{prefix}/reports/{applicant_id}/{pdf,web,link}/`. */
export const reportRoutes: RouteDef[] = SURFACES.filter(
  // Only the classic PM paths are seen ([CODE]); the others mirror them (REPORTS_ON_EVERY_SURFACE).
  (s) => REPORTS_ON_EVERY_SURFACE.value || (s.gen === "B1" && s.kind === "pm"),
).flatMap((s) => [
  route.partner("GET", `${s.prefix}/reports/:id/pdf/`, pdf(s)),
  route.partner("GET", `${s.prefix}/reports/:id/web/`, web(s)),
  route.partner("GET", `${s.prefix}/reports/:id/link/`, link(s)),
]);
