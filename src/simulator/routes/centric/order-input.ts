/** Validation of `order/` and `order-package/` bodies (certncentric-api.md §3.3, §3.4, §6.1 #3). */
import {
  CHECK_TYPES_DOCUMENTED,
  CHECK_TYPES_SEEN,
  MISSING_CLAIMS_STATUS,
  QUICKSCREEN_REQUIRED_CLAIMS,
  REQUIRED_CLAIMS_DOCUMENTED,
  REQUIRED_CLAIMS_EXTENDED,
  UNKNOWN_CHECK_TYPE,
} from "../../assumptions/centric.ts";
import { fill } from "../../assumptions/label.ts";
import { isObject, pythonType } from "../../http.ts";
import { DRF } from "../../messages.ts";
import {
  bool,
  type Checked,
  date,
  type ErrorTree,
  email,
  list,
  object,
  optional,
  required,
  str,
  uuid,
  type Validator,
} from "../../validate.ts";
import type { CentricState } from "./state.ts";

const CHECK_TYPES = new Set([...CHECK_TYPES_DOCUMENTED.value, ...CHECK_TYPES_SEEN.value]);
const REQUIRED_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  ...REQUIRED_CLAIMS_EXTENDED.value,
  ...REQUIRED_CLAIMS_DOCUMENTED.value,
};

/** `check_types_with_arguments`: a non-empty object of known check ids → argument objects. */
const checkTypes: Validator<Record<string, unknown>> = (value): Checked<Record<string, unknown>> => {
  if (!isObject(value)) return { ok: false, error: [DRF.notADict(pythonType(value))] };
  const entries = Object.entries(value);
  if (entries.length === 0) return { ok: false, error: [DRF.emptyDict] };
  const errors: Record<string, ErrorTree> = {};
  for (const [type, args] of entries) {
    if (!CHECK_TYPES.has(type)) errors[type] = [fill(UNKNOWN_CHECK_TYPE.value, { type })];
    else if (!isObject(args)) errors[type] = [DRF.notADict(pythonType(args))];
  }
  return Object.keys(errors).length > 0 ? { ok: false, error: errors } : { ok: true, value };
};

const address = object({}, { passthrough: true });
const inputClaims = object(
  {
    name: optional(
      object(
        {
          given_name: required(str()),
          family_name: required(str()),
          additional_name: optional(str({ allowBlank: true })),
          type: optional(str()),
        },
        { passthrough: true },
      ),
    ),
    date_of_birth: optional(date()),
    email_address: optional(email()),
    residences: optional(list(object({ address: required(address) }, { passthrough: true }))),
    position_location: optional(object({}, { passthrough: true })),
  },
  { passthrough: true },
);

/** A valid order. */
export interface OrderInput {
  emailAddress: string;
  checkTypes: Record<string, unknown>;
  mode: "invite_email" | "invite_link" | "quickscreen";
  inputClaims: Record<string, unknown> | null;
  packageId: string | null;
  group: string | null;
  orderedBy: string | null;
  tags: string[];
  permissiblePurpose: string | null;
}

/** The outcome: a valid order, or errors with the status to answer (400, or 422 for missing claims). */
export type OrderChecked = { ok: true; value: OrderInput } | { ok: false; status: number; error: ErrorTree };

/** Validates an order body; `fromPackage` takes the checks from a saved package. */
export function checkOrder(body: unknown, state: CentricState, fromPackage: boolean): OrderChecked {
  const shape = object({
    email_address: required(email()),
    check_types_with_arguments: fromPackage ? optional(checkTypes) : required(checkTypes),
    package: fromPackage ? required(uuid()) : optional(uuid()),
    send_invite_email: optional(bool(), false),
    return_invite_link: optional(bool(), false),
    input_claims: optional(inputClaims),
    permissible_purpose: optional(str()),
    group: optional(uuid()),
    ordered_by: optional(uuid()),
    tag_ids: optional(list(uuid())),
    tags: optional(list(str())),
    applicant_language: optional(str()),
    message: optional(str({ allowBlank: true })),
  });
  const checked = shape(body);
  if (!checked.ok) return { ok: false, status: 400, error: checked.error };
  const v = checked.value;
  const errors: Record<string, ErrorTree> = {};
  const exists = (key: string, map: ReadonlyMap<string, unknown>): void => {
    const id = v[key];
    if (typeof id === "string" && !map.has(id)) errors[key] = [DRF.pkDoesNotExist(id)];
  };
  exists("package", state.packages);
  exists("group", state.groups);
  exists("ordered_by", state.users);
  const tagIds = Array.isArray(v.tag_ids) ? (v.tag_ids as string[]) : [];
  const unknownTags = tagIds.filter((id) => !state.tags.has(id));
  if (unknownTags.length > 0) errors.tag_ids = unknownTags.map((id) => DRF.pkDoesNotExist(id));
  const pkg = typeof v.package === "string" ? state.packages.get(v.package) : undefined;
  if (pkg && !pkg.is_active) errors.package = ["This package is not active."];
  const mode =
    v.send_invite_email === true
      ? "invite_email"
      : v.return_invite_link === true
        ? "invite_link"
        : "quickscreen";
  const claims = isObject(v.input_claims) ? v.input_claims : null;
  if (mode === "quickscreen") {
    if (claims === null) errors.input_claims = [DRF.required];
    else {
      const missing = QUICKSCREEN_REQUIRED_CLAIMS.value.filter((claim) => claims[claim] === undefined);
      if (missing.length > 0)
        errors.input_claims = Object.fromEntries(missing.map((m) => [m, [DRF.required]]));
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, status: 400, error: errors };
  const types =
    (v.check_types_with_arguments as Record<string, unknown> | undefined) ??
    pkg?.check_types_with_arguments ??
    {};
  if (mode === "quickscreen" && claims !== null) {
    // Check pages list required input claims; missing ones are a 422 (certn-api.md §4.3).
    const missing: Record<string, ErrorTree> = {};
    for (const type of Object.keys(types)) {
      for (const claim of REQUIRED_CLAIMS[type] ?? []) {
        if (claims[claim] === undefined) missing[claim] = [DRF.required];
      }
    }
    if (Object.keys(missing).length > 0) {
      return { ok: false, status: MISSING_CLAIMS_STATUS.value, error: { input_claims: missing } };
    }
  }
  return {
    ok: true,
    value: {
      emailAddress: String(v.email_address),
      checkTypes: types,
      mode,
      inputClaims: claims,
      packageId: pkg?.id ?? null,
      group: typeof v.group === "string" ? v.group : null,
      orderedBy: typeof v.ordered_by === "string" ? v.ordered_by : null,
      tags: [...tagIds, ...(Array.isArray(v.tags) ? (v.tags as string[]) : [])],
      permissiblePurpose: typeof v.permissible_purpose === "string" ? v.permissible_purpose : null,
    },
  };
}
