/**
 * The runner's own egress check, before a request is built: core's rule (exactly the client's
 * base URL origin, in canonical form, and no user info). The transport checks again; checking
 * here means the item is reported as refused and nothing, not even a token request, happens for it.
 */
import { isCertnError } from "../core/errors.ts";
import { canonicalOrigin, checkEgress, tryParseUrl } from "../core/origin.ts";
import { ItemFailure, RunnerErrorCode } from "./errors.ts";

/**
 * Resolves a templated URL against the base URL and checks its origin.
 * @throws ItemFailure with `CERTN_EGRESS_REFUSED` or `CERTN_INVALID_REQUEST`; nothing was sent.
 */
export function resolveRequestUrl(rawUrl: string, baseUrl: string): URL {
  const origin = canonicalOrigin(baseUrl);
  if (origin === undefined) {
    throw new ItemFailure(RunnerErrorCode.EGRESS_REFUSED, "the client's base URL is not a valid URL");
  }
  const url = tryParseUrl(rawUrl.trim(), origin);
  if (!url) {
    throw new ItemFailure(RunnerErrorCode.INVALID_REQUEST, "the request URL is not a valid URL or path");
  }
  try {
    return checkEgress(url.href, origin);
  } catch (error) {
    if (!isCertnError(error)) throw error;
    throw new ItemFailure(error.code, `${error.message}; nothing was sent`);
  }
}
