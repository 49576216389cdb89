/**
 * Request and response types of the documented partner API (certn-api.md §3). Enumerations are
 * string unions that still accept values Certn adds later; objects allow extra fields.
 */
import type { QueryValue } from "../core/call.ts";

/** A DRF page: `{ count, next, previous, results }`. */
export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** Query parameters of list endpoints. */
export interface ListParams {
  /** 1-based page number. */
  page?: number;
  page_size?: number;
  /** For example `created` or `-created`. */
  ordering?: string;
  /** Space-separated terms, AND-combined. */
  search?: string;
  [filter: string]: QueryValue;
}

/** Applicant `status`. */
export type ApplicantStatus = "Pending" | "Analyzing" | "Returned" | (string & {});
/** Applicant `report_status`. */
export type ReportStatus =
  | "WAITING_ON_CANDIDATE"
  | "IN_PROGRESS"
  | "COMPLETE"
  | "ACTION_REQUIRED"
  | "IN_DISPUTE"
  | "CANCELLED"
  | "UNRESPONSIVE"
  | (string & {});
/** Applicant `result` and per-check results. */
export type ResultValue = "NONE" | "CLEAR" | "REVIEW" | "NOT_APPLICABLE" | (string & {});
/** Countries accepted for superteams. */
export type CountryCode = "CA" | "US" | "GB" | "AU" | (string & {});
/** Team type. */
export type TeamType = "HR" | "PM" | "OT" | (string & {});

/** A superteam as listed. */
export interface SuperteamSummary {
  id: string;
  name: string;
  [field: string]: unknown;
}

/** A superteam in detail. */
export interface Superteam extends SuperteamSummary {
  is_secure_sms_enabled?: boolean;
  is_report_id_enabled?: boolean;
  street_address?: string;
  city?: string;
  postal_code?: string;
  province_state?: string;
  other_province_state?: string | null;
  country?: CountryCode;
}

/** Body to create or update a superteam. */
export interface SuperteamInput {
  name: string;
  street_address: string;
  city: string;
  province_state: string;
  country: CountryCode;
  postal_code: string;
  is_secure_sms_enabled: boolean;
  /** Required when `province_state` is `OT`. */
  other_province_state?: string | null;
  is_report_id_enabled?: boolean;
  [field: string]: unknown;
}

/** A team. */
export interface Team {
  id: string;
  name: string;
  business_number?: string;
  accounting_first_name?: string;
  accounting_last_name?: string;
  accounting_email?: string;
  team_first_name?: string;
  team_last_name?: string;
  team_email?: string;
  team_phone_number?: string;
  street_address?: string;
  city?: string;
  province_state?: string;
  country?: CountryCode;
  postal_code?: string;
  website?: string;
  industry?: string;
  active_user_count?: number;
  internal_name?: string;
  team_type?: TeamType;
  [field: string]: unknown;
}

/** Body to create or update a team (Certn's exact required list is not documented). */
export interface TeamInput {
  name: string;
  /** `false`: invoiced monthly; `true`: the applicant pays online. */
  pre_pay?: boolean;
  [field: string]: unknown;
}

/** A user of the account; its `id` is the `owner_id` used when ordering. */
export interface User {
  id: string;
  email?: string | null;
  [field: string]: unknown;
}

/** A phone number as Certn returns it. */
export interface PhoneNumber {
  phone_type?: string;
  number?: string;
  country?: string;
  [field: string]: unknown;
}

/** An address in applicant information. */
export interface ApplicantAddress {
  address?: string;
  city?: string;
  province_state?: string;
  country?: string;
  postal_code?: string;
  current?: boolean;
  [field: string]: unknown;
}

/** Applicant information (pre-fill for invites, required for quick screens). */
export interface ApplicantInformation {
  first_name?: string;
  last_name?: string;
  date_of_birth?: string;
  addresses?: ApplicantAddress[];
  [field: string]: unknown;
}

/** Where the position or property is. */
export interface PositionLocation {
  address?: string;
  city?: string;
  province_state: string;
  country: string;
  [field: string]: unknown;
}

/** Body of an invite: an e-mail, at least one `request_*: true` flag and (partner) `owner_id`. */
export interface InviteRequest {
  email: string;
  owner_id?: string;
  phone_number?: string;
  tag?: string;
  information?: ApplicantInformation;
  [field: string]: unknown;
}

/** Body of a PM invite (several tenants with `grouped_applicants`). */
export interface PmInviteRequest extends InviteRequest {
  grouped_applicants?: { email: string; phone_number?: string }[];
}

/** Body of a quick screen. */
export interface QuickScreenRequest {
  information: ApplicantInformation;
  position_or_property_location?: PositionLocation;
  owner_id?: string;
  email?: string;
  tag?: string;
  [field: string]: unknown;
}

/** Body of an upgrade: the additional `request_*` flags and their parameters. */
export interface UpgradeRequest {
  [field: string]: unknown;
}

/** The applicant part of an invite response. */
export interface InvitedApplicant {
  id: string;
  status: ApplicantStatus;
  first_name?: string;
  last_name?: string;
  email?: string;
  phone_number?: PhoneNumber | null;
  [field: string]: unknown;
}

/** HR invite response: top-level `id` is the application; `applicant.id` is what GET takes. */
export interface HrInviteResponse {
  id: string;
  created: string;
  modified: string;
  applicant: InvitedApplicant;
  [field: string]: unknown;
}

/** PM invite response: `applicants[].id` are what GET takes. */
export interface PmInviteResponse {
  id: string;
  created: string;
  modified: string;
  applicants: InvitedApplicant[];
  [field: string]: unknown;
}

/** A check result sub-object (`rcmp_result`, `equifax_result`, ...). */
export interface CheckResult {
  id?: string;
  status?: string;
  result?: ResultValue;
  overall_score?: string;
  [field: string]: unknown;
}

/** An applicant (quick-screen response, list item, retrieve). */
export interface Applicant {
  id: string;
  created?: string;
  modified?: string;
  last_updated?: string;
  submitted_time?: string | null;
  tag?: string | null;
  is_submitted?: boolean;
  applicant_type?: string;
  status: ApplicantStatus;
  status_label?: string;
  report_status?: ReportStatus;
  result?: ResultValue;
  result_label?: string;
  certn_score?: string | number | null;
  certn_score_label?: string;
  country?: string;
  can_upgrade?: boolean;
  information?: ApplicantInformation;
  application?: { id: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** A hosted report link. */
export interface ReportLink {
  url: string;
  [field: string]: unknown;
}
