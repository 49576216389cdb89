/**
 * Translates a pattern written in JavaScript's regular-expression syntax (what `matches` and JSON
 * Schema's `pattern` use) into RE2 syntax, so it runs on a linear-time engine. Where the two
 * dialects read the same text differently, the translation keeps JavaScript's meaning: `.` stops at
 * every JavaScript line terminator, `\s` is JavaScript's Unicode whitespace, `\uXXXX` and `\cX` are
 * spelled the RE2 way, `[^]` matches anything and `[]` nothing. What needs backtracking
 * (backreferences, lookahead, lookbehind) has no RE2 equivalent and is refused, saying why.
 */

/** RE2 source, or why the pattern cannot be translated. */
export type Translation = { ok: true; source: string } | { ok: false; message: string };

const NOT_LINEAR =
  "patterns run on a linear-time engine (RE2), which cannot backtrack: rewrite the pattern without it";

/** JavaScript's `\s`: ASCII whitespace, U+00A0, U+FEFF and Unicode's space separators and line breaks. */
const WHITESPACE: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const MAX_CODE_POINT = 0x10ffff;

function hex(code: number): string {
  return `\\x{${code.toString(16)}}`;
}

function ranges(list: readonly (readonly [number, number])[]): string {
  return list.map(([low, high]) => (low === high ? hex(low) : `${hex(low)}-${hex(high)}`)).join("");
}

function complement(list: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [low, high] of list) {
    if (low > next) out.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const SPACE_ITEMS = ranges(WHITESPACE);
const NON_SPACE_ITEMS = ranges(complement(WHITESPACE));
const ANY_ITEMS = `${hex(0)}-${hex(MAX_CODE_POINT)}`;
/** JavaScript's `.` without the `s` flag: anything but \n, \r, U+2028 and U+2029. */
const DOT = `[^${hex(0x0a)}${hex(0x0d)}${hex(0x2028)}${hex(0x2029)}]`;
/** Characters that must be escaped to stand for themselves outside a class. */
const SYNTAX = new Set("^$\\.*+?()[]{}|/-");
const PROPERTY_PREFIXES = ["General_Category=", "gc=", "Script=", "sc="];
const QUANTIFIER = /\{(\d+)(?:,(\d*))?\}/y;
/** RE2's largest repeat count. */
const MAX_REPEAT = 1000;

/** One translated escape: its RE2 source, where it ends, and the code point when it is one character. */
interface Piece {
  readonly source: string;
  readonly end: number;
  readonly code?: number;
}

class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
}

/**
 * Translates `pattern` (JavaScript syntax) to RE2 syntax with the same meaning, or says what in it
 * RE2 cannot run. Runs in time linear in the pattern's length.
 */
export function translateEcmaScriptPattern(pattern: string): Translation {
  try {
    return { ok: true, source: translate(pattern) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    throw error;
  }
}

function translate(pattern: string): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const piece = readEscape(pattern, i, false);
      out += piece.source;
      i = piece.end;
    } else if (c === "[") {
      const piece = readClass(pattern, i);
      out += piece.source;
      i = piece.end;
    } else if (c === "(") {
      const group = readGroupOpening(pattern, i);
      out += group.source;
      i = group.end;
    } else if (c === ".") {
      out += DOT;
      i++;
    } else if (c === "{") {
      QUANTIFIER.lastIndex = i;
      const quantifier = QUANTIFIER.exec(pattern);
      if (quantifier === null) {
        // Not a quantifier: JavaScript reads a lone brace as itself.
        out += "\\{";
        i++;
      } else {
        const [text, min, max] = quantifier;
        if (Number(min) > MAX_REPEAT || Number(max ?? 0) > MAX_REPEAT) {
          refuse(`the repeat count in "${text}" is above ${MAX_REPEAT}, the most RE2 allows`);
        }
        out += text;
        i += text.length;
      }
    } else if (c === "}" || c === "]") {
      out += `\\${c}`;
      i++;
    } else {
      const code = pattern.codePointAt(i) as number;
      out += String.fromCodePoint(code);
      i += code > 0xffff ? 2 : 1;
    }
  }
  return out;
}

