/**
 * HR and PM applications (certn-api.md §3.2-§3.4, §5.1, §5.2): the rules and shapes the
 * simulator follows where the reference gives them, and its choices where it does not.
 */
import { assume, certn } from "./label.ts";

/** `owner_id` is required on the gen B2 paths and ignored on the B1 aliases (certn-api.md §7 #18). */
export const OWNER_ID_REQUIRED_ON_B2 = assume(
  true,
  certn(
    "INF",
    "3.2, 7 #18",
    "Marked required for partners (v1.1) and absent in v1.0; on B1 the credential's user owns it.",
  ),
);

/** Applicant list filters beyond the seen `search`, `ordering` and `adjudication_status`. */
export const APPLICANT_LIST_FILTERS = assume(
  ["status", "report_status", "result"] as readonly string[],
  certn(
    "SIM",
    "1.4, 3.2",
    'The list takes "filters" whose names were not captured; the simulator filters on these (repeatable, case-insensitive).',
  ),
);

/** Statuses whose applications can be upgraded (certn-api.md §3.2). */
export const UPGRADEABLE_STATUSES = assume(
  ["Returned"] as readonly string[],
  certn(
    "DOC",
    "3.2",
    'The help centre: "only applications with partial or complete results can be upgraded". The simulator returns every check at once, so only Returned has results: Pending and Analyzing are refused.',
  ),
);

/** Statuses whose `can_upgrade` is true (certn-api.md Appendix A). */
export const CAN_UPGRADE_STATUSES = assume(
  ["Analyzing", "Returned"] as readonly string[],
  certn(
    "CODE",
    "Appendix A",
    "The real quick-screen fixture says can_upgrade: true while Analyzing, although an upgrade is refused until results exist (UPGRADEABLE_STATUSES).",
  ),
);

/** The refusal of an upgrade: not captured. */
export const UPGRADE_REFUSED_MESSAGE = assume(
  "Only applications with partial or complete results can be upgraded.",
  certn("SIM", "3.2", "The help centre's rule as the message, in non_field_errors (400)."),
);

/** A `phone_number` on an invite is an SMS invite, refused unless SMS is enabled (certn-api.md §3.2). */
export const SMS_NOT_ENABLED = assume(
  {
    field: "phone_number",
    message: "SMS invites are not enabled for this account. Please contact support@certn.co to enable them.",
  },
  certn(
    "SIM",
    "3.2",
    'The rule is documented ("SMS must be enabled on the account"); the error is not, so it is a field error on phone_number. The simulated account has SMS off unless the smsEnabled option is set.',
  ),
);

/** `applicant_type` of a quick screen (certn-api.md §5.1). */
export const APPLICANT_TYPE_QUICK = assume("Quick Screen", certn("CODE", "5.1", "Seen in fixtures."));

/** `applicant_type` of an invite: not captured (certn-api.md §5.1). */
export const APPLICANT_TYPE_INVITE = assume(
  "Invite",
  certn("INF", "5.1", 'The reference expects "an invite/Standard value"; the simulator says "Invite".'),
);

/** `report_status` values (certn-api.md §5.1, §7 #8). */
export const REPORT_STATUS = assume(
  {
    waiting: "WAITING_ON_CANDIDATE",
    inProgress: "IN_PROGRESS",
    complete: "COMPLETE",
    actionRequired: "ACTION_REQUIRED",
    inDispute: "IN_DISPUTE",
    cancelled: "CANCELLED",
    unresponsive: "UNRESPONSIVE",
  },
  certn(
    "INF",
    "5.1, 7 #8",
    "The UI labels are documented; IN_PROGRESS is seen; the other wire strings are inferred.",
  ),
);

/** `result` values (certn-api.md §5.1, §7 #8). */
export const RESULT = assume(
  { none: "NONE", clear: "CLEAR", review: "REVIEW", notApplicable: "NOT_APPLICABLE" },
  certn("INF", "5.1, 7 #8", '"NONE" is documented; the others are likely values.'),
);

/** `*_label` of the result values: "None" is documented, the rest are title case. */
export const RESULT_LABELS = assume<Readonly<Record<string, string>>>(
  { NONE: "None", CLEAR: "Clear", REVIEW: "Review", NOT_APPLICABLE: "Not Applicable" },
  certn("SIM", "5.1, 6.1", '"result_label": "None" is in the webhook example; the others follow it.'),
);

/** A check sub-result's `status` before results (certn-api.md §5.1). */
export const CHECK_RESULT_PENDING = assume("NONE", certn("CODE", "5.1", '"NONE" seen before results exist.'));

/** A check sub-result's `status` once returned: not captured. */
export const CHECK_RESULT_RETURNED = assume(
  "RETURNED",
  certn("SIM", "5.1", "No value is seen after results; the applicant status in upper case."),
);

