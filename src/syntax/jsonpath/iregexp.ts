/**
 * I-Regexp (RFC 9485) for `match()` and `search()`. A pattern is checked against I-Regexp's grammar
 * and translated to RE2 syntax (RFC 9485 §5 maps I-Regexp onto RE2 as well as onto JavaScript):
 * `.` becomes `[^\n\r]`, groups become non-capturing, and `match()` anchors the whole string. It
 * then runs on the linear-time engine of `syntax/regex.ts`, so no pattern can stall an evaluation.
 * Anything outside I-Regexp (`\d`, backreferences, lookarounds, lazy quantifiers, `(?...)`) is
 * invalid, and an invalid pattern makes the function false, as RFC 9535 §2.4.6 requires.
 */
import { compileRe2Pattern, MAX_PATTERN_LENGTH, type Pattern } from "../regex.ts";

export { MAX_PATTERN_LENGTH };
/** Longest text `match()`/`search()` test, in UTF-16 code units; longer text never matches. */
export const MAX_TEXT_LENGTH = 64 * 1024;

const MAX_CACHED = 128;
// Translations only: the compiled patterns are cached (few of them) by `syntax/regex.ts`.
const translations = new Map<string, string | null>();

const CATEGORIES = new Set(
  "L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps Z Zl Zp Zs S Sc Sk Sm So C Cc Cf Cn Co".split(
    " ",
  ),
);
const SINGLE_ESCAPES = "()*+-.?[\\]^{|}";
const QUANTIFIER = /\{\d+(?:,\d*)?\}/y;

/**
 * Whether `text` matches the I-Regexp `pattern`: the whole text when `whole` (`match()`),
 * a substring otherwise (`search()`). False when either is not a string, the pattern is not a
 * valid I-Regexp, or a length cap is exceeded.
 */
export function iRegexpTest(text: unknown, pattern: unknown, whole: boolean): boolean {
  const compiled = usable(text, pattern) ? compile(pattern as string, whole) : null;
  return compiled?.test(text as string) === true;
}

/**
 * Work units `iRegexpTest` may cost with these arguments: reading the pattern (compiling it, when
 * it is not cached) and testing the text (see `Pattern.work`).
 */
export function iRegexpWork(text: unknown, pattern: unknown, whole: boolean): number {
  if (!usable(text, pattern)) return 1;
  const compiled = compile(pattern as string, whole);
  return 1 + (pattern as string).length + (compiled === null ? 0 : compiled.work((text as string).length));
}

function usable(text: unknown, pattern: unknown): boolean {
  return (
    typeof text === "string" &&
    typeof pattern === "string" &&
    pattern.length <= MAX_PATTERN_LENGTH &&
    text.length <= MAX_TEXT_LENGTH
  );
}

function compile(pattern: string, whole: boolean): Pattern | null {
  let source = translations.get(pattern);
  if (source === undefined) {
    source = translateIRegexp(pattern) ?? null;
    if (translations.size >= MAX_CACHED) translations.delete(translations.keys().next().value as string);
    translations.set(pattern, source);
  }
  // What the grammar allows but RE2 refuses ({2,1}, [z-a], counts over 1000) is not usable either.
  const result = source === null ? undefined : compileRe2Pattern(pattern, source, whole);
  return result?.ok === true ? result.pattern : null;
}

interface Piece {
  readonly source: string;
  readonly end: number;
  /** A single character, usable as a range bound in a class. */
  readonly single: boolean;
}

/** Translates an I-Regexp to RE2 source, or undefined when it is not valid. */
export function translateIRegexp(pattern: string): string | undefined {
  let out = "";
  let depth = 0;
  let quantifiable = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === "(") {
      out += "(?:";
      depth++;
      quantifiable = false;
      i++;
    } else if (c === ")") {
      if (depth === 0) return undefined;
      depth--;
      out += ")";
      quantifiable = true;
      i++;
    } else if (c === "|") {
      out += "|";
      quantifiable = false;
      i++;
    } else if (c === "*" || c === "+" || c === "?" || c === "{") {
      if (!quantifiable) return undefined;
      let quantifier = c;
      if (c === "{") {
        QUANTIFIER.lastIndex = i;
        const found = QUANTIFIER.exec(pattern);
        if (found === null) return undefined;
        quantifier = found[0];
      }
      out += quantifier;
      i += quantifier.length;
      quantifiable = false;
    } else if (c === "^" || c === "$") {
      // Kept as anchors, as RFC 9485 §5.3's mapping does and the compliance suite expects.
      out += c;
      quantifiable = false;
      i++;
    } else {
      const piece =
        c === "."
          ? { source: "[^\\n\\r]", end: i + 1, single: false }
          : c === "["
            ? readClass(pattern, i)
            : readChar(pattern, i, false);
      if (piece === undefined) return undefined;
      out += piece.source;
      i = piece.end;
      quantifiable = true;
    }
  }
  return depth === 0 ? out : undefined;
}

/** A literal character or an escape, outside (`inClass` false) or inside a character class. */
function readChar(pattern: string, i: number, inClass: boolean): Piece | undefined {
  const c = pattern[i] as string;
  if (c === "\\") return readEscape(pattern, i, inClass);
  if (c === "]" || c === "}" || c === "[" || (inClass && c === "-")) return undefined;
  const code = pattern.codePointAt(i) as number;
  if (code >= 0xd800 && code <= 0xdfff) return undefined;
  const text = String.fromCodePoint(code);
  return { source: inClass && c === "^" ? "\\^" : text, end: i + text.length, single: true };
}

function readEscape(pattern: string, i: number, inClass: boolean): Piece | undefined {
  const c = pattern[i + 1];
  if (c === undefined) return undefined;
  if (c === "p" || c === "P") {
    const close = pattern.indexOf("}", i + 3);
    if (pattern[i + 2] !== "{" || close < 0 || !CATEGORIES.has(pattern.slice(i + 3, close))) return undefined;
    return { source: pattern.slice(i, close + 1), end: close + 1, single: false };
  }
  if (c === "n" || c === "r" || c === "t") return { source: `\\${c}`, end: i + 2, single: true };
  if (!SINGLE_ESCAPES.includes(c)) return undefined;
  // Outside a class a plain `-` means the same as `\-`.
  return { source: c === "-" && !inClass ? "-" : `\\${c}`, end: i + 2, single: true };
}

/** `[` [`^`] (`-` / item) *item [`-`] `]`, where an item is a char, a range or `\p{..}`/`\P{..}`. */
function readClass(pattern: string, start: number): Piece | undefined {
  let i = start + 1;
  let out = "[";
  if (pattern[i] === "^") {
    out += "^";
    i++;
  }
  for (let first = true; ; first = false) {
    const c = pattern[i];
    if (c === undefined) return undefined;
    if (c === "]" && !first) return { source: `${out}]`, end: i + 1, single: false };
    if (c === "-") {
      if (!first && pattern[i + 1] !== "]") return undefined;
      out += "\\-";
      i++;
      continue;
    }
    const low = readChar(pattern, i, true);
    if (low === undefined) return undefined;
    out += low.source;
    i = low.end;
    if (low.single && pattern[i] === "-" && pattern[i + 1] !== "]" && pattern[i + 1] !== undefined) {
      const high = readChar(pattern, i + 1, true);
      if (high === undefined || !high.single) return undefined;
      out += `-${high.source}`;
      i = high.end;
    }
  }
}
