/**
 * E-mail addresses found by their shape, in any text: free text, bodies, and URLs, where the `@`
 * is often percent-encoded (`jane.doe%40example.com`, or `%2540` when encoded twice).
 *
 * A hand-written scanner rather than a regular expression: it visits each character a bounded
 * number of times (the mailbox is read back only as far as the previous `@`, the domain forward
 * only as far as the next), so hostile text such as a megabyte of `a@a@a@…` costs linear time.
 */

// ASCII classes as a table: the mailbox takes letters, digits and RFC 5322's other atext but the
// query delimiters (`/ ? = &`) that end it, so a query's `search=` or a path segment stays readable.
const MAILBOX = 1;
const DOMAIN = 2;
const ASCII_CLASS = new Uint8Array(128);
for (const char of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") {
  ASCII_CLASS[char.charCodeAt(0)] = MAILBOX | DOMAIN;
}
for (const char of "!#$%'*+^`{|}~") ASCII_CLASS[char.charCodeAt(0)] = MAILBOX;
const UNICODE_WORD = /^[\p{L}\p{N}\p{M}]$/u;

function isMailboxChar(code: number, text: string, index: number): boolean {
  if (code < 0x80) return ((ASCII_CLASS[code] ?? 0) & MAILBOX) !== 0;
  return UNICODE_WORD.test(text.charAt(index));
}

function isHex(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** How many characters of a domain start at `index`: 1, 3 for a percent-encoded non-ASCII byte, else 0. */
function domainCharLength(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (Number.isNaN(code)) return 0;
  if (code === 37) {
    // `%C3%A4` (an internationalised name, encoded); `%40`, `%26` and the like end the domain.
    const high = text.charCodeAt(index + 1);
    return isHex(high) && !(high >= 48 && high <= 55) && isHex(text.charCodeAt(index + 2)) ? 3 : 0;
  }
  if (code < 0x80) return ((ASCII_CLASS[code] ?? 0) & DOMAIN) !== 0 ? 1 : 0;
  return UNICODE_WORD.test(text.charAt(index)) ? 1 : 0;
}

/** How an `@` may be written besides itself: percent-encoded once or twice, JSON-escaped, as HTML. */
const AT_SIGNS = ["%40", "%2540", "\\u0040", "&#64;", "&#x40;", "&commat;"];

/**
 * One-character stand-ins for `@` that read as one: full-width (U+FF20, East Asian input
 * methods type it) and small (U+FE6B). NFKC folds both to `@`.
 */
const AT_LOOKALIKES = ["\uFF20", "\uFE6B"];

/** Whether a text holds an `@` written any of those ways. */
const ANY_AT_SIGN = new RegExp(
  ["@", ...AT_LOOKALIKES, ...AT_SIGNS].map((sign) => sign.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&")).join("|"),
);

/** The length of the `@` (plain or as one of {@link AT_SIGNS}) at `index`, or 0. */
function atSignLength(text: string, index: number): number {
  const char = text.charAt(index);
  if (char === "@" || AT_LOOKALIKES.includes(char)) return 1;
  if (char !== "%" && char !== "\\" && char !== "&") return 0;
  for (const sign of AT_SIGNS) if (text.startsWith(sign, index)) return sign.length;
  return 0;
}

function trimEnd(text: string, start: number, end: number): number {
  let at = end;
  while (at > start && (text[at - 1] === "." || text[at - 1] === "-")) at -= 1;
  return at;
}

/**
 * File extensions that are no top-level domain (none is delegated): `logo@2x.png`, an asset at
 * twice the resolution, is a file name, not an address.
 */
export const FILE_EXTENSIONS: ReadonlySet<string> = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "svg",
  "webp",
  "ico",
  "css",
  "js",
  "mjs",
  "json",
  "html",
  "htm",
  "txt",
  "pdf",
  "woff",
  "woff2",
]);

/** A top-level label: two characters or more, not all digits (`hono@4.6.0` is a version), no file extension. */
function isTopLabel(label: string): boolean {
  return label.length >= 2 && /[^\d-]/.test(label) && !FILE_EXTENSIONS.has(label.toLowerCase());
}

/**
 * Where the domain starting at `start` and scanned up to `end` really ends, or -1 if it is not a
 * domain: trailing dots and hyphens are punctuation, and labels after the last plausible
 * top-level one are dropped (`example.com.5` ends at `com`).
 */
function domainEnd(text: string, start: number, end: number): number {
  const first = text[start];
  if (first === "." || first === "-") return -1;
  let at = trimEnd(text, start, end);
  while (at > start) {
    // Backwards to the label's dot, never before `start`: each character is read once.
    let dot = at - 1;
    while (dot > start && text[dot] !== ".") dot -= 1;
    if (dot <= start) return -1;
    if (isTopLabel(text.slice(dot + 1, at))) return at;
    at = trimEnd(text, start, dot);
  }
  return -1;
}

/**
 * Replaces every e-mail-shaped part of `text` with `placeholder`.
 *
 * @example
 * ```ts
 * maskEmails("?search=jane.doe%40example.com&page=2", "[redacted]"); // "?search=[redacted]&page=2"
 * ```
 */
export function maskEmails(text: string, placeholder: string): string {
  // One scan for the usual case, a text with no @ in any spelling (a reported URL, a message).
  if (!ANY_AT_SIGN.test(text)) return text;
  let out = "";
  let copied = 0; // text before this index is in `out`
  let floor = 0; // a mailbox never reaches back before this index (where the previous `@` or address ended)
  let maskedUpTo = -1; // where the last masked address ended
  let index = 0;
  while (index < text.length) {
    const atLength = atSignLength(text, index);
    if (atLength === 0) {
      index += 1;
      continue;
    }
    let mailboxStart = index;
    while (mailboxStart > floor && isMailboxChar(text.charCodeAt(mailboxStart - 1), text, mailboxStart - 1)) {
      mailboxStart -= 1;
    }
    const domainStart = index + atLength;
    let scanned = domainStart;
    for (let step = domainCharLength(text, scanned); step > 0; step = domainCharLength(text, scanned)) {
      scanned += step;
    }
    const end = domainEnd(text, domainStart, scanned);
    // `a@b.cd@e.fg`: the second address begins where the first one ended; both are one mask.
    const joined = maskedUpTo === index;
    if (end !== -1 && (mailboxStart < index || joined)) {
      if (!joined) out += `${text.slice(copied, mailboxStart)}${placeholder}`;
      copied = end;
      maskedUpTo = end;
      floor = end;
      index = end;
    } else {
      floor = domainStart;
      index = domainStart;
    }
  }
  return copied === 0 ? text : `${out}${text.slice(copied)}`;
}
