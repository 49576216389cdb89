/**
 * Everything the partner-API simulator assumes where `certn-api.md` marks a behaviour as
 * inferred ([INF]) or second-hand ([2ND]). Kept in one module so a correction from the real
 * service is a one-line change. Each constant names its source section.
 */

/** Default token lifetime in seconds (§2.1 [DOC]: 36000, django-oauth-toolkit's default). */
export const TOKEN_EXPIRES_IN_S = 36_000;
/** Token response `token_type` and `scope` (§7 #1 [INF]). */
export const TOKEN_TYPE = "Bearer";
export const TOKEN_SCOPE = "read write";
/** Access tokens are ~30-char opaque strings (§2.1 [INF], django-oauth-toolkit). */
export const TOKEN_LENGTH = 30;
export const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** OAuth2 error bodies of `/token/` (§2.1 table, §7 #1 [INF], RFC 6749 §5.2). */
export const TOKEN_ERRORS = {
  invalidClient: { error: "invalid_client" },
  missingGrant: { error: "invalid_request", error_description: "Request is missing grant type." },
  unsupportedGrant: { error: "unsupported_grant_type" },
  badContentType: {
    error: "invalid_request",
    error_description: "Content-Type must be application/x-www-form-urlencoded.",
  },
} as const;

/** 401 bodies and header on API routes (§2.1, §7 #3 [DOC] + [INF]). */
export const NOT_AUTHENTICATED = "Authentication credentials were not provided.";
export const INVALID_TOKEN = "Invalid token.";
export const WWW_AUTHENTICATE = 'Bearer realm="api"';

/** DRF's standard messages (§4.1 [DOC]/[INF]). */
export const DRF = {
  notFound: "Not found.",
  invalidPage: "Invalid page.",
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  unsupportedMediaType: (type: string) => `Unsupported media type "${type}" in request.`,
  jsonParseError: (message: string) => `JSON parse error - ${message}`,
  throttled: (seconds: number) => `Request was throttled. Expected available in ${seconds} seconds.`,
  required: "This field is required.",
  mayNotBeNull: "This field may not be null.",
  mayNotBeBlank: "This field may not be blank.",
  notAString: "Not a valid string.",
  invalidEmail: "Enter a valid email address.",
  invalidBoolean: "Must be a valid boolean.",
  invalidUuid: "Must be a valid UUID.",
  invalidInteger: "A valid integer is required.",
  invalidDate: "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
  emptyList: "This list may not be empty.",
  notAList: (type: string) => `Expected a list of items but got type "${type}".`,
  notADict: (type: string) => `Invalid data. Expected a dictionary, but got ${type}.`,
  invalidChoice: (value: string) => `"${value}" is not a valid choice.`,
  pkDoesNotExist: (value: string) => `Invalid pk "${value}" - object does not exist.`,
} as const;

/** Pagination defaults (§1.4, §7 #6 [INF]): larger page sizes are clamped to the maximum. */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

/** Rate limits per credential, sliding windows (§1.3, §7 #5 [DOC] numbers, [INF] body/header). */
export const PARTNER_RATE_LIMIT = { perMinute: 240, perDay: 14_400 } as const;

/**
 * A path without its trailing slash (§1.2, §7 #13 [INF]): GET/HEAD get a 301 to the slashed URL
 * (Django APPEND_SLASH); unsafe methods get a 404, the "simpler and safer" option the reference
 * offers, so a client that forgets the slash fails loudly instead of silently turning into a GET.
 */
export const UNSAFE_WITHOUT_SLASH_STATUS = 404;

/** The web app that links in payloads point at (§1.1 [CODE]). */
export const APP_URL = "https://demo-app.certn.co/";

/** Every request flag the reference lists (§5.3 [DOC]) and the result key it fills. */
export const RESULT_KEY_BY_FLAG: Readonly<Record<string, string>> = {
  request_base: "information_result",
  request_softcheck: "risk_result",
  request_equifax: "equifax_result",
  request_identity_verification: "identity_verification",
  request_enhanced_identity_verification: "enhanced_identity_verification",
  request_criminal_record_check: "rcmp_result",
  request_enhanced_criminal_record_check: "rcmp_result",
  request_vulnerable_sector_criminal_record_check: "rcmp_result",
  request_soquij: "soquij_result",
  request_social_media_check: "social_media_result",
  request_us_criminal_record_check_tier_1: "us_criminal_record_check_result",
  request_us_criminal_record_check_tier_2: "us_criminal_record_check_result",
  request_us_criminal_record_check_tier_3: "us_criminal_record_check_result",
  request_us_criminal_softcheck: "us_criminal_record_check_result",
  request_us_ssn_verification: "ssn_verification_result",
  request_international_criminal_record_check: "international_criminal_record_check_result",
  request_motor_vehicle_records: "motor_vehicle_record_result",
  request_employment_verification: "employment_verification",
  request_education_verification: "education_verification",
  request_credential_verification: "credential_verification",
  request_instant_verify_employment: "instant_verify_result",
  request_instant_verify_education: "instant_verify_result",
  request_instant_verify_credential: "instant_verify_result",
  request_employer_references: "reference_result",
  request_employer_phone_references: "reference_result",
  request_address_references: "reference_result",
  request_address_phone_references: "reference_result",
};

/** Every request flag the simulator knows; other `request_*` keys are ignored, as DRF ignores unknown fields. */
export const KNOWN_REQUEST_FLAGS: readonly string[] = Object.keys(RESULT_KEY_BY_FLAG);

/** Result keys an applicant object always carries (`null` when not requested) (§3.2 [DOC]+[CODE]). */
export const RESULT_KEYS: readonly string[] = [...new Set(Object.values(RESULT_KEY_BY_FLAG))];

/**
 * Flags a credential may order unless configured otherwise (§7 #12 [INF]: per-credential
 * allow-list). Everything else answers "Account not configured".
 */
export const DEFAULT_ALLOWED_FLAGS: readonly string[] = [
  "request_base",
  "request_softcheck",
  "request_equifax",
  "request_identity_verification",
  "request_enhanced_identity_verification",
  "request_criminal_record_check",
  "request_enhanced_criminal_record_check",
  "request_employment_verification",
  "request_education_verification",
];

/** The 400 for a flag outside the account's plan (§4.1 [DOC] text, §7 #12). */
export const notConfigured = (flag: string): string =>
  `Account not configured to "${flag}". Please contact support@certn.co to update your plan.`;

/** Report preconditions (§3.3 [DOC]). */
export const INCOMPLETE_REPORT = {
  hr: "Cannot generate report for incomplete hr applicant.",
  pm: "Cannot generate report for incomplete applicant.",
} as const;

/** At least one request flag must be true (§3.2 [DOC] rule; message [INF]). */
export const NO_FLAG_MESSAGE = "At least one request flag (request_*) must be true.";

/** Upgrades need partial or complete results (help centre [DOC] rule; message [INF]). */
export const UPGRADE_PENDING_MESSAGE = "Only applications with partial or complete results can be upgraded.";

/** Mutually exclusive flags (§5.3 [DOC] rule; message [INF]). */
export const EXCLUSIVE_FLAGS: readonly (readonly [string, string])[] = [
  ["request_employer_references", "request_employer_phone_references"],
  ["request_address_references", "request_address_phone_references"],
];
export const exclusiveMessage = (a: string, b: string): string =>
  `"${a}" and "${b}" cannot be requested together.`;

/** Check-setting pairs whose min must not exceed max (§5.2 [DOC]). */
export const MIN_MAX_SETTINGS: readonly string[] = [
  "employer_references",
  "address_references",
  "employment_verification",
  "education_verification",
  "credential_verification",
];
export const minMaxMessage = (prefix: string): string => `${prefix}_max must be greater than ${prefix}_min.`;

/** Superteam countries (§5.1 [DOC]). */
export const SUPERTEAM_COUNTRIES: readonly string[] = ["CA", "US", "GB", "AU"];

/**
 * `applicant_type` values: "Quick Screen" is seen [CODE]; the invite value is not captured
 * (§5.1), so "Invite" is a guess.
 */
export const APPLICANT_TYPE = { quick: "Quick Screen", invite: "Invite" } as const;

/** Per-check sub-result `status` before and after the analysis (§3.2 [CODE] shows "NONE" before; after [INF]). */
export const CHECK_STATUS = { pending: "NONE", returned: "RETURNED" } as const;

/** The answer of every partner route when `partnerApiRetired` is set (certncentric-api.md §1.2, one [CODE] source). */
export const RETIRED_BODY = {
  detail: "This API has been retired. Use the CertnCentric API (https://centric-api-docs.certn.co/).",
} as const;

/** Path prefixes of the partner API, for the retired switch (certncentric-api.md §6.1 #9). */
export const PARTNER_PREFIXES: readonly string[] = ["/token/", "/api/v1/", "/api/v2/", "/hr/v1/"];
