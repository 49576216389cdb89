/**
 * Redaction shared by the runner (which builds results from redacted values) and the reporters.
 * Three rules: secret values become `[secret]` in every encoded form that can reach a report;
 * personal fields and SIN/SSN-shaped strings are masked; assertion values are cut to 1 KB.
 */
import type { JsonValue } from "./result.ts";

/** What a secret value is replaced with. */
export const SECRET_PLACEHOLDER = "[secret]";
/** What a personal value is replaced with. */
export const PERSONAL_PLACEHOLDER = "[redacted]";
/** Largest serialized size of an assertion's expected or actual value, in UTF-8 bytes. */
export const MAX_REPORTED_VALUE_BYTES = 1024;

/** Keys whose values are personal data (compared after lower-casing and camelCase → snake_case). */
export const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  "sin",
  "ssn",
  "social_insurance_number",
  "date_of_birth",
  "dob",
  "first_name",
  "last_name",
  "middle_name",
  "email",
  "phone",
  "phone_number",
  "address",
  "addresses",
  "license_number",
  "passport_number",
]);

/** Headers whose values never appear in a report. */
export const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
]);

// SIN 3-3-3 and SSN 3-2-4 with a consistent separator, anywhere in a string; nine bare digits only
// as a whole string, since nine digits inside longer text are too often something else.
const SIN_SHAPED = /(?<!\d)\d{3}([- ])\d{3}\1\d{3}(?!\d)/g;
const SSN_SHAPED = /(?<!\d)\d{3}([- ])\d{2}\1\d{4}(?!\d)/g;
const BARE_NINE_DIGITS = /^\s*\d{9}\s*$/;

/** Whether an object key names personal data. */
export function isPersonalKey(key: string): boolean {
  const normalized = key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/-/g, "_");
  return PERSONAL_KEYS.has(normalized);
}

/** Masks SIN- and SSN-shaped parts of a string. */
export function maskIdentityNumbers(text: string): string {
  if (BARE_NINE_DIGITS.test(text)) return PERSONAL_PLACEHOLDER;
  return text.replace(SIN_SHAPED, PERSONAL_PLACEHOLDER).replace(SSN_SHAPED, PERSONAL_PLACEHOLDER);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Masks personal fields (by key, at any depth) and SIN/SSN-shaped strings in a value. */
export function maskPersonal(value: unknown): unknown {
  if (typeof value === "string") return maskIdentityNumbers(value);
  if (Array.isArray(value)) return value.map(maskPersonal);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      setOwn(out, key, isPersonalKey(key) ? PERSONAL_PLACEHOLDER : maskPersonal(entry));
    }
    return out;
  }
  return value;
}

/**
 * The last member name a selector ends in: `$.information.first_name` → `first_name`,
 * `$.addresses[0]` → `addresses` (trailing indexes, slices, wildcards and filters are skipped),
 * `var email` → `email`. Undefined for other selectors.
 */
