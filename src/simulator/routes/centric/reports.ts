/** `generate-report/` → `report-files/{id}/` polling → a signed PDF link (certncentric-api.md §3.7). */

import { hmacSha256Hex } from "../../../core/hmac.ts";
import { REPORT_LINK_TTL_MS } from "../../assumptions/centric.ts";
import { readJsonBody } from "../../body.ts";
import { isObject, isoTime, json } from "../../http.ts";
import { renderPdf } from "../../pdf.ts";
import {
  type CentricContext,
  type RouteContext,
  type RouteDef,
  route,
  type SimRuntime,
} from "../../runtime.ts";
import { statusAt } from "./case-view.ts";
import { centricNotFound, clientError } from "./respond.ts";
import type { ReportFileRecord } from "./state.ts";

/** PENDING until `reportReadyMs` after the request, then COMPLETE (or FAILED for the reportfailed scenario). */
export function reportStatus(
  rt: SimRuntime,
  now: number,
  file: ReportFileRecord,
): "PENDING" | "COMPLETE" | "FAILED" {
  if (now < file.createdAt + rt.options.centric.reportReadyMs) return "PENDING";
  return file.failed ? "FAILED" : "COMPLETE";
}

async function signedUrl(ctx: RouteContext, file: ReportFileRecord): Promise<string> {
  const expires = Math.floor((ctx.now + REPORT_LINK_TTL_MS) / 1000);
  const signature = await hmacSha256Hex(ctx.rt.state.centric.linkSecret, `${file.id}.${expires}`);
  return `${ctx.url.origin}/api/public/report-files/${file.id}/download/?expires=${expires}&signature=${signature}`;
}

async function generateReport(ctx: CentricContext): Promise<Response> {
  const rec = ctx.rt.state.centric.cases.get((ctx.params.id ?? "").toLowerCase());
  if (rec === undefined) return centricNotFound();
  const body = await readJsonBody(ctx.request);
  const language =
    body.ok && isObject(body.value) && typeof body.value.language === "string"
      ? body.value.language
      : "en-CA";
  const id = ctx.rt.rng.uuid();
  ctx.rt.state.centric.reportFiles.set(id, {
    id,
    caseId: rec.id,
    createdAt: ctx.now,
    language,
    failed: rec.scenario === "report_failed",
    announced: false,
  });
  // Clients disagree on the id field (§3.7): send `id` and `case_report_file_id`.
  return json({ id, case_report_file_id: id, case_id: rec.id, status: "PENDING" }, 201);
}

async function getReportFile(ctx: CentricContext): Promise<Response> {
  const file = ctx.rt.state.centric.reportFiles.get((ctx.params.id ?? "").toLowerCase());
  if (file === undefined) return centricNotFound();
  const status = reportStatus(ctx.rt, ctx.now, file);
  const link = status === "COMPLETE" ? await signedUrl(ctx, file) : null;
  // Clients read `pdf_url` or `url` (§3.7): both are sent.
  return json({
    id: file.id,
    case_id: file.caseId,
    status,
    language: file.language,
    created: isoTime(file.createdAt),
    pdf_url: link,
    url: link,
  });
}

/** The signed download: no credential, but a valid, unexpired signature. */
async function download(ctx: RouteContext): Promise<Response> {
  const file = ctx.rt.state.centric.reportFiles.get((ctx.params.id ?? "").toLowerCase());
  const expires = Number(ctx.url.searchParams.get("expires"));
  const signature = ctx.url.searchParams.get("signature") ?? "";
  const valid =
    file !== undefined &&
    reportStatus(ctx.rt, ctx.now, file) === "COMPLETE" &&
    Number.isInteger(expires) &&
    expires * 1000 > ctx.now &&
    signature === (await hmacSha256Hex(ctx.rt.state.centric.linkSecret, `${file.id}.${expires}`));
  if (!valid || file === undefined) {
    return clientError(403, {
      code: "permission_denied",
      detail: "The link has expired or its signature is invalid.",
    });
  }
  const rec = ctx.rt.state.centric.cases.get(file.caseId);
  const lines = [
    `Case id: ${file.caseId}`,
    `Overall status: ${rec ? statusAt(ctx.rt, rec, ctx.now) : "unknown"}`,
    `Language: ${file.language}`,
    `Generated: ${isoTime(file.createdAt)}`,
  ];
  return new Response(renderPdf("CertnCentric case report (simulated)", lines), {
    headers: { "content-type": "application/pdf" },
  });
}

/** The report routes. */
export const centricReportRoutes: RouteDef[] = [
  route.centric("POST", "/api/public/cases/:id/generate-report/", generateReport),
  route.centric("GET", "/api/public/cases/report-files/:id/", getReportFile),
  route.open("GET", "/api/public/report-files/:id/download/", download),
];
