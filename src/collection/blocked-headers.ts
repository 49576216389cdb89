/**
 * Headers a collection may never set (collection-format.md, "Egress"). The list is the
 * transport's own (core), so validation, the Postman importer and sending refuse the same names.
 */
import { BLOCKED_HEADER_NAMES, BLOCKED_HEADER_PREFIXES } from "../core/blocked-headers.ts";

export { BLOCKED_HEADER_NAMES, BLOCKED_HEADER_PREFIXES, isBlockedHeader } from "../core/blocked-headers.ts";

/** The blocked list in words, for messages. */
export const BLOCKED_HEADERS_TEXT = `${BLOCKED_HEADER_NAMES.join(", ")}, ${BLOCKED_HEADER_PREFIXES.map((prefix) => `${prefix}*`).join(" and ")}`;
