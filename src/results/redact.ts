/**
 * Redaction shared by the runner (which builds results from redacted values) and the reporters.
 * Three rules: secret values (the run's, and the transport's own credentials and tokens) become
 * `[secret]` in every encoded form that can reach a report; personal data is masked: values under
 * a personal key anywhere on their path (JSONPath selections tell by their normalized paths),
 * personal values the iteration captured wherever they show up again, and e-mail addresses and
 * SIN/SSN numbers found by their shape; assertion values are cut to 1 KB.
 */

import { setOwn } from "../core/json.ts";
import {
  createSecretMasker,
  SECRET_PLACEHOLDER,
  type SecretMasker,
  secretForms,
  urlParserForms,
} from "../core/mask-secrets.ts";
import { memoizeString } from "../core/memo.ts";
import { maskEmails } from "./mask-emails.ts";
import type { JsonValue } from "./result.ts";

export { SECRET_PLACEHOLDER, secretForms };

/** What a personal value is replaced with. */
export const PERSONAL_PLACEHOLDER = "[redacted]";

/**
 * Whether a reported text had a secret or personal value masked in it: its value is then not the
 * one the run held, and must not be used as one (`--export-captures` leaves it out).
 * @example
 * showsMasked("Bearer [secret]"); // true
 */
export function showsMasked(text: string): boolean {
  return text.includes(SECRET_PLACEHOLDER) || text.includes(PERSONAL_PLACEHOLDER);
}
/** Largest serialized size of an assertion's expected or actual value, in UTF-8 bytes. */
export const MAX_REPORTED_VALUE_BYTES = 1024;

/**
 * Keys whose values are personal data. A key matches whatever its casing and separators:
 * `emailAddress`, `Email-Address` and `email address` are all `email_address` (see
 * {@link isPersonalKey}). The applicant fields of the partner API (certn-api.md 3.2, 3.3: the
 * applicant, its `information`, the quick-screen documents; the team's contact people in 3.1) and
 * of CertnCentric (certncentric-api.md 3.3: `email_address`, `input_claims`), and the spellings
 * other APIs and data files give the same fields.
 */
export const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  // Identity numbers and documents.
  "sin",
  "sin_number",
  "ssn",
  "ssn_last4",
  "ssn_last_four",
  "social_insurance_number",
  "social_security_number",
  "license_number",
  "licence_number",
  "driver_license",
  "drivers_license",
  "driver_licence",
  "drivers_licence",
  "driver_license_number",
  "drivers_license_number",
  "driver_licence_number",
  "drivers_licence_number",
  "passport",
  "passport_number",
  "id_frontside_image",
  "id_backside_image",
  "face_image",
  // Birth.
  "date_of_birth",
  "dob",
  "birth_date",
  "birthdate",
  "birthday",
  "birth_city",
  "birth_province_state",
  "birth_country",
  // Names (CertnCentric's `name` object holds given, family and additional names).
  "first_name",
  "last_name",
  "applicant_first_name",
  "applicant_last_name",
  "middle_name",
  "full_name",
  "surname",
  "maiden_name",
  "given_name",
  "family_name",
  "additional_name",
  // Contact.
  "email",
  "emails",
  "email_address",
  "email_addresses",
  "phone",
  "phones",
  "phone_number",
  "phone_numbers",
  "mobile",
  "mobile_number",
  "mobile_phone",
  "cell_phone",
  "cellphone",
  "home_phone",
  "work_phone",
  "telephone",
  "applicant_email",
  // Where a person lives: street-level parts. A city, province or country alone stays (a team's
  // or a job's location), and so does a house number: remembered from a data row, `100` would be
  // masked in every later `page_size=100`. Under an address key they all go with it.
  "address",
  "addresses",
  "full_address",
  "home_address",
  "mailing_address",
  "current_address",
  "previous_address",
  "residential_address",
  "street",
  "street_name",
  "street_address",
  "address_line_1",
  "address_line_2",
  "address1",
  "address2",
  "postal_code",
  "post_code",
  "postcode",
  "zip",
  "zip_code",
  "residences",
  // What the checks found: criminal history, credit.
  "convictions",
  "credit_score",
  // A team's contact people (certn-api.md 3.1).
  "accounting_first_name",
  "accounting_last_name",
  "accounting_email",
  "team_first_name",
  "team_last_name",
  "team_email",
  "team_phone_number",
]);

