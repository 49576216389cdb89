/** Validation of invite, quick-screen and upgrade bodies (certn-api.md §3.2, §3.3, §4.1, §5.2, §5.3). */
import { fill } from "../../assumptions/label.ts";
import {
  MIN_MAX_MESSAGE,
  MIN_MAX_SETTINGS,
  SMS_NOT_ENABLED,
} from "../../assumptions/partner-applications.ts";
import {
  EXCLUSIVE_FLAGS,
  EXCLUSIVE_MESSAGE,
  FLAG_REQUIRED_PARAMS,
  NO_FLAG_MESSAGE,
  NOT_CONFIGURED,
} from "../../assumptions/partner-flags.ts";
import { isObject } from "../../http.ts";
import { DRF } from "../../messages.ts";
import type { Principal } from "../../options.ts";
import type { SimState } from "../../state.ts";
import {
  bool,
  choice,
  date,
  type ErrorTree,
  email,
  type FieldSpec,
  int,
  list,
  object,
  optional,
  required,
  str,
  uuid,
  type Validator,
} from "../../validate.ts";
import { KNOWN_REQUEST_FLAGS } from "./flags.ts";
import type { Surface } from "./surfaces.ts";

const text = (): FieldSpec => optional(str({ allowBlank: true }));

const address = object(
  {
    address: required(str()),
    city: required(str()),
    province_state: required(str()),
    country: required(str()),
    postal_code: text(),
    current: optional(bool()),
    rent_or_own: optional(choice(["R", "O", "S"])),
  },
  { passthrough: true },
);

const location = object(
  { address: text(), city: text(), province_state: text(), country: text(), postal_code: text() },
  { passthrough: true },
);

/** `information` of a quick screen: who is screened (§3.2 example; nested errors per §4.1). */
const quickInformation = object(
  {
    first_name: required(str()),
    last_name: required(str()),
    date_of_birth: required(date()),
    addresses: required(list(address, { allowEmpty: false })),
    email: optional(email()),
    convictions: optional(list(object({}, { passthrough: true }))),
  },
  { passthrough: true },
);

/** `information` of an invite: an optional pre-fill, every field optional. */
const prefillInformation = object(
  {
    first_name: text(),
    last_name: text(),
    date_of_birth: optional(date()),
    addresses: optional(list(address)),
  },
  { passthrough: true },
);

/** Check-setting parameters (§5.2), echoed on the applicant. */
const SETTINGS: Record<string, FieldSpec> = {
  requested_countries: optional(list(str())),
  us_criminal_record_check_years: optional(int()),
  employer_questionaire_id: optional(uuid()),
  address_questionaire_id: optional(uuid()),
  employer_references_years_or_individually: optional(choice(["YEARS", "INDIVIDUALLY"])),
  address_references_years_or_individually: optional(choice(["YEARS", "INDIVIDUALLY"])),
  employment_verification_years_or_individually: optional(choice(["YEARS", "INDIVIDUALLY"])),
  education_verification_level: optional(choice(["ALL", "HIGHEST"])),
  credential_verification_level: optional(choice(["ALL", "HIGHEST"])),
  volunteer_role: text(),
  volunteer_organization: text(),
  role_or_position_title: text(),
  employment_sector: text(),
  purpose_of_check: text(),
  social_media_details: optional(object({}, { passthrough: true })),
};
for (const prefix of MIN_MAX_SETTINGS.value) {
  for (const suffix of ["min", "max", "years"]) SETTINGS[`${prefix}_${suffix}`] = optional(int());
}

const FLAG_FIELDS: Record<string, FieldSpec> = Object.fromEntries(
  KNOWN_REQUEST_FLAGS.map((flag) => [flag, optional(bool(), false)]),
);

/** What an application request turns into once valid. */
export interface ApplicationInput {
  flags: string[];
  email: string | null;
  phoneNumber: string | null;
  tag: string | null;
  ownerId: string | undefined;
  information: Record<string, unknown>;
  extra: Record<string, unknown>;
  grouped: { email: string; phoneNumber: string | null }[];
}

/** Which body is being validated. */
export type ApplicationKind = "invite" | "quick" | "upgrade";

function shapeFor(kind: ApplicationKind, surface: Surface): Validator<Record<string, unknown>> {
  const fields: Record<string, FieldSpec> = { ...FLAG_FIELDS, ...SETTINGS };
  if (kind !== "upgrade") {
    fields.tag = text();
    fields.phone_number = text();
    // `owner_id` is required on gen B2 and ignored on the B1 aliases (§7 #18).
    if (surface.ownerRequired) fields.owner_id = required(uuid());
  }
  if (kind === "invite") {
    fields.email = required(email());
    fields.information = optional(prefillInformation);
    if (surface.kind === "pm") {
      fields.grouped_applicants = optional(list(object({ email: required(email()), phone_number: text() })));
      fields.email_applicants = optional(bool());
    }
  }
  if (kind === "quick") {
    fields.email = optional(email());
    fields.information = required(quickInformation);
    fields.position_or_property_location = surface.kind === "hr" ? required(location) : optional(location);
    fields.enhanced_identity_verification = optional(object({}, { passthrough: true }));
  }
  return object(fields);
}

