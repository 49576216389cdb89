/**
 * Patterns keep JavaScript's meaning on the linear-time engine: for patterns drawn from
 * JavaScript's syntax (without backreferences and lookaround) and texts rich in the characters
 * where JavaScript and RE2 differ (line terminators, Unicode spaces, the Kelvin sign), the
 * translated pattern answers exactly as a native `u`-mode RegExp does. JSON Schema compiles its
 * patterns in `u` mode, and `matches` follows the same reading. One known difference: with flag
 * `i`, JavaScript's `u` mode counts the Kelvin sign and the long s as word characters for `\w`,
 * `\W`, `\b` and `\B`; RE2 keeps these ASCII, as JavaScript does without `u`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compilePattern, compileSchemaPattern } from "../../../src/syntax/regex.ts";

const ATOMS = [
  "a",
  "b",
  "k",
  "-",
  "\\.",
  ".",
  "\\d",
  "\\D",
  "\\w",
  "\\W",
  "\\s",
  "\\S",
  "[ab]",
  "[^a]",
  "[a-c]",
  "[\\s]",
  "[^\\s]",
  "[\\S\\d]",
  "[\\d-]",
  "[^]",
  "\\u0061",
  "\\x62",
  "\\u{2028}",
  "\\n",
  "\\t",
  "\\cJ",
  "[\\b]",
];
const ASSERTIONS = ["^", "$", "\\b", "\\B"];
const QUANTIFIERS = ["", "", "*", "+", "?", "{2}", "{1,2}", "{0,}", "*?", "+?", "??"];
const TEXT_CHARACTERS = [
  "a",
  "b",
  "c",
  "k",
  "K",
  "\u212a",
  "1",
  "-",
  ".",
  "_",
  " ",
  "\t",
  "\n",
  "\r",
  "\u2028",
  "\u00a0",
  "\ufeff",
  "é",
  "\b",
];

const pattern: fc.Arbitrary<string> = fc
  .letrec<{ seq: string; piece: string }>((tie) => ({
    seq: fc.oneof(
      { depthSize: "xsmall", withCrossShrink: true },
      fc.array(tie("piece"), { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join("")),
      fc.tuple(tie("seq"), tie("seq")).map(([left, right]) => `${left}|${right}`),
    ),
    piece: fc.oneof(
      { depthSize: "xsmall" },
      fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([atom, q]) => atom + q),
      fc.constantFrom(...ASSERTIONS),
      fc
        .tuple(fc.constantFrom("(", "(?:"), tie("seq"), fc.constantFrom(...QUANTIFIERS))
        .map(([open, inner, q]) => `${open}${inner})${q}`),
    ),
  }))
  .seq.filter((source) => source.length <= 60);

const text = fc.array(fc.constantFrom(...TEXT_CHARACTERS), { maxLength: 8 }).map((chars) => chars.join(""));

function nativeOrNull(source: string, flags: string): RegExp | null {
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

describe("JavaScript patterns on the linear-time engine", () => {
  it("answer as a native u-mode RegExp does", () => {
    fc.assert(
      fc.property(
        pattern,
        fc.array(text, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        (source, texts, ignoreCase) => {
          const native = nativeOrNull(source, ignoreCase ? "iu" : "u");
          fc.pre(native !== null);
          const compiled = ignoreCase ? compilePattern(`/${source}/i`) : compileSchemaPattern(source);
          expect(compiled.ok, !compiled.ok ? compiled.message : "").toBe(true);
          if (!compiled.ok) return;
          const asciiWords = ignoreCase && /\\[wWbB]/.test(source);
          for (const sample of texts) {
            if (asciiWords && sample.includes("\u212a")) continue;
            expect(
              compiled.pattern.test(sample),
              `${JSON.stringify(source)} on ${JSON.stringify(sample)}`,
            ).toBe((native as RegExp).test(sample));
          }
        },
      ),
      { numRuns: 800 },
    );
  });
});
