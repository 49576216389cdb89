/**
 * Headers a collection may never set (collection-format.md, "Egress"). The list is shared by
 * validation, the Postman importer and the transport, so all three refuse the same names.
 */

/** Exact header names (lower case) that collections cannot set, in any letter case. */
export const BLOCKED_HEADER_NAMES: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "forwarded",
  "x-http-method-override",
];

/** Header name prefixes (lower case) that collections cannot set: `X-Forwarded-*` and `Proxy-*`. */
export const BLOCKED_HEADER_PREFIXES: readonly string[] = ["x-forwarded-", "proxy-"];

/**
 * Whether a header name is on the blocked list, in any letter case
 * (surrounding whitespace is ignored, as `Headers` would ignore it).
 */
export function isBlockedHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return (
    BLOCKED_HEADER_NAMES.includes(lower) || BLOCKED_HEADER_PREFIXES.some((prefix) => lower.startsWith(prefix))
  );
}
