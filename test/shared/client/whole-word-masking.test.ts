/**
 * The whole-word masker finds its candidate forms through a trie walked from each run of letters
 * and digits: it must replace exactly what trying every form on every text replaces (the
 * reference below, the masker as it was), with far less work for many values.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { createSecretMasker, secretForms } from "../../../src/core/mask-secrets.ts";

const MARK = "\uE000";
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWordAt = (text: string, index: number): boolean => {
  const char = text[index];
  return char !== undefined && WORD_CHAR.test(char);
};
/** A percent-escape (`%20`) before a word is a separator, though its hex digits are not. */
const mayStart = (text: string, at: number): boolean =>
  !isWordAt(text, at - 1) || /^%[0-9A-Fa-f]{2}$/.test(text.slice(at - 3, at));

/** Every form, longest first, replaced where no letter or digit touches it: the masker before the trie. */
function reference(values: readonly string[], placeholder: string): (text: string) => string {
  const forms = [...new Set(values.filter((value) => value !== "").flatMap(secretForms))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const form of forms) {
      let next = "";
      let from = 0;
      let at = out.indexOf(form);
      while (at !== -1) {
        if (mayStart(out, at) && !isWordAt(out, at + form.length)) {
          next += out.slice(from, at) + MARK;
          from = at + form.length;
          at = out.indexOf(form, from);
        } else at = out.indexOf(form, at + 1);
      }
      if (from > 0) out = next + out.slice(from);
    }
    return out === text ? text : out.split(MARK).join(placeholder);
  };
}

// Few characters, so that values overlap, nest and touch each other in the texts: letters,
// digits, separators, a letter outside the BMP (two UTF-16 units, no word character here), `+`,
// a percent-escape and its parts, and a run longer than the trie's keys.
const piece = fc.constantFrom(
  "%20",
  "%",
  "2C",
  "a",
  "b",
  "ab",
  "1",
  "12",
  "-",
  " ",
  "@",
  ".",
  "+",
  "/",
  "é",
  "𝐀",
  "x",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
);
const value = fc.array(piece, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(""));

describe("whole-word masking through the trie", () => {
  it("replaces exactly what trying every form on every text replaces", () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 8 }),
        fc.array(fc.oneof(piece, value), { maxLength: 20 }),
        (values, parts) => {
          const text = parts.join("");
          const mask = createSecretMasker(values, { placeholder: "[redacted]", wholeWords: true });
          expect(mask(text)).toBe(reference(values, "[redacted]")(text));
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it("masks among many values sharing a prefix, and leaves what only starts like one", () => {
    const values = Array.from({ length: 500 }, (_, index) => `value-${index}`);
    const mask = createSecretMasker(values, { placeholder: "[redacted]", wholeWords: true });
    expect(mask("a value-3, value-30x and value-499.")).toBe("a [redacted], value-30x and [redacted].");
    expect(mask("value-500 value- value")).toBe("value-500 value- value");
  });

  it("takes a word after a percent-escape as whole, among few values and among many", () => {
    // `search={{first}} {{last}}` is sent as `Zelda%20Quixote`: the `0` before the last name is
    // the escape's, not the name's.
    const url = "/applicants/?search=Zelda%20Quixote&team=Zelda%2cQuixote";
    const few = createSecretMasker(["Zelda", "Quixote"], { placeholder: "[redacted]", wholeWords: true });
    expect(few(url)).toBe("/applicants/?search=[redacted]%20[redacted]&team=[redacted]%2c[redacted]");
    const many = createSecretMasker(
      ["Zelda", "Quixote", ...Array.from({ length: 100 }, (_, index) => `value-${index}`)],
      { placeholder: "[redacted]", wholeWords: true },
    );
    expect(many(url)).toBe("/applicants/?search=[redacted]%20[redacted]&team=[redacted]%2c[redacted]");
    // A word that only ends in hex digits is still one word.
    expect(many("x20Quixote 20Quixote")).toBe("x20Quixote 20Quixote");
  });

  it("tries only the forms that can occur in the text, not every form of every value", () => {
    const values = Array.from({ length: 500 }, (_, index) => `person-${index}@example.test`);
    const mask = createSecretMasker(values, { placeholder: "[redacted]", wholeWords: true });
    // Each form tried is one search of the text: counted, not timed (2,000 forms before).
    const searches = vi.spyOn(String.prototype, "includes");
    let masked: string;
    let tried: number;
    try {
      masked = mask("status COMPLETE for person-7@example.test, case 41");
      tried = searches.mock.calls.length;
    } finally {
      searches.mockRestore();
    }
    expect(masked).toBe("status COMPLETE for [redacted], case 41");
    expect(tried).toBeLessThan(10);
  });
});
