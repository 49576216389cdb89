/**
 * The one place where user-supplied patterns are compiled: `matches` and `skipIf`, JSON Schema's
 * `pattern` and `patternProperties`, and JSONPath's `match()` and `search()`. Every pattern runs on
 * RE2 (re2js, pure JavaScript), whose matching time grows linearly with the text, so no pattern can
 * stall a run the way a backtracking engine does on `^(a+)+$`. Patterns are written in JavaScript's
 * syntax and translated (see `ecmascript-regex.ts`); what only backtracking can do
 * (backreferences, lookaround) is refused with the reason.
 */
import { RE2JS } from "re2js";
import { translateEcmaScriptPattern } from "./ecmascript-regex.ts";

/** Longest pattern accepted, in characters (`matches`, `skipIf`, JSON Schema and I-Regexp alike). */
export const MAX_PATTERN_LENGTH = 256;
/** Longest text the `matches` operator applies a pattern to, in characters; longer text is cut to this. */
export const MAX_MATCH_TEXT = 64 * 1024;

/** A compiled pattern. Matching takes time linear in the text's length. */
export interface Pattern {
  /** The pattern as written. */
  readonly source: string;
  /** Whether the pattern matches: anywhere in `text`, or the whole of it for an anchored pattern. */
  test(text: string): boolean;
  /**
   * Work units (as the JSONPath and JSON Schema budgets count them) that a test on a text of
   * `length` characters may cost: RE2 steps every live instruction of its program once per
   * character when its DFA gives up, so the text's length times the program's size, over
   * {@link INSTRUCTION_STEPS_PER_UNIT}.
   */
  work(length: number): number;
}

/** Instruction steps counted as one work unit (about 0.1 µs of CPU each, as measured worst). */
export const INSTRUCTION_STEPS_PER_UNIT = 4;

/** A compiled pattern, or why it cannot be used (the message names the pattern). */
export type CompiledPattern = { ok: true; pattern: Pattern } | { ok: false; message: string };

const LITERAL = /^\/(.*)\/([A-Za-z]*)$/s;
// Each compiled pattern keeps a lazily built DFA of up to several megabytes, so few are kept.
const MAX_CACHED = 16;
const cache = new Map<string, CompiledPattern>();

/** The pattern quoted for a message, shortened when long. */
export function describePattern(source: string): string {
  return JSON.stringify(source.length > 60 ? `${source.slice(0, 60)}…` : source);
}

/**
 * Compiles a `matches` value: a pattern in JavaScript syntax, bare (`^CA-\d+$`) or as a literal
 * (`/^ca-\d+$/i`, flag `i` only), searched for anywhere in the text.
 */
export function compilePattern(source: string): CompiledPattern {
  let pattern = source;
  let flags = "";
  const literal = LITERAL.exec(source);
  if (literal) {
    pattern = literal[1] ?? "";
    flags = literal[2] ?? "";
  }
  if (flags !== "" && flags !== "i") {
    return {
      ok: false,
      message: `pattern ${describePattern(source)}: flag(s) "${flags}" are not allowed; only "i" is`,
    };
  }
  return compileCached("matches", source, pattern, flags === "i", false);
}

/** Compiles a JSON Schema `pattern` or `patternProperties` name (JavaScript syntax, no flags, unanchored). */
export function compileSchemaPattern(source: string): CompiledPattern {
  return compileCached("schema", source, source, false, false);
}

/**
 * Compiles a pattern already in RE2 syntax (what the I-Regexp translation produces); `whole`
 * anchors it to the whole text. `source` is the pattern as the user wrote it, for messages.
 */
export function compileRe2Pattern(source: string, re2Source: string, whole: boolean): CompiledPattern {
  return compileCached(whole ? "re2-whole" : "re2", source, re2Source, false, whole);
}

/**
 * Compiles a fixed pattern written in this code base (JavaScript syntax, no length cap), such as a
 * format check. Throws when it does not compile, which is a bug in the caller.
 */
export function compileFixedPattern(
  source: string,
  options: { ignoreCase?: boolean; whole?: boolean } = {},
): Pattern {
  const compiled = compile(
    "fixed",
    source,
    source,
    options.ignoreCase === true,
    options.whole === true,
    Infinity,
  );
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.pattern;
}

/** Tests `text` (cut to {@link MAX_MATCH_TEXT}) against a compiled pattern: the `matches` operator. */
export function testPattern(pattern: Pattern, text: string): boolean {
  return pattern.test(text.length > MAX_MATCH_TEXT ? text.slice(0, MAX_MATCH_TEXT) : text);
}

function compileCached(
  dialect: string,
  source: string,
  pattern: string,
  ignoreCase: boolean,
  whole: boolean,
): CompiledPattern {
  const key = `${dialect}\u0000${ignoreCase ? "i" : ""}\u0000${source}\u0000${pattern}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compile(dialect, source, pattern, ignoreCase, whole);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  } else {
    cache.delete(key);
  }
  cache.set(key, compiled);
  return compiled;
}

function compile(
  dialect: string,
  source: string,
  pattern: string,
  ignoreCase: boolean,
  whole: boolean,
  maxLength = MAX_PATTERN_LENGTH,
): CompiledPattern {
  const named = `pattern ${describePattern(source)}`;
  const alreadyRe2 = dialect.startsWith("re2");
  // The cap is on what the user wrote; a translation may be longer.
  const length = alreadyRe2 ? source.length : pattern.length;
  if (length > maxLength) {
    return { ok: false, message: `${named} is ${length} characters; at most ${maxLength} are allowed` };
  }
  let re2Source = pattern;
  if (!alreadyRe2) {
    const translation = translateEcmaScriptPattern(pattern);
    if (!translation.ok) return { ok: false, message: `${named} cannot be used: ${translation.message}` };
    re2Source = translation.source;
  }
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(re2Source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    return { ok: false, message: `${named} is an invalid regular expression: ${re2Reason(error)}` };
  }
  const test = whole ? (text: string) => re2.testExact(text) : (text: string) => re2.test(text);
  const size = Math.max(1, re2.programSize());
  const work = (textLength: number) => 1 + Math.floor((textLength * size) / INSTRUCTION_STEPS_PER_UNIT);
  return { ok: true, pattern: { source, test, work } };
}

/** RE2's reason without its prefix and without the quoted fragment of the translated source. */
function re2Reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error parsing regexp: /, "").replace(/: `[\s\S]*`$/, "");
}
