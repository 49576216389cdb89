/**
 * Request flags (certn-api.md §5.3) and where each one's result appears in the applicant object.
 * The table is a Certn page's; the result keys it does not name are labelled as the simulator's.
 */
import { assume, certn } from "./label.ts";

/** Flags whose result key the §5.3 table names (some flags fill two keys: "a / b"). */
export const RESULT_KEYS_BY_FLAG = assume<Readonly<Record<string, readonly string[]>>>(
  {
    request_base: ["information_result"],
    request_softcheck: ["risk_result"],
    request_equifax: ["equifax_result"],
    request_identity_verification: ["identity_verification"],
    request_enhanced_identity_verification: ["enhanced_identity_verification"],
    request_criminal_record_check: ["rcmp_result"],
    request_enhanced_criminal_record_check: ["rcmp_result"],
    request_vulnerable_sector_criminal_record_check: ["rcmp_result"],
    request_soquij: ["soquij_result"],
    request_us_criminal_record_check_tier_1: ["us_criminal_record_check_result"],
    request_us_criminal_record_check_tier_2: ["us_criminal_record_check_result"],
    request_us_criminal_record_check_tier_3: ["us_criminal_record_check_result"],
    request_us_ssn_verification: ["ssn_verification_result"],
    request_international_criminal_record_check: ["international_criminal_record_check_result"],
    request_motor_vehicle_records: ["motor_vehicle_record_result"],
    request_employment_verification: ["employment_verification", "verification_result"],
    request_employment_verification_3_yrs: ["employment_verification", "verification_result"],
    request_employment_verification_5_yrs: ["employment_verification", "verification_result"],
    request_employment_verification_7_yrs: ["employment_verification", "verification_result"],
    request_education_verification: ["education_verification"],
    request_credential_verification: ["credential_verification"],
    request_instant_verify_employment: ["instant_verify_result"],
    request_instant_verify_education: ["instant_verify_result"],
    request_instant_verify_credential: ["instant_verify_result"],
    request_employer_references: ["reference_result"],
    request_employer_phone_references: ["reference_result"],
    request_address_references: ["reference_result"],
    request_address_phone_references: ["reference_result"],
  },
  certn(
    "DOC",
    "5.3",
    'The request-flag table. "employment_verification / verification_result" is read as both keys.',
  ),
);

/** Flags for which §5.3 gives no result key: the simulator picks one. */
export const GUESSED_RESULT_KEYS_BY_FLAG = assume<Readonly<Record<string, readonly string[]>>>(
  {
    request_social_media_check: ["social_media_result"],
    request_us_criminal_softcheck: ["us_criminal_record_check_result"],
  },
  certn(
    "SIM",
    "5.3",
    'The table says only "social media result" and "US softcheck": social_media_result is invented; the US softcheck reuses the US criminal key.',
  ),
);

/** Flags whose results are `check_executions[]` entries, not a `*_result` key (certn-api.md §5.3). */
export const CHECK_EXECUTION_FLAGS = assume(
  [
    "request_right_to_work",
    "request_uk_right_to_work_check",
    "request_uk_basic_dbs_check",
    "request_uk_basic_ds_check",
  ] as readonly string[],
  certn("DOC", "5.3, 6.1", "Right to work (AU), UK right to work, UK basic DBS and DS checks."),
);

/** `check_name` of those entries: only `uk_basic_dbs_check` is documented. */
export const CHECK_EXECUTION_NAMES = assume<Readonly<Record<string, string>>>(
  {
    request_right_to_work: "right_to_work",
    request_uk_right_to_work_check: "uk_right_to_work_check",
    request_uk_basic_dbs_check: "uk_basic_dbs_check",
    request_uk_basic_ds_check: "uk_basic_ds_check",
  },
  certn(
    "SIM",
    "6.1",
    'The webhook example shows check_name "uk_basic_dbs_check"; the others drop "request_" the same way.',
  ),
);

/** An entry's id: `check_exec_` and 22 base-62 characters, like the one example (certn-api.md §6.1). */
export const CHECK_EXECUTION_ID = assume(
  {
    prefix: "check_exec_",
    length: 22,
    alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  },
  certn("DOC", "6.1", 'The shape of the example id "check_exec_2kHNvQYTrTDgNL6aMeJybJ".'),
);

/** An entry's `status` while the applicant has not submitted (certn-api.md §5.1, §6.1). */
export const CHECK_EXECUTION_WAITING = assume(
  "WAITING_ON_CANDIDATE",
  certn("DOC", "5.1, 6.1", "The only check-execution status seen, in the webhook example."),
);

/** An entry's `status` during the analysis and once returned: not documented. */
export const CHECK_EXECUTION_LATER = assume(
  { analyzing: "IN_PROGRESS", returned: "COMPLETE" },
  certn("SIM", "5.1", "The report_status strings of the same stages (themselves [INF], §7 #8)."),
);

/** Flags the table lists without any result (certn-api.md §5.3: "—"). */
export const NO_RESULT_FLAGS = assume(
  ["request_vaccination_check", "request_behavioural"] as readonly string[],
  certn("DOC", "5.3", "Accepted like every flag; the applicant object shows no result for them."),
);

/** Mutually exclusive flags (certn-api.md §5.3). */
export const EXCLUSIVE_FLAGS = assume(
  [
    ["request_employer_references", "request_employer_phone_references"],
    ["request_address_references", "request_address_phone_references"],
  ] as readonly (readonly [string, string])[],
  certn("DOC", "5.3", "Employer e-mail vs phone references, address references vs address phone references."),
);

/** The refusal of two exclusive flags: the text was not captured (certn-api.md §4.1). */
export const EXCLUSIVE_MESSAGE = assume(
  '"{a}" and "{b}" cannot be requested together.',
  certn(
    "SIM",
    "4.1",
    "The rule is documented and the placement (non_field_errors) [INF]; the wording is the simulator's.",
  ),
);

/** Parameters a flag needs (certn-api.md §5.3). */
export const FLAG_REQUIRED_PARAMS = assume<Readonly<Record<string, string>>>(
  {
    request_employer_references: "employer_questionaire_id",
    request_address_phone_references: "address_questionaire_id",
  },
  certn("DOC", "5.3", "Missing: a DRF 'This field is required.' on the parameter."),
);

/**
 * Flags a credential may order unless configured otherwise (certn-api.md §7 #12: a
 * per-credential allow-list). The members are the simulator's choice.
 */
export const DEFAULT_ALLOWED_FLAGS = assume(
  [
    "request_base",
    "request_softcheck",
    "request_equifax",
    "request_identity_verification",
    "request_enhanced_identity_verification",
    "request_criminal_record_check",
    "request_enhanced_criminal_record_check",
    "request_employment_verification",
    "request_education_verification",
  ] as readonly string[],
  certn(
    "INF",
    "7 #12",
    "A per-credential allow-list; which flags a default account has is the simulator's choice.",
  ),
);

/** The 400 for a flag outside the account's plan (certn-api.md §4.1). */
export const NOT_CONFIGURED = assume(
  'Account not configured to "{flag}". Please contact support@certn.co to update your plan.',
  certn("DOC", "4.1, 7 #12", "Keyed by the flag."),
);

/** The 400 when no flag is true: the rule is documented (§3.2), the message is not. */
export const NO_FLAG_MESSAGE = assume(
  "At least one request flag (request_*) must be true.",
  certn("SIM", "3.2", "Sent as non_field_errors."),
);