/**
 * A key as it is compared: compatibility-normalized (full-width letters become ASCII), lower case,
 * without `_`, `-`, `.`, white space or invisible format characters (`First-Name`, `e.mail`,
 * `first\u200bname` → `firstname`, `email`).
 */
function normalizeKey(key: string): string {
  return key
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_.\p{Cf}-]+/gu, "");
}

const NORMALIZED_PERSONAL_KEYS: ReadonlySet<string> = new Set([...PERSONAL_KEYS].map(normalizeKey));

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
const THREE_DIGITS = /\d{3}/;

/** Whether an object key names personal data, whatever its casing and separators. */
export const isPersonalKey: (key: string) => boolean = memoizeString((key) =>
  NORMALIZED_PERSONAL_KEYS.has(normalizeKey(key)),
);

function maskNumbers(text: string): string {
  // Every shape below has a run of three digits: text without one has nothing to mask.
  if (!THREE_DIGITS.test(text)) return text;
  if (BARE_NINE_DIGITS.test(text)) return PERSONAL_PLACEHOLDER;
  return text.replace(SIN_SHAPED, PERSONAL_PLACEHOLDER).replace(SSN_SHAPED, PERSONAL_PLACEHOLDER);
}

/**
 * Masks the personal parts of a string found by their shape: e-mail addresses (also
 * percent-encoded, as URLs carry them) and SIN/SSN numbers; and the signature of a presigned
 * link (a report's `pdf_url`), which opens the applicant's report. Linear time on any input.
 *
 * @example
 * ```ts
 * maskPersonalText("/cases/?search=jane.doe%40example.com&page=2"); // "/cases/?search=[redacted]&page=2"
 * ```
 */
export function maskPersonalText(text: string): string {
  return maskSignedQuery(maskNumbers(maskEmails(text, PERSONAL_PLACEHOLDER)));
}

/**
 * Query parameters that make a URL its own credential: a presigned download link (Certn's report
 * `pdf_url`, S3's and GCS's signatures) opens the applicant's report for whoever holds it until it
 * expires, so a report shows the link without them.
 */