function readGroupOpening(pattern: string, i: number): Piece {
  if (pattern[i + 1] !== "?") return { source: "(", end: i + 1 };
  const rest = pattern.slice(i + 2, i + 4);
  if (rest.startsWith("=") || rest.startsWith("!")) {
    refuse(`it uses a lookahead "(?${rest[0]}"; ${NOT_LINEAR}`);
  }
  if (rest === "<=" || rest === "<!") refuse(`it uses a lookbehind "(?${rest}"; ${NOT_LINEAR}`);
  if (rest.startsWith(":")) return { source: "(?:", end: i + 3 };
  const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i, i + 260));
  if (named !== null) return { source: `(?P<${named[1]}>`, end: i + named[0].length };
  // ES2025 modifiers, `(?i:...)` and `(?-i:...)`, mean the same in RE2.
  const modifiers = /^\(\?[ims]*(?:-[ims]+)?:/.exec(pattern.slice(i, i + 12));
  if (modifiers !== null && modifiers[0] !== "(?-:")
    return { source: modifiers[0], end: i + modifiers[0].length };
  return refuse(
    `"${pattern.slice(i, i + 4)}" is not a group JavaScript knows: use "(...)", "(?:...)" or "(?<name>...)"`,
  );
}

/** A `\` escape, outside (`inClass` false) or inside a character class. */
function readEscape(pattern: string, i: number, inClass: boolean): Piece {
  const c = pattern[i + 1];
  if (c === undefined) refuse("it ends with a lone backslash");
  switch (c) {
    case "d":
    case "D":
    case "w":
    case "W":
      return { source: `\\${c}`, end: i + 2 };
    case "s":
      return { source: inClass ? SPACE_ITEMS : `[${SPACE_ITEMS}]`, end: i + 2 };
    case "S":
      return { source: inClass ? NON_SPACE_ITEMS : `[${NON_SPACE_ITEMS}]`, end: i + 2 };
    case "b":
      // In a class, `\b` is a backspace; outside, a word boundary, as in RE2.
      return inClass ? single(0x08, i + 2) : { source: "\\b", end: i + 2 };
    case "B":
      if (inClass) refuse('"\\B" cannot appear inside a character class');
      return { source: "\\B", end: i + 2 };
    case "t":
      return single(0x09, i + 2);
    case "n":
      return single(0x0a, i + 2);
    case "v":
      return single(0x0b, i + 2);
    case "f":
      return single(0x0c, i + 2);
    case "r":
      return single(0x0d, i + 2);
    case "0":
      if (/[0-9]/.test(pattern[i + 2] ?? ""))
        refuse(`octal escapes such as "\\0${pattern[i + 2]}" are not supported`);
      return single(0, i + 2);
    case "c": {
      const letter = pattern[i + 2] ?? "";
      if (!/^[A-Za-z]$/.test(letter)) refuse('"\\c" must be followed by a letter');
      return single(letter.charCodeAt(0) % 32, i + 3);
    }
    case "x": {
      const digits = pattern.slice(i + 2, i + 4);
      if (!/^[0-9A-Fa-f]{2}$/.test(digits)) refuse('"\\x" must be followed by two hex digits');
      return single(Number.parseInt(digits, 16), i + 4);
    }
    case "u":
      return readUnicodeEscape(pattern, i);
    case "p":
    case "P":
      return readProperty(pattern, i);
    case "k":
      if (pattern[i + 2] === "<") refuse(`it uses a named backreference "\\k<"; ${NOT_LINEAR}`);
      break;
    default:
      if (c >= "1" && c <= "9") refuse(`it uses a backreference "\\${c}"; ${NOT_LINEAR}`);
  }
  if (SYNTAX.has(c)) return single(c.charCodeAt(0), i + 2);
  if (/[A-Za-z0-9_]/.test(c)) refuse(`"\\${c}" is not an escape JavaScript knows`);
  const code = pattern.codePointAt(i + 1) as number;
  return single(code, i + 1 + (code > 0xffff ? 2 : 1));
}

