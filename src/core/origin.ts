/**
 * The egress rule: a client talks to exactly one origin. The base URL must be `https:`, or
 * `http:` on a loopback host (a local stand-in), and is kept in canonical form (no trailing dot on
 * the host); every request URL must have exactly that origin and no user info (a request URL
 * spelled with a trailing dot is refused, not normalised). WHATWG URL parsing normalises case, default ports and IPv4 notations
 * (`2130706433`, `0177.0.0.1`, `0x7f.1`), so comparing origins compares what would be dialled.
 */
import { CertnError, CertnErrorCode } from "./errors.ts";

/** True for `localhost`, `127.0.0.0/8` and `[::1]` (as WHATWG URL normalises them). */
export function isLoopbackHost(hostname: string): boolean {
  return /^(localhost|\[::1\]|127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.test(hostname);
}

/** `input` parsed as a URL (resolved against `base` when given), or undefined when it is not one. */
export function tryParseUrl(input: string, base?: string): URL | undefined {
  try {
    return new URL(input, base);
  } catch {
    return undefined;
  }
}

/**
 * A host name in canonical form: lower case (WHATWG URL lowers it) without the trailing dot of a
 * fully qualified name (`api.certn.co.` is `api.certn.co`); undefined when a label is empty
 * (`a..b`, `.`), which no real host has.
 */
export function canonicalHostname(hostname: string): string | undefined {
  const host = (hostname.endsWith(".") ? hostname.slice(0, -1) : hostname).toLowerCase();
  return host === "" || host.startsWith(".") || host.endsWith(".") || host.includes("..") ? undefined : host;
}

/**
 * The canonical origin of a URL (`https://API.certn.co.:443/x` is `https://api.certn.co`): the
 * one form every origin check compares (the base URL, the order guard, the runner's egress), so
 * they all agree. Undefined for an unparsable URL, one without a host, or an empty label.
 */
export function canonicalOrigin(input: string | URL): string | undefined {
  const url = typeof input === "string" ? tryParseUrl(input) : input;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) return undefined;
  const host = canonicalHostname(url.hostname);
  return host === undefined ? undefined : `${url.protocol}//${host}${url.port ? `:${url.port}` : ""}`;
}

/**
 * Checks a base URL and returns its canonical origin (`https://demo-api.certn.co`; a trailing dot
 * of the host is dropped, so `https://api.certn.co.` is production like `https://api.certn.co`).
 * @throws TypeError saying what is wrong with it (never echoing user info).
 */
export function parseBaseUrl(input: string): string {
  const url = typeof input === "string" ? tryParseUrl(input) : undefined;
  const origin = url && canonicalOrigin(url);
  const host = url && canonicalHostname(url.hostname);
  const problem = !url
    ? `must be a valid URL string (got ${typeof input === "string" ? JSON.stringify(input) : typeof input})`
    : url.username || url.password
      ? "must not contain user info (user:password@)"
      : url.protocol !== "https:" && (url.protocol !== "http:" || !isLoopbackHost(host ?? ""))
        ? `must use https: (http: only for localhost, 127.0.0.0/8 and [::1]); got ${url.protocol}//${url.host}`
        : !origin
          ? `must have a host name without empty labels; got ${url.host}`
          : url.pathname !== "/" || url.search || url.hash
            ? `must be an origin without path, query or fragment, like "${origin}"`
            : "";
  if (problem || !origin) throw new TypeError(`createCertnClient: baseUrl ${problem}`);
  return origin;
}

/** The URL without its query string and fragment, for messages. */
export function urlWithoutQuery(url: URL | string): string {
  const parsed = typeof url === "string" ? tryParseUrl(url) : url;
  return parsed ? parsed.origin + parsed.pathname : "[invalid URL]";
}

/**
 * Parses `input` (absolute, or a path resolved against `origin`) and checks it has exactly
 * `origin` and no user info.
 * @throws CertnError `CERTN_EGRESS_REFUSED` when it does not; nothing has been sent.
 */
export function checkEgress(input: string, origin: string): URL {
  const url = tryParseUrl(input, origin);
  if (url && !url.username && !url.password && url.origin === origin) return url;
  const target = !url
    ? "an invalid URL"
    : url.origin !== origin
      ? url.origin === "null"
        ? url.protocol
        : url.origin
      : "a URL with user info";
  throw new CertnError(
    CertnErrorCode.EGRESS_REFUSED,
    `Refused to send to ${target}: only the base URL's origin ${origin} is allowed`,
  );
}
