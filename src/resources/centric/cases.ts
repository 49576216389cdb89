/** `client.centric.cases`: list, read, order, cancel and report on CertnCentric cases (`/api/public/cases/`). */
import { CertnResponseError } from "../../core/errors.ts";
import { isRecord } from "../../core/json.ts";
import { type CallOptions, segment } from "../context.ts";
import { checkCheckTypes, checkOrderBody, checkPackageId } from "./order-checks.ts";
import { type CentricListResource, type CentricRequester, centricListResource } from "./pagination.ts";
import { firstId, firstString } from "./read-fields.ts";
import type {
  CertnCentricCase,
  CertnCentricCaseListParams,
  CertnCentricCaseOrder,
  CertnCentricCaseOrderFields,
  CertnCentricGenerateReportOptions,
  CertnCentricLinkInvite,
  CertnCentricLinkInviteCase,
  CertnCentricOrderedCase,
  CertnCentricPackageOrder,
  CertnCentricReportFile,
  CertnCentricReportRequest,
} from "./types.ts";

const BASE = "/api/public/cases/";

/** `client.centric.cases`. */
export interface CertnCentricCasesResource
  extends CentricListResource<CertnCentricCase, CertnCentricCaseListParams> {
  /** One case with its checks and results. */
  get(id: string, options?: CallOptions): Promise<CertnCentricCase>;
  /**
   * Orders a case from check types (`POST /api/public/cases/order/`). **Orders paid checks.**
   * The mode is the body's shape: `send_invite_email: true`, `return_invite_link: true` (the answer
   * then carries `invite_link`), or `input_claims` for a quickscreen. Never retried after an
   * ambiguous failure.
   */
  order(
    body: CertnCentricCaseOrderFields & CertnCentricLinkInvite,
    options?: CallOptions,
  ): Promise<CertnCentricLinkInviteCase>;
  order(body: CertnCentricCaseOrder, options?: CallOptions): Promise<CertnCentricOrderedCase>;
  /**
   * Orders a case from a saved package (`POST /api/public/cases/order-package/`). **Orders paid
   * checks.** Body shape from public code only: `{ package, email_address }`, plus an optional mode.
   */
  orderPackage(body: CertnCentricPackageOrder, options?: CallOptions): Promise<CertnCentricOrderedCase>;
  /**
   * Cancels a case. Public code disagrees about the answer (open question §6.2 Q9), so any JSON
   * object is a success and is returned as it is (the case, `{}`, `{ detail }`); `undefined` for
   * no body (204).
   */
  cancel(id: string, options?: CallOptions): Promise<CertnCentricCase | Record<string, unknown> | undefined>;
  /**
   * Asks for a PDF report; Certn signals completion with `CASE_REPORT_READY`, or poll
   * {@link CertnCentricCasesResource.reportFile}. Resolves to the answer as given, with
   * `reportFileId` added.
   */
  generateReport(
    id: string,
    report?: CertnCentricGenerateReportOptions,
    options?: CallOptions,
  ): Promise<CertnCentricReportRequest>;
  /**
   * A generated report file as given, with `id`, `status` and `pdfUrl` (null until `COMPLETE`, then
   * a short-lived PDF link) added.
   */
  reportFile(reportFileId: string, options?: CallOptions): Promise<CertnCentricReportFile>;
  /** Files attached to a case. The response shape is undocumented, so it is returned as is. */
  supplementaryFiles(id: string, options?: CallOptions): Promise<unknown>;
  /** Extra case information. The response shape is undocumented, so it is returned as is. */
  supplementaryInformation(id: string, options?: CallOptions): Promise<unknown>;
}

function checkCase(value: unknown, where: string): CertnCentricCase {
  if (!isRecord(value)) throw new CertnResponseError(`${where}: expected a case object`);
  if (typeof value.id !== "string" || value.id === "") {
    throw new CertnResponseError(`${where}: case field "id" must be a non-empty string`);
  }
  return value as CertnCentricCase;
}

/** Builds `client.centric.cases`. */
export function createCentricCases(ctx: CentricRequester): CertnCentricCasesResource {
  const casePath = (id: string, rest = "") => `${BASE}${segment(id)}/${rest}`;

  async function placeOrder(
    path: string,
    body: Record<string, unknown>,
    mode: string,
    options?: CallOptions,
  ) {
    const where = `POST ${path}`;
    const ordered = checkCase(await ctx.request("POST", path, { ...options, json: body }), where);
    if (mode === "link-invite" && typeof ordered.invite_link !== "string") {
      throw new CertnResponseError(
        `${where}: "invite_link" missing from the answer although "return_invite_link" was true (case ${ordered.id} was created)`,
      );
    }
    return ordered;
  }

  return {
    ...centricListResource<CertnCentricCase, CertnCentricCaseListParams>(ctx, BASE),
    get: async (id, options) => {
      const path = casePath(id);
      return checkCase(await ctx.request("GET", path, { ...options }), `GET ${path}`);
    },
    order: (async (body: Record<string, unknown>, options?: CallOptions) => {
      const path = `${BASE}order/`;
      const mode = checkOrderBody(body, `cases.order`, false);
      checkCheckTypes(body, "cases.order");
      return placeOrder(path, body, mode, options);
    }) as CertnCentricCasesResource["order"],
    orderPackage: async (body, options) => {
      const path = `${BASE}order-package/`;
      const mode = checkOrderBody(body, "cases.orderPackage", true);
      checkPackageId(body, "cases.orderPackage");
      return placeOrder(path, body, mode, options);
    },
    cancel: async (id, options) => {
      const path = casePath(id, "cancel/");
      const body = await ctx.request("POST", path, { ...options });
      if (body !== undefined && !isRecord(body)) {
        throw new CertnResponseError(
          `POST ${path}: expected a JSON object or no body (the case was cancelled)`,
        );
      }
      return body;
    },
    generateReport: async (id, report, options) => {
      const path = casePath(id, "generate-report/");
      const json = report?.language === undefined ? {} : { language: report.language };
      const body = await ctx.request("POST", path, { ...options, json });
      // Open question §6.2 Q3: public clients read the id from any of these three fields.
      const reportFileId = firstId(body, ["case_report_file_id", "id", "report_file_id"]);
      if (reportFileId === undefined) {
        throw new CertnResponseError(
          `POST ${path}: the answer names no report file ("case_report_file_id", "id" or "report_file_id")`,
        );
      }
      return { ...(body as Record<string, unknown>), reportFileId };
    },
    reportFile: async (reportFileId, options) => {
      const path = `${BASE}report-files/${segment(reportFileId, "reportFileId")}/`;
      const body = await ctx.request("GET", path, { ...options });
      if (!isRecord(body)) throw new CertnResponseError(`GET ${path}: expected a report-file object`);
      if (typeof body.status !== "string" || body.status === "") {
        throw new CertnResponseError(`GET ${path}: report-file field "status" must be a non-empty string`);
      }
      // Open question §6.2 Q3: the link's field name differs between public clients.
      const pdfUrl = firstString(body, ["pdf_url", "url", "file_url", "download_url"]) ?? null;
      return { ...body, id: firstId(body, ["id"]) ?? reportFileId, status: body.status, pdfUrl };
    },
    supplementaryFiles: async (id, options) =>
      ctx.request("GET", casePath(id, "supplementary-files/"), { ...options }),
    supplementaryInformation: async (id, options) =>
      ctx.request("GET", casePath(id, "supplementary-information/"), { ...options }),
  };
}
