/**
 * Everything the CertnCentric simulator assumes where certncentric-api.md has no [DOC] answer.
 * One module, so a correction from the real service (or its openapi.yaml) is a one-line change.
 * Section numbers refer to certncentric-api.md.
 */

/** Limits per API key (§2.3: [CODE] from two integrations; rolling windows are [INF]). */
export const CENTRIC_RATE_LIMIT = { perMinute: 60, perDay: 7_220 } as const;

/** Keys expire 365 days after creation (§2.2 [DOC]); the simulator's keys are created at its start. */
export const API_KEY_LIFETIME_DAYS = 365;

/** Page sizes (§2.4: default 10 from the example [INF]; max 100 [INF]). */
export const CENTRIC_PAGE_LIMITS = { defaultPageSize: 10, maxPageSize: 100 } as const;

/** `next_page`/`previous_page` hold page numbers, not URLs (§2.4 leaves it open; numbers [INF]). */
export const PAGE_LINKS_AS_NUMBERS = true;

/** Error codes (§2.5 [INF]: drf-standardized-errors defaults). */
export const CENTRIC_ERROR = {
  notAuthenticated: { code: "not_authenticated", detail: "Authentication credentials were not provided." },
  badKey: { code: "authentication_failed", detail: "Invalid API key." },
  expiredKey: { code: "authentication_failed", detail: "API key has expired." },
  notFound: { code: "not_found", detail: "Not found." },
  invalidPage: { code: "not_found", detail: "Invalid page." },
  methodNotAllowed: (method: string) => ({
    code: "method_not_allowed",
    detail: `Method "${method}" not allowed.`,
  }),
  unsupportedMediaType: (type: string) => ({
    code: "unsupported_media_type",
    detail: `Unsupported media type "${type}" in request.`,
  }),
  parseError: (message: string) => ({ code: "parse_error", detail: `JSON parse error - ${message}` }),
  throttled: (seconds: number) => ({
    code: "throttled",
    detail: `Request was throttled. Expected available in ${seconds} seconds.`,
  }),
  retired: { code: "gone", detail: "This API has been retired." },
} as const;

/** Check types the simulator accepts (§4.4 [DOC]/[CODE]); others are a validation error [INF]. */
export const CHECK_TYPES: readonly string[] = [
  "IDENTITY_VERIFICATION_1",
  "ONE_ID_2",
  "UK_DIGI_FRAUD_1",
  "NON_BIOMETRIC_ID_CANADA_1",
  "UK_MANUAL_IDENTITY_VERIFICATION_1",
  "CRIMINAL_RECORD_REPORT_1",
  "BASIC_CANADIAN_CRIMINAL_RECORD_REPORT_1",
  "BASIC_CANADIAN_CRIMINAL_RECORD_REPORT_2",
  "CREDIT_REPORT_1",
  "US_CREDIT_REPORT_1",
  "FO_CREDIT_REPORT_1",
  "CANADIAN_CREDIT_REPORT_1",
  "MOTOR_VEHICLE_RECORD_1",
];

/** Input claims a quickscreen check needs (§3.3.1; check pages [DOC] list e.g. US_CREDIT_REPORT_1). */
export const REQUIRED_QUICKSCREEN_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  CREDIT_REPORT_1: ["residences", "position_location"],
  US_CREDIT_REPORT_1: ["residences", "position_location"],
  FO_CREDIT_REPORT_1: ["residences", "position_location"],
  CANADIAN_CREDIT_REPORT_1: ["residences", "position_location"],
};

/** Check status while waiting for the applicant (§4.3: one [CODE] fake client). */
export const CHECK_AWAITING = "AWAITING_APPLICANT_SUBMISSION";

/** Statuses after which a case cannot be cancelled (§4.1 [CODE] terminal list); error text [INF]. */
export const TERMINAL_CASE_STATUSES: readonly string[] = [
  "COMPLETE",
  "CANCELLED",
  "APPLICANT_EXPIRED",
  "APPLICANT_DECLINED",
  "INVITE_UNDELIVERABLE",
];
export const CANNOT_CANCEL = "This case can no longer be cancelled.";

/** Invite links handed back with `return_invite_link` (§3.3: shape [INF]). */
export const INVITE_LINK_BASE = "https://apply.sandbox.certn.co/invite/";

/** A generated report is ready this long after it was requested (§3.7: asynchronous [DOC]; delay [INF]). */
export const REPORT_READY_MS = 3_000;
/** Lifetime of a signed report download link (§3.7 "short-lived presigned URL" [CODE]; value [INF]). */
export const REPORT_LINK_TTL_MS = 15 * 60_000;

/** Webhook payload carries both `id` and `event_id` (§5.3, §6.1 #6 [INF]). */
export const WEBHOOK_ID_KEYS = ["id", "event_id"] as const;

/** The CertnCentric path prefix. */
export const CENTRIC_PREFIX = "/api/public/";
