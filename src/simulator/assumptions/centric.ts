/**
 * API-wide behaviour of the CertnCentric surface (`/api/public/`): keys, limits, pages, the error
 * envelope, validation and enums. Section numbers are certncentric-api.md's unless a label says
 * certn-api.md.
 */
import { assume, centric, certn } from "./label.ts";

/** The CertnCentric path prefix (certncentric-api.md §3.1). */
export const CENTRIC_PREFIX = assume("/api/public/", centric("DOC", "3.1", "Base path of every route."));

/** Limits per API key (certncentric-api.md §2.3). */
export const CENTRIC_RATE_LIMIT = assume(
  { perMinute: 60, perDay: 7_220 },
  centric("CODE", "2.3", "Two integrations state these numbers; rolling windows are [INF]."),
);

/** Keys expire 365 days after creation (certncentric-api.md §2.2); the simulator's at its start. */
export const API_KEY_LIFETIME_DAYS = assume(365, centric("DOC", "2.2", "Key expiry."));

/** Default page size (certncentric-api.md §2.4). */
export const CENTRIC_DEFAULT_PAGE_SIZE = assume(10, centric("INF", "2.4", "From the groups example."));

/** Largest page size; larger values are clamped. */
export const CENTRIC_MAX_PAGE_SIZE = assume(
  100,
  centric("SIM", "2.4", "Not documented; the partner API's 100."),
);

/** `next_page`/`previous_page` hold page numbers, not URLs (certncentric-api.md §2.4 leaves it open). */
export const PAGE_LINKS_AS_NUMBERS = assume(
  true,
  centric(
    "SIM",
    "2.4",
    "The example shows null only; numbers match the other integer fields of the envelope.",
  ),
);

/** `code` values of client errors (certncentric-api.md §2.5). */
export const CENTRIC_ERROR_CODES = assume(
  {
    notAuthenticated: "not_authenticated",
    authenticationFailed: "authentication_failed",
    permissionDenied: "permission_denied",
    notFound: "not_found",
    methodNotAllowed: "method_not_allowed",
    unsupportedMediaType: "unsupported_media_type",
    parseError: "parse_error",
    throttled: "throttled",
    serverError: "error",
  },
  centric(
    "INF",
    "2.5",
    "drf-standardized-errors defaults, attr null: a missing key or another scheme is not_authenticated.",
  ),
);

/** `detail` texts of client errors (`{name}` placeholders). */
export const CENTRIC_ERROR_DETAILS = assume(
  {
    notAuthenticated: "Authentication credentials were not provided.",
    badKey: "Invalid API key.",
    expiredKey: "API key has expired.",
    notFound: "Not found.",
    invalidPage: "Invalid page.",
    methodNotAllowed: 'Method "{method}" not allowed.',
    unsupportedMediaType: 'Unsupported media type "{type}" in request.',
    parseError: "JSON parse error - {message}",
    throttled: "Request was throttled. Expected available in {seconds} seconds.",
    serverError: "A server error occurred.",
    linkRefused: "The link has expired or its signature is invalid.",
  },
  centric("SIM", "2.5", "Not captured: DRF's wording where DRF has one, the simulator's for keys and links."),
);

/** A missing required field (certncentric-api.md §2.5): the documented example. */
export const REQUIRED_FIELD_ERROR = assume(
  { code: "invalid", detail: "{attr} is required" },
  centric(
    "DOC",
    "2.5",
    '{"code": "invalid", "detail": "email_address is required", "attr": "email_address"}.',
  ),
);

/** `code` of every other field error. */
export const FIELD_ERROR_CODE = assume(
  "invalid",
  centric(
    "SIM",
    "2.5",
    'The documented example uses "invalid" where drf-standardized-errors would say "required", so every field error says "invalid"; detail is DRF\'s message.',
  ),
);

/** Case `overall_status` values Certn documents (certn-api.md §5.4). */
export const CASE_STATUSES_DOCUMENTED = assume(
  [
    "DRAFT",
    "CASE_ORDERED",
    "INVITE_UNDELIVERABLE",
    "APPLICANT_EXPIRED",
    "APPLICANT_INVITED",
    "APPLICANT_OPENED",
    "APPLICANT_STARTED",
    "APPLICANT_SUBMITTED",
    "IN_DISPUTE",
    "IN_PROGRESS",
    "APPLICANT_ACTION_REQUIRED",
    "CLIENT_ACTION_REQUIRED",
    "CANCELLED",
    "COMPLETE",
  ] as readonly string[],
  certn("DOC", "5.4", "The case-lifecycle page's precedence list."),
);

