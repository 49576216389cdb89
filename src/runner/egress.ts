/**
 * The runner's own egress check, before a request is built: the final URL must have exactly the
 * client's base URL origin and no user info. The transport checks again; checking here means the
 * item is reported as refused and nothing, not even a token request, happens for it.
 */
import { ItemFailure, RunnerErrorCode } from "./errors.ts";

function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return "an invalid URL";
  }
}

/**
 * Resolves a templated URL against the base URL and checks its origin.
 * @throws ItemFailure with `CERTN_EGRESS_REFUSED` or `CERTN_INVALID_REQUEST`.
 */
export function resolveRequestUrl(rawUrl: string, baseUrl: string): URL {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new ItemFailure(RunnerErrorCode.EGRESS_REFUSED, "the client's base URL is not a valid URL");
  }
  let url: URL;
  try {
    url = new URL(rawUrl.trim(), base);
  } catch {
    throw new ItemFailure(RunnerErrorCode.INVALID_REQUEST, "the request URL is not a valid URL or path");
  }
  if (url.username !== "" || url.password !== "") {
    throw new ItemFailure(
      RunnerErrorCode.EGRESS_REFUSED,
      `refused: the URL carries user info; requests may only go to ${base.origin}`,
    );
  }
  if (url.protocol !== base.protocol || url.host !== base.host) {
    throw new ItemFailure(
      RunnerErrorCode.EGRESS_REFUSED,
      `refused: ${describe(url.href)} is not the client's origin ${base.origin}; nothing was sent`,
    );
  }
  return url;
}
