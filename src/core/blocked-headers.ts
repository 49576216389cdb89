/**
 * Headers a caller may not set: credentials, hop-by-hop and routing headers, and method
 * overrides. The transport sets `Authorization` itself; anything else here could leak a
 * credential or make a request mean something other than it says. Collection validation, the
 * Postman importer and the runner use this same list, so all of them refuse the same names.
 */
import { CertnError, CertnErrorCode } from "./errors.ts";

/** Exact header names that callers cannot set, in any letter case. */
export const BLOCKED_HEADER_NAMES: readonly string[] = [
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Host",
  "Content-Length",
  "Transfer-Encoding",
  "Connection",
  "Forwarded",
  "X-HTTP-Method-Override",
];

/** Header name prefixes that callers cannot set: `X-Forwarded-*` and `Proxy-*`, in any letter case. */
export const BLOCKED_HEADER_PREFIXES: readonly string[] = ["X-Forwarded-", "Proxy-"];

/** The blocked list in words, for messages: "Authorization, ..., X-Forwarded-* and Proxy-*". */
export const BLOCKED_HEADERS_TEXT = `${BLOCKED_HEADER_NAMES.join(", ")}, ${BLOCKED_HEADER_PREFIXES.map((prefix) => `${prefix}*`).join(" and ")}`;

const BLOCKED_LOWER = new Set(BLOCKED_HEADER_NAMES.map((name) => name.toLowerCase()));
const PREFIXES_LOWER = BLOCKED_HEADER_PREFIXES.map((prefix) => prefix.toLowerCase());

/**
 * True when a caller may not set the header `name`, in any letter case
 * (surrounding whitespace is ignored, as `Headers` ignores it).
 */
export function isBlockedHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return BLOCKED_LOWER.has(lower) || PREFIXES_LOWER.some((prefix) => lower.startsWith(prefix));
}

/**
 * Throws when `headers` holds a blocked header.
 * @throws CertnError `CERTN_BLOCKED_HEADER` naming the header (never its value).
 */
export function assertNoBlockedHeaders(headers: Headers): void {
  for (const [name] of headers) {
    if (isBlockedHeader(name)) {
      throw new CertnError(
        CertnErrorCode.BLOCKED_HEADER,
        `Refused to send: the caller may not set the header "${name}" (the client sets credentials itself)`,
      );
    }
  }
}
