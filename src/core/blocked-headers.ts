/**
 * Headers a caller may not set: credentials, hop-by-hop and routing headers, and method
 * overrides. The transport sets `Authorization` itself; anything else here could leak a
 * credential or make a request mean something other than it says.
 */
import { CertnError, CertnErrorCode } from "./errors.ts";

/** True when a caller may not set the header `name` (any letter case). */
export function isBlockedHeader(name: string): boolean {
  return /^(authorization|cookie|host|content-length|transfer-encoding|connection|forwarded|x-http-method-override|x-forwarded-.*|proxy-.*)$/i.test(
    name,
  );
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
