/**
 * CertnCentric request and response types (certncentric-api.md §3, certn-api.md §3.5). Objects
 * allow extra fields, since the reference saw only the start of each page; TSDoc says where a field
 * comes from when it is not Certn's own documentation.
 */
import type { QueryValue } from "../../core/call.ts";
import type {
  CertnCentricCaseStatus,
  CertnCentricCheckStatus,
  CertnCentricCheckType,
  CertnCentricReportFileStatus,
  CertnCentricScore,
  CertnCentricSubScore,
  OpenString,
} from "./enums.ts";

/**
 * CertnCentric's pagination block (certncentric-api.md §2.4). For a page in DRF's envelope
 * (certn-api.md §1.4) it is built from `count`, `next` and `previous`; the counts that envelope
 * does not give are null.
 */
export interface CertnCentricPagination {
  result_count: number | null;
  page_count: number | null;
  page_size: number | null;
  current_page: number | null;
  /** A page number or a URL: the reference does not know which (open question), so both are handled. */
  next_page: number | string | null;
  previous_page: number | string | null;
}

/**
 * One page of a CertnCentric list, in either envelope: the documented `{ pagination, results }`
 * (certncentric-api.md §2.4), or DRF's `{ count, next, previous, results }` (certn-api.md §1.4,
 * which says to assume it), given as it is with a `pagination` block built from it.
 */
export interface CertnCentricPage<T> {
  pagination: CertnCentricPagination;
  results: T[];
  /** DRF envelope only: how many items the list has. */
  count?: number;
  /** DRF envelope only: the next page's URL (followed by its path and query, on the client's origin). */
  next?: string | null;
  /** DRF envelope only: the previous page's URL. */
  previous?: string | null;
}

/** A query value: one value, or several sent as repeated keys (`?group=a&group=b`). */
export type CertnCentricOneOrMany<T extends string> = T | readonly T[];

/** Paging parameters shared by every list. */
export interface CertnCentricPageParams {
  /** 1-based page number. */
  page?: number;
  /** Results per page (10 in the reference's example). */
  page_size?: number;
  [filter: string]: QueryValue;
}

/** Filters of `GET /api/public/cases/` ([DOC] cases.md, except `tag`, seen in public code). */
export interface CertnCentricCaseListParams extends CertnCentricPageParams {
  check_type?: CertnCentricOneOrMany<CertnCentricCheckType>;
  email_address?: string;
  /** Group ids. */
  group?: CertnCentricOneOrMany<string>;
  /** Lower bound of the order time (ISO 8601). */
  order_timeframe_after?: string;
  /** Upper bound of the order time (ISO 8601). */
  order_timeframe_before?: string;
  /** User ids. */
  ordered_by?: CertnCentricOneOrMany<string>;
  overall_status?: CertnCentricOneOrMany<CertnCentricCaseStatus>;
  /** Seen in public code only. */
  tag?: CertnCentricOneOrMany<string>;
}

/** A check type's arguments: `{}` when it takes none (certncentric-api.md §4.4). */
export interface CertnCentricCheckArguments {
  /** For umbrella checks: `EXPLICIT_ORDERING` ([DOC]); `SINGLE_REGION`, `MULTI_REGION` from public code. */
  ordering_type?: "EXPLICIT_ORDERING" | "SINGLE_REGION" | "MULTI_REGION" | OpenString;
  /** Child check types, with `EXPLICIT_ORDERING`. */
  explicit_check_type?: CertnCentricCheckType[];
  [argument: string]: unknown;
}

/** Check type id → its arguments, e.g. `{ IDENTITY_VERIFICATION_1: {} }`. */
export type CertnCentricChecks = Partial<Record<CertnCentricCheckType, CertnCentricCheckArguments>>;

/** An address inside input claims. */
export interface CertnCentricAddress {
  street_number?: string;
  street_address?: string;
  locality?: string;
  /** Province or state, e.g. `BC`. */
  administrative_division_1?: string;
  postal_code?: string;
  /** ISO 3166-1 alpha-2, e.g. `CA`. */
  country?: string;
  [field: string]: unknown;
}

