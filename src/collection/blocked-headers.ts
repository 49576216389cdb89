/**
 * Headers a collection may never set (collection-format.md, "Egress"). The list is shared by
 * validation, the Postman importer and the transport, so all three refuse the same names.
 */

/** Exact header names that collections cannot set, in any letter case. */
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

/** Header name prefixes that collections cannot set: `X-Forwarded-*` and `Proxy-*`, in any letter case. */
export const BLOCKED_HEADER_PREFIXES: readonly string[] = ["X-Forwarded-", "Proxy-"];

const BLOCKED_LOWER = new Set(BLOCKED_HEADER_NAMES.map((name) => name.toLowerCase()));
const PREFIXES_LOWER = BLOCKED_HEADER_PREFIXES.map((prefix) => prefix.toLowerCase());

/**
 * Whether a header name is on the blocked list, in any letter case
 * (surrounding whitespace is ignored, as `Headers` ignores it).
 */
export function isBlockedHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return BLOCKED_LOWER.has(lower) || PREFIXES_LOWER.some((prefix) => lower.startsWith(prefix));
}

/** The blocked list in words, for messages. */
export const BLOCKED_HEADERS_TEXT = `${BLOCKED_HEADER_NAMES.join(", ")}, ${BLOCKED_HEADER_PREFIXES.map((prefix) => `${prefix}*`).join(" and ")}`;