/** Further `overall_status` values seen in client code (certncentric-api.md §4.1). */
export const CASE_STATUSES_SEEN = assume(
  ["PENDING_FULFILLMENT", "APPLICANT_DECLINED"] as readonly string[],
  centric(
    "CODE",
    "4.1",
    "One client each; EXPIRED and AWAITING_APPLICANT_SUBMISSION are unconfirmed and left out.",
  ),
);

/** An `overall_status` filter value outside those lists is refused (a django-filter choice field). */
export const UNKNOWN_FILTER_CHOICE = assume(
  { status: 400, detail: "Select a valid choice. {value} is not one of the available choices." },
  centric(
    "INF",
    "3.2",
    "overall_status is an enum filter [DOC]; django-filter refuses an unknown choice instead of returning an empty list. validation_error with attr overall_status.",
  ),
);

/** Check types Certn documents (certn-api.md §5.4). */
export const CHECK_TYPES_DOCUMENTED = assume(
  [
    "IDENTITY_VERIFICATION_1",
    "ONE_ID_2",
    "UK_DIGI_FRAUD_1",
    "NON_BIOMETRIC_ID_CANADA_1",
    "UK_MANUAL_IDENTITY_VERIFICATION_1",
    "BASIC_CANADIAN_CRIMINAL_RECORD_REPORT_1",
    "BASIC_CANADIAN_CRIMINAL_RECORD_REPORT_2",
    "CREDIT_REPORT_1",
    "US_CREDIT_REPORT_1",
    "FO_CREDIT_REPORT_1",
  ] as readonly string[],
  certn("DOC", "5.4", "Check identifiers with their own reference pages."),
);

/** Check types seen in client code (certncentric-api.md §4.4). */
export const CHECK_TYPES_SEEN = assume(
  ["CRIMINAL_RECORD_REPORT_1", "CANADIAN_CREDIT_REPORT_1", "MOTOR_VEHICLE_RECORD_1"] as readonly string[],
  centric(
    "CODE",
    "4.4",
    "The criminal and credit umbrellas, a Canadian credit child, and a motor vehicle record.",
  ),
);

/** An unknown check type in `check_types_with_arguments` is a validation error. */
export const UNKNOWN_CHECK_TYPE = assume(
  'Unknown check type "{type}".',
  centric("INF", "6.1 #3", "A non-empty object of known ids [INF]; the message is the simulator's."),
);

/** A quickscreen's `input_claims` must hold a `name` (used to pick a scenario and shown in reports). */
export const QUICKSCREEN_REQUIRED_CLAIMS = assume(
  ["name"] as readonly string[],
  centric(
    "SIM",
    "3.3, 3.3.1",
    "input_claims is required for a quickscreen [DOC]; requiring its name is the simulator's.",
  ),
);

/** Input claims a check page documents as required (certn-api.md §3.5). */
export const REQUIRED_CLAIMS_DOCUMENTED = assume<Readonly<Record<string, readonly string[]>>>(
  { US_CREDIT_REPORT_1: ["residences", "position_location"] },
  certn("DOC", "3.5", 'The US credit report page lists its "Required Input Claims".'),
);

/** The same rule extended to the other credit checks: nothing documents their claims. */
export const REQUIRED_CLAIMS_EXTENDED = assume<Readonly<Record<string, readonly string[]>>>(
  {
    CREDIT_REPORT_1: ["residences", "position_location"],
    FO_CREDIT_REPORT_1: ["residences", "position_location"],
    CANADIAN_CREDIT_REPORT_1: ["residences", "position_location"],
  },
  centric("SIM", "3.3.1", "The simulator assumes every credit check needs what US_CREDIT_REPORT_1 needs."),
);

/** Missing required claims answer 422 (certn-api.md §4.3). */
export const MISSING_CLAIMS_STATUS = assume(
  422,
  certn(
    "DOC",
    "4.3",
    "validation_error, request validation failed, e.g. missing required fields listed on check pages.",
  ),
);
