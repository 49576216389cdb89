/**
 * The `format` keyword's checks. @cfworker/json-schema's own checks are used, except `url`: its
 * expression nests quantifiers (`(?:[a-z0-9]+-?)*[a-z0-9]+`), so a backtracking engine takes time
 * exponential in the host name's length (26 letters and a "!" already cost a quarter of a second).
 * Here `url` runs on the linear-time engine; its negative lookaheads, which excluded private IPv4
 * ranges, are spelled out as the address forms that remain, so it accepts exactly the same strings.
 */
import { format as validatorFormats } from "@cfworker/json-schema";
import { compileFixedPattern } from "../syntax/regex.ts";

/** An IPv4 octet as the original writes it: `1?\d{1,2}|2[0-4]\d|25[0-5]`. */
const OCTET = String.raw`(?:\d{1,2}|1\d\d|2[0-4]\d|25[0-5])`;
const LAST_OCTET = String.raw`(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4])`;
/** First octets 1–223 but 10, 127, 169, 172 and 192, which have their own forms below. */
const PUBLIC_FIRST = String.raw`(?:[1-9]|1[1-9]|[2-9]\d|1(?:[013-5]\d|2[0-689]|6[0-8]|7[013-9]|8\d|9[013-9])|2[01]\d|22[0-3])`;
/** 169.x but 169.254, 172.x but 172.16–31, 192.x but 192.168. */
const SHARED_FIRST = String.raw`169\.(?:\d{1,2}|1\d\d|2[0-4]\d|25[0-35])|172\.(?:\d|0\d|1[0-5]|3[2-9]|[4-9]\d|1\d\d|2[0-4]\d|25[0-5])|192\.(?:\d{1,2}|1[0-57-9]\d|16[0-79]|2[0-4]\d|25[0-5])`;
const PUBLIC_IPV4 = String.raw`(?:${PUBLIC_FIRST}(?:\.${OCTET}){2}|(?:${SHARED_FIRST})\.${OCTET})\.${LAST_OCTET}`;
const LABEL = String.raw`(?:[a-z\u{00a1}-\u{ffff}0-9]+-?)*[a-z\u{00a1}-\u{ffff}0-9]+`;
const HOST = String.raw`${LABEL}(?:\.${LABEL})*(?:\.(?:[a-z\u{00a1}-\u{ffff}]{2,}))`;

/** @cfworker/json-schema's `url` expression, without lookaheads (case-insensitive, Unicode). */
export const URL_FORMAT_SOURCE = String.raw`^(?:(?:https?|ftp):\/\/)(?:\S+(?::\S*)?@)?(?:${PUBLIC_IPV4}|${HOST})(?::\d{2,5})?(?:\/[^\s]*)?$`;

/**
 * Compiled on first use: compiling it (case folding over the Unicode ranges) takes tens of
 * milliseconds, which every process that loads the runner paid at start-up, used or not.
 */
let url: ReturnType<typeof compileFixedPattern> | undefined;

/** How the names of the checks that `schema-prepare.ts` lends the validator begin. */
export const HOOK_PREFIX = "certn-edge:";

/**
 * Whether `text` has the format `name`; formats the validator does not know always pass, as they
 * do in the validator itself. None of the checks backtracks exponentially.
 */
export function checkFormat(name: string, text: string): boolean {
  if (name === "url") {
    url ??= compileFixedPattern(URL_FORMAT_SOURCE, { ignoreCase: true, whole: true });
    return url.test(text);
  }
  if (name.startsWith(HOOK_PREFIX)) return true;
  const check = Object.hasOwn(validatorFormats, name) ? validatorFormats[name] : undefined;
  return check === undefined ? true : check(text);
}