function single(code: number, end: number): Piece {
  return { source: hex(code), end, code };
}

function readUnicodeEscape(pattern: string, i: number): Piece {
  if (pattern[i + 2] === "{") {
    const braced = /^\\u\{([0-9A-Fa-f]{1,6})\}/.exec(pattern.slice(i, i + 11));
    const code = braced === null ? Number.NaN : Number.parseInt(braced[1] as string, 16);
    if (braced === null || code > MAX_CODE_POINT) refuse('"\\u{...}" must hold a code point up to 10FFFF');
    return single(code, i + braced[0].length);
  }
  const unit = unicodeUnit(pattern, i);
  if (unit === undefined) refuse('"\\u" must be followed by four hex digits');
  // A surrogate pair written as two escapes is one character, as in JavaScript's `u` mode.
  const low = unit >= 0xd800 && unit <= 0xdbff ? unicodeUnit(pattern, i + 6) : undefined;
  if (low !== undefined && low >= 0xdc00 && low <= 0xdfff) {
    return single(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00), i + 12);
  }
  return single(unit, i + 6);
}

function unicodeUnit(pattern: string, i: number): number | undefined {
  if (pattern[i] !== "\\" || pattern[i + 1] !== "u") return undefined;
  const digits = pattern.slice(i + 2, i + 6);
  return /^[0-9A-Fa-f]{4}$/.test(digits) ? Number.parseInt(digits, 16) : undefined;
}

/** `\p{Name}` or `\p{Key=Value}`: RE2 spells general categories and scripts by their bare name. */
function readProperty(pattern: string, i: number): Piece {
  const close = pattern.indexOf("}", i);
  if (pattern[i + 2] !== "{" || close < 0 || close - i > 64) {
    refuse(`"\\${pattern[i + 1]}" must be followed by a Unicode property in braces, such as {L}`);
  }
  let name = pattern.slice(i + 3, close);
  const prefix = PROPERTY_PREFIXES.find((candidate) => name.startsWith(candidate));
  if (prefix !== undefined) name = name.slice(prefix.length);
  if (!/^[A-Za-z_]+$/.test(name))
    refuse(`"\\${pattern[i + 1]}{${pattern.slice(i + 3, close)}}" is not supported`);
  return { source: `\\${pattern[i + 1]}{${name}}`, end: close + 1 };
}

/** `[...]`: single characters are written as `\x{...}`, so nothing in them means RE2 syntax. */
function readClass(pattern: string, start: number): Piece {
  let i = start + 1;
  let negated = false;
  if (pattern[i] === "^") {
    negated = true;
    i++;
  }
  if (pattern[i] === "]") {
    // JavaScript's `[]` matches nothing and `[^]` anything; RE2 would read `]` as a member.
    return { source: negated ? `[${ANY_ITEMS}]` : `[^${ANY_ITEMS}]`, end: i + 1 };
  }
  let out = negated ? "[^" : "[";
  for (;;) {
    const c = pattern[i];
    if (c === undefined) refuse('a character class "[" is never closed with "]"');
    if (c === "]") return { source: `${out}]`, end: i + 1 };
    const low = classAtom(pattern, i);
    i = low.end;
    if (pattern[i] === "-" && pattern[i + 1] !== "]" && pattern[i + 1] !== undefined) {
      const high = classAtom(pattern, i + 1);
      if (low.code === undefined || high.code === undefined) {
        // JavaScript reads `[\d-x]` as the set, a hyphen and x.
        out += `${low.source}${hex(0x2d)}${high.source}`;
      } else {
        if (low.code > high.code)
          refuse(`the class range "${pattern.slice(low.end - 1, high.end)}" is out of order`);
        out += `${low.source}-${high.source}`;
      }
      i = high.end;
    } else {
      out += low.source;
    }
  }
}

function classAtom(pattern: string, i: number): Piece {
  if (pattern[i] === "\\") return readEscape(pattern, i, true);
  const code = pattern.codePointAt(i) as number;
  return single(code, i + (code > 0xffff ? 2 : 1));
}
