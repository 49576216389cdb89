/**
 * A tiny validator that produces errors in Django REST Framework's shape: a field → messages map,
 * nested for nested objects, lists of per-item errors for lists (certn-api.md §4.1).
 */

import { isObject, pythonType } from "./http.ts";
import { DRF } from "./messages.ts";

/** A DRF error tree. */
export type ErrorTree = string[] | { [key: string]: ErrorTree } | ErrorTree[];

/** The outcome of one validator. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: ErrorTree };

/** Checks and normalises one value. */
export type Validator<T> = (value: unknown) => Checked<T>;

/** A field of an object schema. */
export interface FieldSpec {
  check: Validator<unknown>;
  required?: boolean;
  nullable?: boolean;
}

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const bad = (...messages: string[]): Checked<never> => ({ ok: false, error: messages });

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TRUE_VALUES = new Set<unknown>([true, "true", "True", "TRUE", "1", 1, "yes", "on", "y"]);
const FALSE_VALUES = new Set<unknown>([false, "false", "False", "FALSE", "0", 0, "no", "off", "n"]);

/** A string (numbers are coerced, as DRF's CharField does); blank only when allowed. */
export function str(options: { allowBlank?: boolean } = {}): Validator<string> {
  return (value) => {
    if (typeof value === "number") value = String(value);
    if (typeof value !== "string") return bad(DRF.notAString);
    if (!options.allowBlank && value.trim() === "") return bad(DRF.mayNotBeBlank);
    return ok(value.trim());
  };
}

/** An e-mail address. */
export function email(): Validator<string> {
  return (value) => {
    const s = str()(value);
    if (!s.ok) return s;
    return EMAIL_RE.test(s.value) ? s : bad(DRF.invalidEmail);
  };
}

/** A boolean, with DRF's accepted spellings. */
export function bool(): Validator<boolean> {
  return (value) => {
    if (TRUE_VALUES.has(value)) return ok(true);
    if (FALSE_VALUES.has(value)) return ok(false);
    return bad(DRF.invalidBoolean);
  };
}

/** An integer (DRF's IntegerField: numbers and numeric strings). */
export function int(): Validator<number> {
  return (value) => {
    const n = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    return typeof n === "number" && Number.isInteger(n) ? ok(n) : bad(DRF.invalidInteger);
  };
}

/** A UUID, normalised to the lowercase dashed form. */
export function uuid(): Validator<string> {
  return (value) => {
    if (typeof value !== "string" || !UUID_RE.test(value.trim())) return bad(DRF.invalidUuid);
    const h = value.trim().replaceAll("-", "").toLowerCase();
    return ok(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
  };
}

/** A calendar date `YYYY-MM-DD`. */
export function date(): Validator<string> {
  return (value) => {
    const m = typeof value === "string" ? DATE_RE.exec(value) : null;
    if (!m) return bad(DRF.invalidDate);
    const d = new Date(`${value as string}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return bad(DRF.invalidDate);
    return ok(value as string);
  };
}

/** One of a fixed set of strings. */
export function choice(values: readonly string[]): Validator<string> {
  return (value) =>
    typeof value === "string" && values.includes(value) ? ok(value) : bad(DRF.invalidChoice(String(value)));
}

/** Anything JSON (kept as given). */
export function any(): Validator<unknown> {
  return ok;
}

/** A list whose items pass `item`; errors are a list with `{}` for valid items. */
export function list<T>(item: Validator<T>, options: { allowEmpty?: boolean } = {}): Validator<T[]> {
  return (value) => {
    if (!Array.isArray(value)) return bad(DRF.notAList(pythonType(value)));
    if (value.length === 0 && options.allowEmpty === false) return bad(DRF.emptyList);
    const out: T[] = [];
    const errors: ErrorTree[] = [];
    let failed = false;
    for (const entry of value) {
      const checked = item(entry);
      if (checked.ok) {
        out.push(checked.value);
        errors.push({});
      } else {
        failed = true;
        errors.push(checked.error);
      }
    }
    return failed ? { ok: false, error: errors } : ok(out);
  };
}

/**
 * An object with the given fields. Unknown keys are kept (`passthrough`) or dropped (DRF
 * ignores unknown fields). Errors are keyed by field, `non_field_errors` when not an object.
 */
export function object(
  shape: Readonly<Record<string, FieldSpec>>,
  options: { passthrough?: boolean } = {},
): Validator<Record<string, unknown>> {
  return (value) => {
    if (!isObject(value))
      return { ok: false, error: { non_field_errors: [DRF.notADict(pythonType(value))] } };
    const out: Record<string, unknown> = options.passthrough ? { ...value } : {};
    const errors: Record<string, ErrorTree> = {};
    for (const [key, spec] of Object.entries(shape)) {
      const raw = value[key];
      if (raw === undefined) {
        if (spec.required) errors[key] = [DRF.required];
        continue;
      }
      if (raw === null) {
        if (spec.nullable) out[key] = null;
        else errors[key] = [DRF.mayNotBeNull];
        continue;
      }
      const checked = spec.check(raw);
      if (checked.ok) out[key] = checked.value;
      else errors[key] = checked.error;
    }
    return Object.keys(errors).length > 0 ? { ok: false, error: errors } : ok(out);
  };
}

/** Field spec shorthands. */
export const required = (check: Validator<unknown>): FieldSpec => ({ check, required: true });
export const optional = (check: Validator<unknown>, nullable = true): FieldSpec => ({ check, nullable });

/** One flattened error: a dotted path (`information.addresses.0.city`, `null` at the top) and its message. */
export interface FlatError {
  attr: string | null;
  detail: string;
}

/** Flattens a DRF error tree into `(attr, detail)` pairs (for the CertnCentric envelope). */
export function flattenErrors(tree: ErrorTree, prefix: string | null = null): FlatError[] {
  if (Array.isArray(tree) && tree.every((e) => typeof e === "string")) {
    return (tree as string[]).map((detail) => ({ attr: prefix, detail }));
  }
  const entries: [string, ErrorTree][] = Array.isArray(tree)
    ? tree.map((e, i) => [String(i), e] as [string, ErrorTree])
    : Object.entries(tree);
  return entries.flatMap(([key, sub]) => {
    const attr = key === "non_field_errors" ? prefix : prefix === null ? key : `${prefix}.${key}`;
    return flattenErrors(sub, attr);
  });
}
