/**
 * Short, safe summaries of Certn error bodies for error messages: DRF field errors
 * (`{"email": ["This field is required."]}`, nested for nested input) and CertnCentric's
 * `{ type, errors: [{ code, detail, attr }] }` envelope. Only field names and Certn's messages
 * are used; quoted fragments inside messages (where DRF echoes the submitted value) are masked.
 */
import type { CertnCentricErrorItem } from "./errors.ts";
import { isRecord } from "./json.ts";

const MAX_ITEMS = 3;
const MAX_MESSAGE = 160;

/**
 * A credential after its scheme (`Basic dXNlcjpwYXNz`, `Bearer 9f8e…`, `Api-Key k_…`): a server
 * that echoes the `Authorization` header it received in an error `detail` must not put it into
 * an error message. The scheme stays, so the message still says what kind was refused.
 */
const SCHEME_CREDENTIAL = /\b(Basic|Bearer|Api-Key|Token|Digest|Negotiate)(\s+)([\w.~+/=:-]{8,})/gi;
/** A JWT (header and payload are Base64url JSON objects, so they start with `eyJ`). */
const JWT_SHAPED = /\beyJ[\w-]*\.[\w-]+\.[\w-]*/g;

/**
 * Masks credentials that follow an auth scheme, and JWT-shaped tokens, in upstream text. A word of
 * lower-case letters only is prose ("Basic authentication failed"), not a credential.
 */
export function maskCredentials(text: string): string {
  return text
    .replace(SCHEME_CREDENTIAL, (whole, scheme: string, space: string, value: string) =>
      /^[a-z]+$/.test(value) ? whole : `${scheme}${space}…`,
    )
    .replace(JWT_SHAPED, "…");
}

/**
 * Masks quoted fragments (DRF echoes input as `"value" is not a valid choice.`), keeping check
 * flags, SIN/SSN-shaped numbers, and credentials (see {@link maskCredentials}).
 */
export function maskQuoted(message: string): string {
  const masked = maskCredentials(message)
    .replace(/\b\d{3}[- ]?\d{2,3}[- ]?\d{3,4}\b/g, "…")
    .replace(/"([^"]*)"|(?<![A-Za-z])'([^']*)'(?![A-Za-z])/g, (whole, double?: string, single?: string) =>
      /^request_[a-z0-9_]+$/.test(double ?? single ?? "") ? whole : '"…"',
    );
  return masked.length > MAX_MESSAGE ? `${masked.slice(0, MAX_MESSAGE - 1)}…` : masked;
}

/**
 * DRF puts messages in lists (`{"email": ["..."]}`) and under `detail`; a bare string anywhere
 * else may be data, not a message, so it is left out.
 */
function collectDrf(value: unknown, path: string, out: string[], isMessage: boolean): void {
  if (typeof value === "string") {
    if (isMessage && out.length < MAX_ITEMS) out.push((path && `${path}: `) + maskQuoted(value));
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => {
      collectDrf(item, isRecord(item) ? `${path}[${index}]` : path, out, true);
    });
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const generic = /^(non_field_errors|details?)$/.test(key);
      collectDrf(child, generic ? path : path ? `${path}.${key}` : key, out, generic);
    }
  }
}

/** CertnCentric's error list, when `body` uses its envelope. */
export function centricErrors(body: unknown): CertnCentricErrorItem[] | undefined {
  if (!isRecord(body) || typeof body.type !== "string" || !Array.isArray(body.errors)) return undefined;
  return body.errors.filter(isRecord).map(({ code, detail, attr }) => {
    const out: CertnCentricErrorItem = {};
    if (typeof code === "string") out.code = code;
    if (typeof detail === "string") out.detail = detail;
    if (typeof attr === "string" || attr === null) out.attr = attr;
    return out;
  });
}

/** A one-line summary of an error body, or undefined when there is nothing safe to say. */
export function summarizeErrorBody(body: unknown): string | undefined {
  const centric = centricErrors(body);
  if (centric) {
    const first = centric[0];
    if (!first?.detail) return undefined;
    const more = centric.length > 1 ? ` (+${centric.length - 1} more)` : "";
    return `${first.attr ? `${first.attr}: ` : ""}${maskQuoted(first.detail)}${more}`;
  }
  if (isRecord(body) && typeof body.error === "string") {
    // OAuth2 error body from /token/.
    return typeof body.error_description === "string"
      ? `${maskQuoted(body.error)}: ${maskQuoted(body.error_description)}`
      : maskQuoted(body.error);
  }
  const parts: string[] = [];
  collectDrf(body, "", parts, false);
  return parts.join("; ") || undefined;
}
