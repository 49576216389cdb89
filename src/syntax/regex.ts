/**
 * The `matches` operator's regular expressions: a pattern of at most 256 characters, flag `i` only,
 * written either bare (`^CA-\d+$`) or as a literal (`/^ca-\d+$/i`), applied to at most 64 KB of text.
 * The caps bound what a hostile pattern can cost, since JavaScript regexes backtrack.
 */

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 256;
/** Longest text a pattern is applied to, in characters; longer text is cut to this. */
export const MAX_MATCH_TEXT = 64 * 1024;

const LITERAL = /^\/(.*)\/([A-Za-z]*)$/s;

/** A compiled pattern, or why it cannot be used. */
export type CompiledPattern = { ok: true; regex: RegExp } | { ok: false; message: string };

/** Compiles a `matches` value, checking its length and flags. */
export function compilePattern(source: string): CompiledPattern {
  let pattern = source;
  let flags = "";
  const literal = LITERAL.exec(source);
  if (literal) {
    pattern = literal[1] ?? "";
    flags = literal[2] ?? "";
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return {
      ok: false,
      message: `pattern is ${pattern.length} characters; at most ${MAX_PATTERN_LENGTH} are allowed`,
    };
  }
  if (flags !== "" && flags !== "i") {
    return { ok: false, message: `flag(s) "${flags}" are not allowed; only "i" is` };
  }
  try {
    return { ok: true, regex: new RegExp(pattern, flags) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `invalid regular expression: ${reason}` };
  }
}

/** Tests `text` (cut to {@link MAX_MATCH_TEXT}) against a compiled pattern. */
export function testPattern(regex: RegExp, text: string): boolean {
  return regex.test(text.length > MAX_MATCH_TEXT ? text.slice(0, MAX_MATCH_TEXT) : text);
}
