/**
 * Short, safe summaries of Certn error bodies for error messages: DRF field errors
 * (`{"email": ["This field is required."]}`, nested for nested input) and CertnCentric's
 * `{ type, errors: [{ code, detail, attr }] }` envelope. Only field names and Certn's messages
 * are used; quoted fragments inside messages (where DRF echoes the submitted value) are masked.
 */
import type { CertnCentricErrorItem } from "./errors.ts";

const MAX_ITEMS = 3;
const MAX_MESSAGE = 160;

/**
 * Masks quoted fragments (DRF echoes input as `"value" is not a valid choice.`), keeping check
 * flags, and SIN/SSN-shaped numbers.
 */
export function maskQuoted(message: string): string {
  const masked = message
    .replace(/\b\d{3}[- ]?\d{2,3}[- ]?\d{3,4}\b/g, "…")
    .replace(/"([^"]*)"|(?<![A-Za-z])'([^']*)'(?![A-Za-z])/g, (whole, double?: string, single?: string) => {
      const inner = double ?? single ?? "";
      return /^request_[a-z0-9_]+$/.test(inner) ? whole : '"…"';
    });
  return masked.length > MAX_MESSAGE ? `${masked.slice(0, MAX_MESSAGE - 1)}…` : masked;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * DRF puts messages in lists (`{"email": ["..."]}`) and under `detail`; a bare string anywhere
 * else may be data, not a message, so it is left out.
 */
function collectDrf(value: unknown, path: string, out: string[], isMessage: boolean): void {
  if (out.length >= MAX_ITEMS) return;
  if (typeof value === "string") {
    if (isMessage) out.push(path ? `${path}: ${maskQuoted(value)}` : maskQuoted(value));
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const child = isRecord(item) ? `${path}[${index}]` : path;
      collectDrf(item, child, out, true);
    });
    return;
  }
  if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const generic = key === "non_field_errors" || key === "detail" || key === "details";
      const name = generic ? path : path ? `${path}.${key}` : key;
      collectDrf(child, name, out, generic);
      if (out.length >= MAX_ITEMS) return;
    }
  }
}

/** CertnCentric's error list, when `body` uses its envelope. */
export function centricErrors(body: unknown): CertnCentricErrorItem[] | undefined {
  if (!isRecord(body) || typeof body.type !== "string" || !Array.isArray(body.errors)) return undefined;
  return body.errors.filter(isRecord).map((item) => {
    const out: CertnCentricErrorItem = {};
    if (typeof item.code === "string") out.code = item.code;
    if (typeof item.detail === "string") out.detail = item.detail;
    if (typeof item.attr === "string" || item.attr === null) out.attr = item.attr;
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
      ? `${body.error}: ${maskQuoted(body.error_description)}`
      : body.error;
  }
  if (!isRecord(body) && !Array.isArray(body)) return undefined;
  const parts: string[] = [];
  collectDrf(body, "", parts, false);
  return parts.length > 0 ? parts.join("; ") : undefined;
}