export function lastMemberName(selector: string): string | undefined {
  const trimmed = selector.trim();
  if (trimmed.startsWith("var ")) return trimmed.slice(4).trim();
  if (!trimmed.startsWith("$")) return undefined;
  const names: Array<string | undefined> = [];
  let index = 1;
  while (index < trimmed.length) {
    const char = trimmed[index];
    if (char === ".") {
      index += trimmed[index + 1] === "." ? 2 : 1;
      const start = index;
      while (index < trimmed.length && !".[ ".includes(trimmed[index] ?? ".")) index += 1;
      const name = trimmed.slice(start, index);
      names.push(name === "*" || name === "" ? undefined : name);
    } else if (char === "[") {
      const end = closingBracket(trimmed, index);
      const inner = trimmed.slice(index + 1, end).trim();
      const quoted = /^(['"])(.*)\1$/s.exec(inner);
      names.push(quoted && !/['"]\s*,/.test(inner) ? quoted[2] : undefined);
      index = end + 1;
    } else {
      index += 1;
    }
  }
  for (let at = names.length - 1; at >= 0; at -= 1) {
    const name = names[at];
    if (name !== undefined) return name;
  }
  return undefined;
}

function closingBracket(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let index = open; index < text.length; index += 1) {
    const char = text[index];
    if (quote) {
      if (char === "\\") index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') quote = char;
    else if (char === "[") depth += 1;
    else if (char === "]") {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return text.length;
}

const encoder = new TextEncoder();

function utf8Base64(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Percent-encodes every character outside printable ASCII and every character of `alsoEncode`. */
function percentEncode(text: string, alsoEncode: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0x20 && code < 0x7f && !alsoEncode.includes(char)) out += char;
    else
      for (const byte of encoder.encode(char)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The forms in which a secret's value can appear in a result: raw, percent-encoded (component,
 * URI, WHATWG path and query encodings, form encoding with `+`), JSON-escaped and Base64.
 */
export function secretForms(secret: string): string[] {
  if (secret === "") return [];
  const forms = new Set<string>([secret]);
  const add = (produce: () => string): void => {
    try {
      forms.add(produce());
    } catch {
      // A lone surrogate cannot be encoded; the raw form still covers it.
    }
  };
  add(() => encodeURIComponent(secret));
  add(() => encodeURI(secret));
  add(() => new URLSearchParams([["x", secret]]).toString().slice(2));
  add(() => percentEncode(secret, '"#<>?`{}')); // WHATWG path percent-encode set
  add(() => percentEncode(secret, "\"#<>'")); // WHATWG special-query percent-encode set
  add(() => JSON.stringify(secret).slice(1, -1));
  add(() => JSON.stringify(encodeURIComponent(secret)).slice(1, -1));
  add(() => utf8Base64(secret));
  add(() => utf8Base64(secret).replace(/=+$/, ""));
  add(() => utf8Base64(secret).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""));
  forms.delete("");
  // Longest first, so a form is never half-replaced by a shorter one it contains.
  return [...forms].sort((a, b) => b.length - a.length);
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/** Replaces secret values in strings and JSON values. */
export interface Redactor {
  /** Whether there is anything to redact. */
  readonly active: boolean;
  /** A string with every secret form replaced by `[secret]`. */
  text(text: string): string;
  /** A deep copy of a value with secrets replaced in every string, key and number. */
  value(value: unknown): unknown;
}

/** Builds a redactor for the given secret values (numbers and booleans are taken as text). */
export function createRedactor(secrets: Iterable<string | number | boolean>): Redactor {
  const values = [...new Set([...secrets].map(String))].filter((secret) => secret !== "");
  const forms = [...new Set(values.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  const text = (input: string): string => {
    if (forms.length === 0) return input;
    let out = input;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(SECRET_PLACEHOLDER);
    // Catch-all for encodings not listed above: if the decoded text still shows a secret,
    // report the decoded text, redacted.
    if (out.includes("%") || out.includes("+")) {
      const decoded = safeDecode(out);
      if (decoded !== undefined && values.some((secret) => decoded.includes(secret))) {
        let clean = decoded;
        for (const secret of values) clean = clean.split(secret).join(SECRET_PLACEHOLDER);
        return clean;
      }
    }
    return out;
  };
  const value = (input: unknown): unknown => {
    if (forms.length === 0) return input;
    if (typeof input === "string") return text(input);
    if (typeof input === "number" || typeof input === "boolean") {
      const asText = String(input);
      return text(asText) === asText ? input : SECRET_PLACEHOLDER;
    }
    if (Array.isArray(input)) return input.map(value);
    if (input !== null && typeof input === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(input)) setOwn(out, text(key), value(entry));
      return out;
    }
    return input;
  };
  return { active: forms.length > 0, text, value };
}

/** Converts any selected value to JSON (undefined stays undefined; non-JSON values become text). */
export function toJsonValue(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map((entry) => toJsonValue(entry) ?? null);
  if (typeof value === "object") {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, entry] of Object.entries(value)) {
      const json = toJsonValue(entry);
      if (json !== undefined) setOwn(out, key, json);
    }
    return out;
  }
  return String(value);
}

/** Cuts a value whose JSON form exceeds `maxBytes` to a string that says it was truncated. */
export function truncateValue(value: JsonValue, maxBytes = MAX_REPORTED_VALUE_BYTES): JsonValue {
  const serialized = typeof value === "string" ? value : JSON.stringify(value);
  const size = encoder.encode(serialized).length;
  if (size <= maxBytes) return value;
  const note = ` … [truncated, ${size} bytes]`;
  const room = maxBytes - encoder.encode(note).length;
  let cut = serialized.slice(0, room);
  while (encoder.encode(cut).length > room) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return `${cut}${note}`;
}

/**
 * Redacts one assertion value for a report: secrets out, personal data masked (whole when the
 * selector ends in a personal key), then cut to 1 KB.
 */
export function redactAssertionValue(
  value: unknown,
  selector: string,
  redactor: Redactor,
): JsonValue | undefined {
  if (value === undefined) return undefined;
  const member = lastMemberName(selector);
  if (member !== undefined && isPersonalKey(member)) return PERSONAL_PLACEHOLDER;
  const json = toJsonValue(redactor.value(maskPersonal(value)));
  return json === undefined ? undefined : truncateValue(json);
}

/** Headers for a report: credential headers dropped, secrets redacted. */
export function redactHeaders(headers: Headers, redactor: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) setOwn(out, name, redactor.text(value));
  });
  return out;
}