/** Time from an invite until the applicant submits (simulated; Certn waits for a person). */
export const SUBMIT_MS = assume(
  10_000,
  certn("SIM", "5.1", "A person fills the form; 10 s keeps demos short."),
);

/** Time of the analysis (certn-api.md §5.1: "typically 2-10 s"). */
export const ANALYSIS_MS = assume(5_000, certn("DOC", "5.1", "Within the documented 2-10 s."));

/** Analysis time of the "Slow" scenario (certn-api.md §5.1: "occasionally up to ~300 s"). */
export const SLOW_ANALYSIS_MS = assume(300_000, certn("DOC", "5.1", "The slowest the docs mention."));

/** When an invite nobody answers becomes UNRESPONSIVE: not documented. */
export const INVITE_EXPIRY_MS = assume(
  7 * 24 * 3_600_000,
  certn("SIM", "5.1", '"Unresponsive (expired)" is a documented order status; the delay is not. 7 days.'),
);

/** The web app that links in payloads point at (certn-api.md §1.1). */
export const APP_URL = assume(
  "https://demo-app.certn.co/",
  certn("CODE", "1.1", "The demo web app seen in report_url values."),
);

/** `report_url` and `application_url` of an applicant (`{app}` ends with "/"). */
export const APPLICANT_LINKS = assume(
  { report: "{app}{kind}/applications/{id}/", application: "{app}welcome/{id}/" },
  certn(
    "SIM",
    "1.1, Appendix A",
    "report_url follows the seen https://demo-app.certn.co/pm/applications/<applicant_id>/ [CODE]; the application_url path is invented.",
  ),
);

/** The hosted-report link (certn-api.md §3.3, §7 #11): `{"url": ...}`. */
export const HOSTED_REPORT_LINK = assume(
  "{app}{kind}/applications/{id}/report/",
  certn(
    "INF",
    "3.3, 7 #11",
    'The shape {"url": "<https link>"} is the reference\'s guess; the URL path is the simulator\'s.',
  ),
);

/** Reports, retrieve and list are served on every path family (certn-api.md §3.4, §7 #7). */
export const REPORTS_ON_EVERY_SURFACE = assume(
  true,
  certn("INF", "3.4, 7 #7", "HR report paths were not captured: they mirror PM's under each prefix."),
);

/** `DELETE .../applicants/{id}/` on the gen B2 paths too (the table has "?" there). */
export const DELETE_ON_B2 = assume(
  true,
  certn("SIM", "3.2, 3.3", "Seen on the B1 paths only [CODE]; served on B2 like every alias."),
);

/** The 400 of a report asked for too early (certn-api.md §3.3, §4.1). */
export const INCOMPLETE_REPORT = assume(
  {
    hr: "Cannot generate report for incomplete hr applicant.",
    pm: "Cannot generate report for incomplete applicant.",
  },
  certn("DOC", "3.3, 4.1", "In non_field_errors, until the applicant is Returned."),
);

/** Check-setting pairs whose min must not exceed max (certn-api.md §5.2). */
export const MIN_MAX_SETTINGS = assume(
  [
    "employer_references",
    "address_references",
    "employment_verification",
    "education_verification",
    "credential_verification",
  ] as readonly string[],
  certn("DOC", "5.2", "min must not exceed max (400 otherwise)."),
);

/** The 400 of a min above its max (certn-api.md §4.1). */
export const MIN_MAX_MESSAGE = assume(
  "{prefix}_max must be greater than {prefix}_min.",
  certn("DOC", "4.1", "The documented employer_references example, for every pair."),
);

/** PM scores of a returned applicant: fields documented (§3.3), values not. */
export const PM_SCORES = assume(
  {
    fields: ["late_rent_potential", "damage_to_property", "eviction_potential", "tenancy_length"],
    clear: { certn_score: 85, label: "PASS", level: "LOW", levelLabel: "Low" },
    review: { certn_score: 45, label: "WARN", level: "MEDIUM", levelLabel: "Medium" },
  },
  certn("SIM", "3.3", "The PM fields are documented; their values and labels are the simulator's."),
);

/** A criminal result with records lists them under `records` (shape not captured). */
export const CRIMINAL_RECORDS_KEY = assume(
  "records",
  certn(
    "SIM",
    "3.2",
    "Sub-results share {id, status, ..., red_flags, green_flags}; check-specific fields are not captured.",
  ),
);

/** `adjudication_status` of a new applicant: only ARCHIVED is seen (certn-api.md §5.1). */
export const ADJUDICATION_NONE = assume(
  "NONE",
  certn("SIM", "5.1", '"ARCHIVED" is a seen value; the simulator never archives, so applicants stay "NONE".'),
);