/** What the account allows beyond the credential's flags. */
export interface AccountSettings {
  /** SMS invites are enabled (certn-api.md §3.2). */
  smsEnabled: boolean;
}

/** The SMS refusal of an invite body, if it asks for an SMS invite the account cannot send. */
function smsErrors(
  v: Record<string, unknown>,
  kind: ApplicationKind,
  account: AccountSettings,
): ErrorTree | undefined {
  if (kind !== "invite" || account.smsEnabled) return undefined;
  const { field, message } = SMS_NOT_ENABLED.value;
  const wants = (entry: unknown): boolean => {
    const phone = isObject(entry) ? entry[field] : undefined;
    return typeof phone === "string" && phone !== "";
  };
  const errors: Record<string, ErrorTree> = {};
  if (wants(v)) errors[field] = [message];
  const grouped = Array.isArray(v.grouped_applicants) ? v.grouped_applicants : [];
  if (grouped.some(wants))
    errors.grouped_applicants = grouped.map((g) => (wants(g) ? { [field]: [message] } : {}));
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** Field errors first (DRF field validation); cross-field rules only when every field is valid. */
export function checkApplication(
  body: unknown,
  kind: ApplicationKind,
  surface: Surface,
  principal: Principal,
  state: SimState,
  account: AccountSettings,
): { ok: true; value: ApplicationInput } | { ok: false; error: ErrorTree } {
  const checked = shapeFor(kind, surface)(body);
  if (!checked.ok) return checked;
  const v = checked.value;
  if (surface.ownerRequired && kind !== "upgrade" && !state.users.has(String(v.owner_id))) {
    return { ok: false, error: { owner_id: [DRF.pkDoesNotExist(String(v.owner_id))] } };
  }
  const sms = smsErrors(v, kind, account);
  if (sms !== undefined) return { ok: false, error: sms };
  const flags = KNOWN_REQUEST_FLAGS.filter((flag) => v[flag] === true);
  const errors: Record<string, string[]> = {};
  const nonField: string[] = [];
  if (flags.length === 0) nonField.push(NO_FLAG_MESSAGE.value);
  for (const flag of flags) {
    if (!principal.allowedFlags.has(flag)) errors[flag] = [fill(NOT_CONFIGURED.value, { flag })];
  }
  for (const [a, b] of EXCLUSIVE_FLAGS.value) {
    if (v[a] === true && v[b] === true) nonField.push(fill(EXCLUSIVE_MESSAGE.value, { a, b }));
  }
  for (const prefix of MIN_MAX_SETTINGS.value) {
    const min = v[`${prefix}_min`];
    const max = v[`${prefix}_max`];
    if (typeof min === "number" && typeof max === "number" && min > max) {
      nonField.push(fill(MIN_MAX_MESSAGE.value, { prefix }));
    }
  }
  for (const [flag, param] of Object.entries(FLAG_REQUIRED_PARAMS.value)) {
    if (v[flag] === true && v[param] === undefined) errors[param] = [DRF.required];
  }
  if (nonField.length > 0) errors.non_field_errors = nonField;
  if (Object.keys(errors).length > 0) return { ok: false, error: errors };
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(SETTINGS)) if (v[key] !== undefined) extra[key] = v[key];
  if (v.position_or_property_location !== undefined)
    extra.position_or_property_location = v.position_or_property_location;
  if (v.enhanced_identity_verification !== undefined) extra.enhanced_identity_verification_request = true;
  const grouped = Array.isArray(v.grouped_applicants)
    ? (v.grouped_applicants as Record<string, unknown>[]).map((g) => ({
        email: String(g.email),
        phoneNumber: typeof g.phone_number === "string" && g.phone_number !== "" ? g.phone_number : null,
      }))
    : [];
  const info = v.information;
  return {
    ok: true,
    value: {
      flags,
      email: typeof v.email === "string" ? v.email : null,
      phoneNumber: typeof v.phone_number === "string" && v.phone_number !== "" ? v.phone_number : null,
      tag: typeof v.tag === "string" && v.tag !== "" ? v.tag : null,
      ownerId: typeof v.owner_id === "string" ? v.owner_id : undefined,
      information: typeof info === "object" && info !== null ? (info as Record<string, unknown>) : {},
      extra,
      grouped,
    },
  };
}
