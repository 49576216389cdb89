/**
 * CertnCentric's enumerations as string unions that stay open: the reference lists only what it
 * could read (certncentric-api.md §4), so every union also accepts any other string, while editors
 * still suggest the known values.
 */

/** Any string, kept apart from the literals so editors still suggest the known values. */
export type OpenString = string & {};

/**
 * A case's `overall_status`, in Certn's precedence order (certncentric-api.md §4.1). Values after
 * `APPLICANT_OPENED` are seen in public code only.
 */
export type CertnCentricCaseStatus =
  | "DRAFT"
  | "CASE_ORDERED"
  | "INVITE_UNDELIVERABLE"
  | "APPLICANT_EXPIRED"
  | "APPLICANT_INVITED"
  | "APPLICANT_OPENED"
  | "APPLICANT_STARTED"
  | "APPLICANT_SUBMITTED"
  | "IN_DISPUTE"
  | "IN_PROGRESS"
  | "PENDING_FULFILLMENT"
  | "APPLICANT_ACTION_REQUIRED"
  | "CLIENT_ACTION_REQUIRED"
  | "APPLICANT_DECLINED"
  | "CANCELLED"
  | "COMPLETE"
  | OpenString;

/** Case statuses that integrators treat as final (certncentric-api.md §4.1, from public code). */
export const CERTN_CENTRIC_TERMINAL_CASE_STATUSES: readonly string[] = Object.freeze([
  "COMPLETE",
  "CANCELLED",
  "APPLICANT_EXPIRED",
  "APPLICANT_DECLINED",
  "INVITE_UNDELIVERABLE",
]);

/** True when integrators treat `status` as final: no further case changes are expected. */
export function isCertnCentricTerminalStatus(status: string | null | undefined): boolean {
  return typeof status === "string" && CERTN_CENTRIC_TERMINAL_CASE_STATUSES.includes(status);
}

/**
 * A check's `status`. Only the closed states and the action-required states are documented
 * (certn-api.md §5.4); the rest of the enum is unknown.
 */
export type CertnCentricCheckStatus =
  | "AWAITING_APPLICANT_SUBMISSION"
  | "IN_PROGRESS"
  | "APPLICANT_ACTION_REQUIRED"
  | "CLIENT_ACTION_REQUIRED"
  | "COMPLETE"
  | "CANCELLED"
  | "SUPERSEDED"
  | OpenString;

/** `overall_score` and a check's `score`: the five values two independent clients agree on (§4.2). */
export type CertnCentricScore = "CLEAR" | "REVIEW" | "REJECT" | "NOT_APPLICABLE" | "RESTRICTED" | OpenString;

/** A check's `sub_score`; `VERIFIED` is the only value seen (identity checks). */
export type CertnCentricSubScore = "VERIFIED" | OpenString;

/** Check-type identifiers seen in the reference (§4.4); versioned with a `_N` suffix. */
export type CertnCentricCheckType =
  | "IDENTITY_VERIFICATION_1"
  | "CRIMINAL_RECORD_REPORT_1"
  | "CREDIT_REPORT_1"
  | "MOTOR_VEHICLE_RECORD_1"
  | "BASIC_CANADIAN_CRIMINAL_RECORD_REPORT_1"
  | "BASIC_CANADIAN_CRIMINAL_RECORD_REPORT_2"
  | "CANADIAN_CREDIT_REPORT_1"
  | "US_CREDIT_REPORT_1"
  | OpenString;

/** Webhook event types (certncentric-api.md §5.2). */
export type CertnCentricEventType =
  | "CASE_STATUS_CHANGED"
  | "CHECK_STATUS_CHANGED"
  | "CASE_REPORT_READY"
  | "CASE_INPUT_CLAIMS_AUTOMATICALLY_GENERATED"
  | OpenString;

/** A webhook's `object_type`; `CASE` is documented, `CHECK` is a guess. */
export type CertnCentricObjectType = "CASE" | "CHECK" | OpenString;

/** Report-file `status`; `PENDING` is inferred, `COMPLETE` and `FAILED` come from public code (§3.7). */
export type CertnCentricReportFileStatus = "PENDING" | "COMPLETE" | "FAILED" | OpenString;
