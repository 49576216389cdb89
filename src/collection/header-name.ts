/** What a header field name may look like in a collection. */

/** RFC 9110 `token`: the characters a header field name may hold. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The `token` rule as a JSON Schema pattern, for the generated schema. */
export const HEADER_TOKEN_PATTERN: string = HEADER_TOKEN.source;

/** Whether a string is a valid HTTP header field name (an RFC 9110 token). */
export function isHeaderToken(name: string): boolean {
  return HEADER_TOKEN.test(name);
}