const SIGNED_QUERY =
  /([?&](?:signature|sig|token|access_token|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)=)[^&#\s"'<>]*/gi;

function maskSignedQuery(text: string): string {
  // Every shape masked has a `=`: text without one (most) is returned as it is.
  return text.includes("=") ? text.replace(SIGNED_QUERY, `$1${SECRET_PLACEHOLDER}`) : text;
}

/**
 * Masks personal fields (by key, at any depth), and e-mail addresses and SIN/SSN numbers in its
 * strings (an address used as a key too).
 */
export function maskPersonal(value: unknown): unknown {
  if (typeof value === "string") return maskPersonalText(value);
  if (Array.isArray(value)) return value.map(maskPersonal);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const shown = maskEmails(key, PERSONAL_PLACEHOLDER);
      setOwn(out, shown, isPersonalKey(key) ? PERSONAL_PLACEHOLDER : maskPersonal(entry));
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
export const lastMemberName: (selector: string) => string | undefined = memoizeString(memberNameOf);

function memberNameOf(selector: string): string | undefined {
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

/** Longest text whose masked form one walk of {@link Redactor.value} remembers, and how many it remembers. */
const MEMO_TEXT_LENGTH = 256;
const MEMO_TEXTS = 10_000;

/** Most personal values one redactor remembers (captured values, data-row fields); later ones are left to the key rules. */
export const MAX_PERSONAL_VALUES = 500;

/**
 * Most secret values one redactor takes while it records (values selected from credential headers,
 * see {@link Redactor.addSecret}): each is searched for in every text it masks.
 */
export const MAX_FOUND_SECRETS = 64;

/** Replaces secret values and remembered personal values in strings and JSON values. */
export interface Redactor {
  /** Whether there is anything to redact. */
  readonly active: boolean;
  /**
   * A string with every secret form replaced by `[secret]` (the run's secrets, then the
   * transport's own credentials and tokens), and every remembered personal value, as a whole
   * word, by `[redacted]`.
   */
  text(text: string): string;
  /** A deep copy of a value with secrets replaced in every string, key and number. */
  value(value: unknown): unknown;
  /**
   * Remembers personal values (strings and numbers of two characters or more), so that from now on
   * they are masked wherever they appear: in later request URLs and bodies, messages, values.
   */
  addPersonal(values: Iterable<unknown>): void;
  /**
   * Takes a value met while recording as a secret (a `Set-Cookie` or `Authorization` value a
   * selector read): from now on it is `[secret]` wherever it appears, in the forms a URL makes of
   * it too. Returns false, taking nothing, once {@link MAX_FOUND_SECRETS} are held: the caller
   * must then not use the value.
   */
  addSecret(value: string): boolean;
  /** A redactor with the same secrets and personal values, whose later additions stay its own. */
  fork(): Redactor;
}

/** What a redactor knows besides the run's declared secrets. */
export interface RedactorOptions {
  /**
   * The transport's masker of its own credentials (client secret, Basic form, API key, every
   * access token it has used, mid-run refreshes included): `Transport.maskSecrets`.
   */
  mask?: SecretMasker;
}

function personalText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  if (value.trim().length < 2 || value === PERSONAL_PLACEHOLDER || value === SECRET_PLACEHOLDER)
    return undefined;
  return value;
}

/**
 * Builds a redactor for the given secret values (numbers and booleans are taken as text), plus
 * the transport's own masker. Personal values join later, through `addPersonal`.
 */
export function createRedactor(
  secrets: Iterable<string | number | boolean>,
  options: RedactorOptions = {},
): Redactor {
  const values = [...new Set([...secrets].map(String))].filter((secret) => secret !== "");
  return new ForkableRedactor(createSecretMasker(values), values.length > 0, options.mask, [], []);
}

/**
 * The redactor itself. A class rather than an object literal: every iteration forks one, and a
 * literal with a getter (`active`) is built through V8's slow path, several microseconds each.
 */
class ForkableRedactor implements Redactor {
  readonly #masker: SecretMasker;
  readonly #hasSecrets: boolean;
  readonly #transportMask: SecretMasker | undefined;
  readonly #personal: string[];
  /** The same values, to tell a known one in constant time (a capture may hold 200,000 leaves). */
  readonly #known: Set<string>;
  #personalMasker: SecretMasker | undefined;
  /** Secret values met while recording ({@link Redactor.addSecret}). */
  readonly #found: string[];
  #foundMasker: SecretMasker | undefined;

  constructor(
    masker: SecretMasker,
    hasSecrets: boolean,
    transportMask: SecretMasker | undefined,
    initialPersonal: readonly string[],
    initialFound: readonly string[],
  ) {
    this.#masker = masker;
    this.#hasSecrets = hasSecrets;
    this.#transportMask = transportMask;
    this.#personal = initialPersonal.slice(0, MAX_PERSONAL_VALUES);
    this.#known = new Set(this.#personal);
    this.#found = initialFound.slice();
  }

  get active(): boolean {
    return (
      this.#hasSecrets ||
      this.#transportMask !== undefined ||
      this.#personal.length > 0 ||
      this.#found.length > 0
    );
  }

  #maskTransport(input: string): string {
    const transportMask = this.#transportMask;
    if (!transportMask) return input;
    try {
      const masked = transportMask(input);
      return typeof masked === "string" ? masked : SECRET_PLACEHOLDER;
    } catch {
      // A transport that cannot say what is secret gets nothing of this text into a result.
      return SECRET_PLACEHOLDER;
    }
  }

  text = (input: string): string => {
    let out = this.#masker(input);
    if (this.#found.length > 0) {
      // With their URL forms, as the run's own secrets (runner/secret-values.ts): a captured cookie
      // sent in a later query is reported as the URL parser wrote it.
      this.#foundMasker ??= createSecretMasker(
        this.#found.flatMap((found) => [found, ...urlParserForms(found)]),
      );
      out = this.#foundMasker(out);
    }
    out = this.#maskTransport(out);
    if (this.#personal.length > 0) {
      this.#personalMasker ??= createSecretMasker(this.#personal, {
        placeholder: PERSONAL_PLACEHOLDER,
        wholeWords: true,
      });
      out = this.#personalMasker(out);
    }
    return out;
  };

  /**
   * `text`, remembered for short texts within one walk: keys and values repeat (a list of 100,000
   * records has a few distinct keys), and with hundreds of personal values each text costs
   * microseconds. Within one synchronous walk nothing the masking depends on can change.
   */
  #textIn(input: string, seen: Map<string, string>): string {
    if (input.length > MEMO_TEXT_LENGTH) return this.text(input);
    let masked = seen.get(input);
    if (masked === undefined) {
      masked = this.text(input);
      if (seen.size >= MEMO_TEXTS) seen.clear();
      seen.set(input, masked);
    }
    return masked;
  }

  #value(input: unknown, seen: Map<string, string>): unknown {
    if (typeof input === "string") return this.#textIn(input, seen);
    if (typeof input === "number" || typeof input === "boolean") {
      const asText = String(input);
      const masked = this.#textIn(asText, seen);
      return masked === asText ? input : masked;
    }
    if (Array.isArray(input)) return input.map((entry) => this.#value(entry, seen));
    if (input !== null && typeof input === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(input)) {
        setOwn(out, this.#textIn(key, seen), this.#value(entry, seen));
      }
      return out;
    }
    return input;
  }

  // Nothing to replace: the value is reported as it is, without a copy.
  value = (input: unknown): unknown => (this.active ? this.#value(input, new Map()) : input);

  addPersonal(added: Iterable<unknown>): void {
    const personal = this.#personal;
    // Once full, nothing more is taken: stopping here also stops a lazy walk of a large value.
    if (personal.length >= MAX_PERSONAL_VALUES) return;
    for (const entry of added) {
      const asText = personalText(entry);
      if (asText === undefined || this.#known.has(asText)) continue;
      personal.push(asText);
      this.#known.add(asText);
      this.#personalMasker = undefined;
      if (personal.length >= MAX_PERSONAL_VALUES) break;
    }
  }

  addSecret(value: string): boolean {
    if (value === "" || this.#found.includes(value)) return true;
    if (this.#found.length >= MAX_FOUND_SECRETS) return false;
    this.#found.push(value);
    this.#foundMasker = undefined;
    return true;
  }

  fork(): Redactor {
    return new ForkableRedactor(
      this.#masker,
      this.#hasSecrets,
      this.#transportMask,
      this.#personal,
      this.#found,
    );
  }
}

/**
 * The member names and indexes of a normalized path (RFC 9535 §2.7), such as
 * `$['applicant']['emails'][0]` → `["applicant", "emails", 0]`; undefined for anything else.
 */
export function normalizedPathKeys(path: string): Array<string | number> | undefined {
  if (!path.startsWith("$")) return undefined;
  const keys: Array<string | number> = [];
  const segment = /\[(?:'((?:[^'\\]|\\(?:[bfnrt'\\/]|u[0-9a-fA-F]{4}))*)'|(\d+))\]/y;
  segment.lastIndex = 1;
  while (segment.lastIndex < path.length) {
    const match = segment.exec(path);
    if (!match) return undefined;
    if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push(unescapeName(match[1] ?? ""));
  }
  return keys;
}

const UNESCAPED: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function unescapeName(name: string): string {
  return name.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, sequence: string) =>
    sequence.length === 5
      ? String.fromCharCode(Number.parseInt(sequence.slice(1), 16))
      : (UNESCAPED[sequence] ?? sequence),
  );
}

/** Whether any member name on a normalized path is a personal key (an unreadable path counts as personal). */
export const hasPersonalMember: (path: string) => boolean = memoizeString((path) => {
  const keys = normalizedPathKeys(path);
  if (keys === undefined) return true;
  return keys.some((key) => typeof key === "string" && isPersonalKey(key));
});

/**
 * Whether a selection is personal as a whole: its selector ends in a personal member (or names a
 * personal variable), or it selected exactly one node whose path holds a personal key.
 */
function wholePersonal(selector: string, paths: readonly string[] | undefined): boolean {
  const member = lastMemberName(selector);
  if (member !== undefined && isPersonalKey(member)) return true;
  return paths !== undefined && paths.length === 1 && hasPersonalMember(paths[0] ?? "");
}

/** A selected value with every node on a personal path replaced (several nodes arrive as an array). */
function maskSelectedNodes(value: unknown, selector: string, paths: readonly string[] | undefined): unknown {
  if (wholePersonal(selector, paths)) return PERSONAL_PLACEHOLDER;
  if (paths === undefined || paths.length < 2) return value;
  if (!Array.isArray(value) || value.length !== paths.length) {
    return paths.some(hasPersonalMember) ? PERSONAL_PLACEHOLDER : value;
  }
  return value.map((entry, index) => (hasPersonalMember(paths[index] ?? "") ? PERSONAL_PLACEHOLDER : entry));
}

/**
 * The strings and numbers of `roots` that sit under a personal key (or anywhere in a root marked
 * `true`), in document order, one at a time: the redactor stops taking values once it holds its
 * maximum, and with it the walk, so a capture of a 5 MB list does not visit its 200,000 leaves for
 * nothing. An explicit stack rather than recursion, which a nested generator would pay at every
 * level for every value (JSON may nest 100 deep).
 */
function* personalLeaves(roots: ReadonlyArray<readonly [unknown, boolean]>): Generator<unknown> {
  // One frame per open container, read one child at a time (a wide array too): an object's
  // children paired with whether each sits under a personal key, an array's sharing its own.
  type Frame =
    | { pairs: ReadonlyArray<readonly [unknown, boolean]>; next: number }
    | { items: readonly unknown[]; all: boolean; next: number };
  const stack: Frame[] = [{ pairs: roots, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const size = "pairs" in frame ? frame.pairs.length : frame.items.length;
    if (frame.next >= size) {
      stack.pop();
      continue;
    }
    const [node, all] =
      "pairs" in frame
        ? (frame.pairs[frame.next] as readonly [unknown, boolean])
        : [frame.items[frame.next], frame.all];
    frame.next += 1;
    if (Array.isArray(node)) stack.push({ items: node, all, next: 0 });
    else if (node !== null && typeof node === "object") {
      const pairs = Object.entries(node).map(([key, entry]) => [entry, all || isPersonalKey(key)] as const);
      stack.push({ pairs, next: 0 });
    } else if (all) yield node;
  }
}

/**
 * Every string and number under a personal key, at any depth: `{ email: "a@b", info: { dob: 1 } }`
 * gives `"a@b"`, then `1`. For variable maps and data rows, whose names are keys too.
 */
export function personalFieldValues(value: unknown): Iterable<unknown> {
  return personalLeaves([[value, false]]);
}

/**
 * Every string and number a selected value holds under a personal path: all of it when the
 * selection is personal as a whole, else the nodes on personal paths and whatever sits under a
 * personal key inside. What a capture of it must keep out of later results.
 */
export function personalValuesOf(
  value: unknown,
  selector: string,
  paths?: readonly string[],
): Iterable<unknown> {
  if (wholePersonal(selector, paths)) return personalLeaves([[value, true]]);
  if (paths !== undefined && paths.length > 1 && Array.isArray(value) && value.length === paths.length) {
    return personalLeaves(
      value.map((entry, index) => [entry, hasPersonalMember(paths[index] ?? "")] as const),
    );
  }
  return personalLeaves([[value, false]]);
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
  // A number, boolean or null is at most 24 bytes of JSON: nothing to measure.
  if (value === null || (typeof value !== "string" && typeof value !== "object")) return value;
  const serialized = typeof value === "string" ? value : JSON.stringify(value);
  // A UTF-16 code unit is at most 3 bytes of UTF-8: a short text fits without being encoded.
  if (serialized.length * 3 <= maxBytes) return value;
  const size = encoder.encode(serialized).length;
  if (size <= maxBytes) return value;
  const note = ` … [truncated, ${size} bytes]`;
  const room = maxBytes - encoder.encode(note).length;
  let cut = serialized.slice(0, room);
  while (encoder.encode(cut).length > room) cut = cut.slice(0, Math.floor(cut.length * 0.9));
  return `${cut}${note}`;
}

/**
 * Redacts one selected value (assertion `actual`, a capture) for a report: masked whole when the
 * selector ends in a personal key or its one node's path holds one, node by node when several
 * nodes were selected (`paths`, normalized paths in selection order), personal keys masked
 * inside, secrets out, then cut to 1 KB.
 */
export function redactAssertionValue(
  value: unknown,
  selector: string,
  redactor: Redactor,
  paths?: readonly string[],
): JsonValue | undefined {
  if (value === undefined) return undefined;
  const json = toJsonValue(redactor.value(maskPersonal(maskSelectedNodes(value, selector, paths))));
  return json === undefined ? undefined : truncateValue(json);
}

/**
 * Redacts an assertion's `expected` value: masked whole when the selection it is compared with
 * touches a personal path (any of its nodes), since it then states a personal value.
 */
export function redactExpectedValue(
  value: unknown,
  selector: string,
  redactor: Redactor,
  paths?: readonly string[],
): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (wholePersonal(selector, paths) || (paths ?? []).some(hasPersonalMember)) return PERSONAL_PLACEHOLDER;
  return redactAssertionValue(value, selector, redactor);
}

/**
 * Headers for a report: credential headers dropped, secrets and e-mail addresses (a `Location`
 * with a search in it) redacted. Identity-number shapes stay: a nine-digit request id is not one.
 */
export function redactHeaders(headers: Headers, redactor: Redactor): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) {
      setOwn(out, name, redactor.text(maskEmails(value, PERSONAL_PLACEHOLDER)));
    }
  });
  return out;
}