/** A residence, most recent first. */
export interface CertnCentricResidence {
  address: CertnCentricAddress;
  /** `YYYY-MM-DD`. */
  start_date?: string;
  /** `null` for the current residence (public code). */
  end_date?: string | null;
  [field: string]: unknown;
}

/** The applicant's legal name. */
export interface CertnCentricName {
  given_name: string;
  family_name: string;
  additional_name?: string;
  type?: "LEGAL" | OpenString;
  [field: string]: unknown;
}

/** Where the position is. */
export interface CertnCentricPositionLocation {
  type?: "REMOTE" | "SET_WORK_OR_OFFICE_ADDRESS" | OpenString;
  country?: string;
  address?: CertnCentricAddress;
  [field: string]: unknown;
}

/**
 * Applicant data for a quickscreen (certncentric-api.md §3.3.1). Which claims are required depends
 * on the checks; each check's reference page lists its "Required Input Claims".
 */
export interface CertnCentricInputClaims {
  name?: CertnCentricName;
  /** `YYYY-MM-DD`. */
  date_of_birth?: string;
  email_address?: string;
  residences?: CertnCentricResidence[];
  position_location?: CertnCentricPositionLocation;
  are_consents_and_disclosures_accepted?: boolean;
  is_general_authorization_accepted?: boolean;
  is_quickscreen_general_authorization_accepted?: boolean;
  is_biometric_consent_accepted?: boolean;
  /** Sandbox only, from public code: `"LIVE_ONE_ID_URL_OVERRIDE"`. */
  one_id_2_demo_response?: string;
  [claim: string]: unknown;
}

/** Order fields shared by `order/` and `order-package/` (beyond the documented ones: public code). */
export interface CertnCentricOrderFields {
  /** The applicant's e-mail; required. */
  email_address: string;
  /** e.g. `EMPLOYMENT`. */
  permissible_purpose?: string;
  /** Group id (public code). */
  group?: string;
  /** Ordering user id (public code). */
  ordered_by?: string;
  /** Tag ids; public clients disagree between `tags` and `tag_ids` (open question §6.2 Q8). */
  tags?: string[];
  tag_ids?: string[];
  /** e.g. `en-CA` (public code). */
  applicant_language?: string;
  /** Public code. */
  message?: string;
  /** Further fields, such as a bundle id, whose names the reference could not read. */
  [field: string]: unknown;
}

/** Mode 1: Certn e-mails the applicant an invite (the recommended mode). */
export interface CertnCentricEmailInvite {
  send_invite_email: true;
  return_invite_link?: false;
  input_claims?: never;
}

/** Mode 2: Certn returns the invite link for you to deliver. */
export interface CertnCentricLinkInvite {
  send_invite_email?: false;
  return_invite_link: true;
  input_claims?: never;
}

/** Mode 3: quickscreen, no applicant involvement; the input claims carry the applicant's data. */
export interface CertnCentricQuickscreen {
  send_invite_email?: false;
  return_invite_link?: false;
  input_claims: CertnCentricInputClaims;
}

/** The three ordering modes (certncentric-api.md §3.3); TypeScript refuses a body that mixes them. */
export type CertnCentricOrderMode =
  | CertnCentricEmailInvite
  | CertnCentricLinkInvite
  | CertnCentricQuickscreen;

/** The fields of `POST /api/public/cases/order/` apart from the mode. */
export type CertnCentricCaseOrderFields = CertnCentricOrderFields & {
  /** Check type id → arguments; at least one. */
  check_types_with_arguments: CertnCentricChecks;
};

/** Body of `POST /api/public/cases/order/`. */
export type CertnCentricCaseOrder = CertnCentricCaseOrderFields & CertnCentricOrderMode;

/** No mode fields: the package's own behaviour (the only body shape seen in public code). */
export interface CertnCentricPackageDefaultMode {
  send_invite_email?: never;
  return_invite_link?: never;
  input_claims?: never;
}

/**
 * Body of `POST /api/public/cases/order-package/` (public code only: `{ package, email_address }`;
 * the mode fields are assumed to apply as on `order/`).
 */
export type CertnCentricPackageOrder = CertnCentricOrderFields & {
  /** The package id. */
  package: string;
} & (CertnCentricOrderMode | CertnCentricPackageDefaultMode);

