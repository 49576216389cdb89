/** `generate-report/` → `report-files/{id}/` polling → a signed PDF link (certncentric-api.md §3.7). */

import { hmacSha256Hex } from "../../../core/hmac.ts";
import {
  REPORT_FILE_SHAPE,
  REPORT_LINK_TTL_MS,
  REPORT_REQUEST_ID_KEYS,
} from "../../assumptions/centric-cases.ts";
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
import { CENTRIC_ERROR } from "./errors.ts";
import { centricNotFound, clientError } from "./respond.ts";
import type { ReportFileRecord } from "./state.ts";

/** PENDING until `reportReadyMs` after the request, then COMPLETE (or FAILED for the reportfailed scenario). */
export function reportStatus(rt: SimRuntime, now: number, file: ReportFileRecord): string {
  const { pending, complete, failed } = REPORT_FILE_SHAPE.value;
  if (now < file.createdAt + rt.options.centric.reportReadyMs) return pending;
  return file.failed ? failed : complete;
}

/** True once the file can be downloaded. */
export function reportReady(rt: SimRuntime, now: number, file: ReportFileRecord): boolean {
  return reportStatus(rt, now, file) === REPORT_FILE_SHAPE.value.complete;
}

async function signedUrl(ctx: RouteContext, file: ReportFileRecord): Promise<string> {
  const expires = Math.floor((ctx.now + REPORT_LINK_TTL_MS.value) / 1000);
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
  });
  // Clients disagree on the id field (§3.7): it goes under every name they read.
  const ids = Object.fromEntries(REPORT_REQUEST_ID_KEYS.value.map((key) => [key, id]));
  return json({ ...ids, case_id: rec.id, status: REPORT_FILE_SHAPE.value.pending }, 201);
}

async function getReportFile(ctx: CentricContext): Promise<Response> {
  const file = ctx.rt.state.centric.reportFiles.get((ctx.params.id ?? "").toLowerCase());
  if (file === undefined) return centricNotFound();
  const status = reportStatus(ctx.rt, ctx.now, file);
  const link = reportReady(ctx.rt, ctx.now, file) ? await signedUrl(ctx, file) : null;
  // Clients read `pdf_url` or `url` (§3.7): the link goes under each.
  const links = Object.fromEntries(REPORT_FILE_SHAPE.value.linkKeys.map((key) => [key, link]));
  return json({
    id: file.id,
    case_id: file.caseId,
    status,
    language: file.language,
    created: isoTime(file.createdAt),
    ...links,
  });
}

/** The signed download: no credential, but a valid, unexpired signature. */
async function download(ctx: RouteContext): Promise<Response> {
  const file = ctx.rt.state.centric.reportFiles.get((ctx.params.id ?? "").toLowerCase());
  const expires = Number(ctx.url.searchParams.get("expires"));
  const signature = ctx.url.searchParams.get("signature") ?? "";
  const valid =
    file !== undefined &&
    reportReady(ctx.rt, ctx.now, file) &&
    Number.isInteger(expires) &&
    expires * 1000 > ctx.now &&
    signature === (await hmacSha256Hex(ctx.rt.state.centric.linkSecret, `${file.id}.${expires}`));
  if (!valid || file === undefined) {
    return clientError(403, CENTRIC_ERROR.linkRefused);
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
