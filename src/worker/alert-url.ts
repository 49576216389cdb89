/**
 * Where a monitor's alerts may go: an `https:` URL on a public host that is not Certn's. Loopback,
 * private, link-local, carrier-grade NAT and other special addresses are refused (classified by
 * ipaddr.js, after WHATWG URL parsing normalised IPv4 spellings such as `0x7f.1`), and so are
 * names that only resolve inside a network (`localhost`, `*.local`, single labels). Only the
 * development entry and the tests may allow `http://127.0.0.1` (a receiver on this machine).
 * A host name that resolves to a private address cannot be caught here (Workers have no DNS
 * look-up); Cloudflare's fetch does not reach private networks from a deployed Worker.
 */
import ipaddr from "ipaddr.js";
import { canonicalHostname, canonicalOrigin, tryParseUrl } from "../core/origin.ts";

/** Longest alert URL accepted. */
export const MAX_ALERT_URL_LENGTH = 2048;

/** What else an alert URL is checked against. */
export interface AlertUrlPolicy {
  /** The Certn origin the deployment uses (its own alerts must not go there). */
  certnOrigin: string | undefined;
  /** Allow `http:` and `https:` to 127.0.0.1 (development entry and tests only). */
  allowLoopback: boolean;
}

/** Suffixes of names that resolve only inside a network (RFC 6761, RFC 6762, RFC 8375). */
const INTERNAL_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan", ".intranet"];

/** True for Certn's own hosts, whose origin an alert must never reach. */
function isCertnHost(host: string): boolean {
  return host === "certn.co" || host.endsWith(".certn.co");
}

/**
 * IPv4-compatible IPv6 (`::/96`, deprecated by RFC 4291): WHATWG URL writes `[::127.0.0.1]` as
 * `[::7f00:1]`, which ipaddr.js calls "unicast", yet stacks that still honour the form send it to
 * the IPv4 address it carries.
 */
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

/** The range an address is refused for, or undefined for a public unicast one. */
function specialRange(address: ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  const range = address.range();
  if (range !== "unicast") return range;
  return address.kind() === "ipv6" && address.match(IPV4_COMPATIBLE) ? "ipv4Compatible" : undefined;
}

/** The address in a URL host (`[::1]` unbracketed), or undefined for a name. */
function addressOf(host: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  // process() turns an IPv4-mapped IPv6 address (::ffff:10.0.0.1) into the IPv4 one it carries.
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

/**
 * Why `url` may not receive alerts, or undefined when it may.
 * @example
 * alertUrlProblem("https://hooks.slack.com/services/T0/B0/x", { certnOrigin: undefined, allowLoopback: false }); // undefined
 * alertUrlProblem("http://10.0.0.5/hook", { certnOrigin: undefined, allowLoopback: false }); // "must use https: ..."
 */
export function alertUrlProblem(url: string, policy: AlertUrlPolicy): string | undefined {
  if (url.length > MAX_ALERT_URL_LENGTH) return `must be at most ${MAX_ALERT_URL_LENGTH} characters`;
  const parsed = tryParseUrl(url);
  if (parsed === undefined) return "must be an absolute URL";
  if (parsed.username !== "" || parsed.password !== "") return "must not contain user info (user:password@)";
  const host = canonicalHostname(parsed.hostname);
  if (host === undefined) return "must have a host name without empty labels";
  const address = addressOf(host);
  const loopbackAllowed =
    policy.allowLoopback && address?.kind() === "ipv4" && address.range() === "loopback";
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && loopbackAllowed)) {
    return `must use https: (got ${parsed.protocol})`;
  }
  if (address !== undefined) {
    const range = specialRange(address);
    if (!loopbackAllowed && range !== undefined) {
      return `must be a public address (${host} is ${range})`;
    }
  } else if (host === "localhost" || INTERNAL_SUFFIXES.some((suffix) => host.endsWith(suffix))) {
    return `must be a public host name (${host} resolves only inside a network)`;
  } else if (!host.includes(".")) {
    return `must be a fully qualified host name (${host} has a single label)`;
  }
  if (isCertnHost(host) || canonicalOrigin(parsed) === policy.certnOrigin) {
    return "must not be a Certn origin";
  }
  return undefined;
}

/**
 * The URL as the API and the logs may show it: its origin and a redacted path (a webhook URL's
 * path or query often is its secret, as in Slack's `/services/T…/B…/token`).
 * @example
 * redactAlertUrl("https://hooks.slack.com/services/T0/B0/secret"); // "https://hooks.slack.com/***"
 */
export function redactAlertUrl(url: string): string {
  const parsed = tryParseUrl(url);
  if (parsed === undefined) return "[invalid URL]";
  const bare = parsed.pathname === "/" && parsed.search === "";
  return `${parsed.protocol}//${parsed.host}${bare ? "/" : "/***"}`;
}
