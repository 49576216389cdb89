/**
 * HR and PM applications and reports under `/api/v1/hr/` and `/api/v1/pm/`. Invites return an
 * application whose applicant ids are what `get`, `upgrade` and the reports take.
 */
import { CertnResponseError } from "../core/errors.ts";
import { type CallOptions, type ResourceContext, segment } from "./context.ts";
import { type ListResource, listResource } from "./pagination.ts";
import type {
  Applicant,
  HrInviteResponse,
  InviteRequest,
  PmInviteRequest,
  PmInviteResponse,
  QuickScreenRequest,
  ReportLink,
  UpgradeRequest,
} from "./types.ts";

/** Applications of one product line. */
export interface ApplicationsResource<TInviteRequest, TInviteResponse> extends ListResource<Applicant> {
  /** E-mails the applicant a link (201). Orders checks: may cost money on production. */
  invite(body: TInviteRequest, options?: CallOptions): Promise<TInviteResponse>;
  /** Screens from the data given, no applicant interaction (201). Orders checks. */
  quick(body: QuickScreenRequest, options?: CallOptions): Promise<Applicant>;
  /** Adds checks to an applicant (`PUT .../applicants/{id}/packages/`). Orders checks. */
  upgrade(applicantId: string, body: UpgradeRequest, options?: CallOptions): Promise<Applicant>;
  /** One applicant (poll until `status` is `Returned`). */
  get(applicantId: string, options?: CallOptions): Promise<Applicant>;
}

/** Reports of a finished applicant. */
export interface ReportsResource {
  /** The PDF report's bytes. */
  pdf(applicantId: string, options?: CallOptions): Promise<Uint8Array>;
  /** A link to a hosted PDF report. */
  link(applicantId: string, options?: CallOptions): Promise<ReportLink>;
  /** The HTML report. */
  html(applicantId: string, options?: CallOptions): Promise<string>;
}

/** `client.hr` and `client.pm`. */
export interface ProductResource<TInviteRequest, TInviteResponse> {
  applications: ApplicationsResource<TInviteRequest, TInviteResponse>;
  reports: ReportsResource;
}

/** `client.hr`. */
export type HrResource = ProductResource<InviteRequest, HrInviteResponse>;
/** `client.pm`. */
export type PmResource = ProductResource<PmInviteRequest, PmInviteResponse>;

function createProduct<TInviteRequest, TInviteResponse>(
  ctx: ResourceContext,
  prefix: string,
): ProductResource<TInviteRequest, TInviteResponse> {
  const applicant = (id: string) => `${prefix}/applicants/${segment(id, "applicantId")}/`;
  const report = (id: string, kind: string) => `${prefix}/reports/${segment(id, "applicantId")}/${kind}/`;
  const post = async <T>(action: string, body: unknown, options?: CallOptions) =>
    ctx.request<T>("POST", `${prefix}/applications/${action}/`, { ...options, json: body });
  return {
    applications: {
      ...listResource<Applicant>(ctx, `${prefix}/applicants/`),
      invite: (body, options) => post<TInviteResponse>("invite", body, options),
      quick: (body, options) => post<Applicant>("quick", body, options),
      upgrade: async (id, body, options) =>
        ctx.request<Applicant>("PUT", `${applicant(id)}packages/`, { ...options, json: body }),
      get: async (id, options) => ctx.request<Applicant>("GET", applicant(id), options),
    },
    reports: {
      pdf: async (id, options) => (await ctx.call("GET", report(id, "pdf"), options, "bytes")) as Uint8Array,
      link: async (id, options) => {
        const where = report(id, "link");
        const body = await ctx.request<Partial<ReportLink> | null>("GET", where, options);
        if (typeof body?.url !== "string") {
          throw new CertnResponseError(`GET ${where}: report link field "url" must be a string`);
        }
        return body as ReportLink;
      },
      html: async (id, options) => (await ctx.call("GET", report(id, "web"), options, "text")) as string,
    },
  };
}

/** Builds `client.hr`. */
export function createHr(ctx: ResourceContext): HrResource {
  return createProduct<InviteRequest, HrInviteResponse>(ctx, "/api/v1/hr");
}

/** Builds `client.pm`. */
export function createPm(ctx: ResourceContext): PmResource {
  return createProduct<PmInviteRequest, PmInviteResponse>(ctx, "/api/v1/pm");
}
