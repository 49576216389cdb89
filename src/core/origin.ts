/**
 * The egress rule: a client talks to exactly one origin. The base URL must be `https:`, or
 * `http:` on a loopback host (a local stand-in); every request URL must have exactly that origin
 * and no user info. WHATWG URL parsing normalises case, default ports and IPv4 notations
 * (`2130706433`, `0177.0.0.1`, `0x7f.1`), so comparing origins compares what would be dialled.
 */
import { CertnError, CertnErrorCode } from "./errors.ts";

/** True for `localhost`, `127.0.0.0/8` and `[::1]` (as WHATWG URL normalises them). */
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function tryParseUrl(input: string, base?: string): URL | undefined {
  try {
    return new URL(input, base);
  } catch {
    return undefined;
  }
}

/**
 * Checks a base URL and returns its origin (`https://demo-api.certn.co`).
 * @throws TypeError saying what is wrong with it.
 */
export function parseBaseUrl(input: string): string {
  if (typeof input !== "string") throw new TypeError("createCertnClient: baseUrl must be a string URL");
  const url = tryParseUrl(input);
  if (!url) throw new TypeError(`createCertnClient: baseUrl is not a valid URL: ${JSON.stringify(input)}`);
  if (url.username !== "" || url.password !== "") {
    throw new TypeError("createCertnClient: baseUrl must not contain user info (user:password@)");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`createCertnClient: baseUrl must use https: (got ${url.protocol})`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `createCertnClient: baseUrl must use https: (http: is allowed only for localhost, 127.0.0.0/8 and [::1]); got http://${url.host}`,
    );
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw new TypeError(
      `createCertnClient: baseUrl must be an origin without path, query or fragment, for example "https://demo-api.certn.co" (got path ${JSON.stringify(url.pathname)})`,
    );
  }
  return url.origin;
}

/** The URL without its query string and fragment, for messages. */
export function urlWithoutQuery(url: URL | string): string {
  const parsed = typeof url === "string" ? tryParseUrl(url) : url;
  if (!parsed) return "[invalid URL]";
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * Parses `input` (absolute, or a path resolved against `origin`) and checks it has exactly
 * `origin` and no user info.
 * @throws CertnError `CERTN_EGRESS_REFUSED` when it does not; nothing has been sent.
 */
export function checkEgress(input: string, origin: string): URL {
  const url = tryParseUrl(input, origin);
  if (!url) {
    throw new CertnError(
      CertnErrorCode.EGRESS_REFUSED,
      `Refused to send: the URL is not valid (base ${origin})`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw new CertnError(
      CertnErrorCode.EGRESS_REFUSED,
      `Refused to send: the URL carries user info; only ${origin} is allowed`,
    );
  }
  if (url.origin !== origin) {
    const shown = url.origin === "null" ? url.protocol : url.origin;
    throw new CertnError(
      CertnErrorCode.EGRESS_REFUSED,
      `Refused to send to ${shown}: only the base URL's origin ${origin} is allowed`,
    );
  }
  return url;
}