/** A check within a case (fields from public code, certncentric-api.md §3.5). */
export interface CertnCentricCheck {
  id: string;
  short_id?: string;
  type?: CertnCentricCheckType;
  status?: CertnCentricCheckStatus;
  score?: CertnCentricScore | null;
  sub_score?: CertnCentricSubScore | null;
  adjudication_score?: string | null;
  adjudication_sub_score?: string | null;
  output_claims?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A case (fields from public code, certncentric-api.md §3.5). */
export interface CertnCentricCase {
  id: string;
  short_id?: string;
  created?: string;
  modified?: string;
  overall_status?: CertnCentricCaseStatus;
  /** `null` until the case completes (public code). */
  overall_score?: CertnCentricScore | null;
  email_address?: string;
  invite_link?: string | null;
  tags?: unknown[];
  input_claims?: CertnCentricInputClaims;
  check_types_with_arguments?: CertnCentricChecks;
  checks?: CertnCentricCheck[];
  [field: string]: unknown;
}

/** The answer to an order: at least the case id ([CODE] 201). */
export type CertnCentricOrderedCase = CertnCentricCase;

/** The answer to a link-invite order: `invite_link` is checked to be a string. */
export type CertnCentricLinkInviteCase = CertnCentricCase & { invite_link: string };

/** Options of `cases.generateReport`. */
export interface CertnCentricGenerateReportOptions {
  /** Report language, e.g. `en-CA` (public code). */
  language?: string;
}

/**
 * The answer to `generate-report/` as Certn gave it (`case_report_file_id`, `status`...), with
 * `reportFileId` added.
 */
export interface CertnCentricReportRequest {
  /** The report file's id, from `case_report_file_id`, `id` or `report_file_id` (open question §6.2 Q3). */
  reportFileId: string;
  /** The answer's own fields, as given. */
  [field: string]: unknown;
}

/**
 * A report file as Certn gave it (`pdf_url`, `created`, `expires_at`...), with `id`, `status` and
 * `pdfUrl` added: `pdfUrl` is a short-lived link, `null` until `status` is `COMPLETE`.
 */
export interface CertnCentricReportFile {
  /** The report file's id (a number given as one is turned into a string). */
  id: string;
  status: CertnCentricReportFileStatus;
  /** The PDF link, from `pdf_url`, `url`, `file_url` or `download_url` (open question §6.2 Q3). */
  pdfUrl: string | null;
  /** The answer's own fields, as given. */
  [field: string]: unknown;
}

/** A group ([DOC] ordering-bundle.md). */
export interface CertnCentricGroup {
  id: string;
  short_id?: string;
  parent_id?: string | null;
  name?: string;
  is_active?: boolean;
  [field: string]: unknown;
}

/** Filters of `GET /api/public/groups/` (from public code). */
export interface CertnCentricGroupListParams extends CertnCentricPageParams {
  id?: CertnCentricOneOrMany<string>;
  is_active?: boolean;
  name?: string;
  parent_id?: string;
}

/** A user of the account (public code only). */
export interface CertnCentricUser {
  id: string;
  email?: string;
  full_name?: string;
  role?: string;
  is_active?: boolean;
  [field: string]: unknown;
}

/** Filters of `GET /api/public/users/` (public code only). */
export interface CertnCentricUserListParams extends CertnCentricPageParams {
  email?: string;
  full_name?: string;
  group?: CertnCentricOneOrMany<string>;
  id?: CertnCentricOneOrMany<string>;
  is_active?: boolean;
  role?: string;
}

/** A customer-defined package of checks (public code only). */
export interface CertnCentricPackage {
  id: string;
  name?: string;
  is_active?: boolean;
  [field: string]: unknown;
}

/** Filters of `GET /api/public/packages/` (public code only). */
export interface CertnCentricPackageListParams extends CertnCentricPageParams {
  is_active?: boolean;
  permissible_purposes?: CertnCentricOneOrMany<string>;
}

/** A tag (public code only). */
export interface CertnCentricTag {
  id: string;
  name?: string;
  is_active?: boolean;
  [field: string]: unknown;
}

/** Filters of `GET /api/public/tags/` (public code only). */
export interface CertnCentricTagListParams extends CertnCentricPageParams {
  id?: CertnCentricOneOrMany<string>;
  is_active?: boolean;
  name?: string;
}
