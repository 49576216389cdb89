/** `printable`: what a terminal would act on is shown escaped; everything else is kept. */
import { describe, expect, it } from "vitest";
import { printable, printableJson } from "../../../src/core/printable.ts";

describe("printable", () => {
  it("escapes controls, bidi controls and marks, and line separators", () => {
    expect(printable("a\x1b[2Jb\r\n\t\x7f\x85")).toBe("a\\x1b[2Jb\\x0d\\x0a\\x09\\x7f\\x85");
    expect(printable("\u202e\u2066\u2069\u200e\u200f\u061c")).toBe(
      "\\u{202e}\\u{2066}\\u{2069}\\u{200e}\\u{200f}\\u{61c}",
    );
    expect(printable("x\u2028y\u2029z")).toBe("x\\u{2028}y\\u{2029}z");
    expect(printable("a\u200bb\ufeffc\u00add\u{e0001}")).toBe("a\\u{200b}b\\u{feff}c\\xadd\\u{e0001}");
  });

  it("keeps ordinary Unicode, emoji and joiners as they are", () => {
    const text = "Zoë Ångström — 日本語 ✓ 👩‍💻 Ünïcödé";
    expect(printable(text)).toBe(text);
  });

  it("printableJson: the same JSON value, with nothing a terminal acts on", () => {
    const value = { name: "a\u202eb\u0085c\u2028d\x7f\u200b\u{e0001}", "k\u2066": ["\x1b", "Zoë"] };
    const text = printableJson(JSON.stringify(value, null, 2));
    expect(JSON.parse(text)).toEqual(value);
    expect(text.replaceAll("\n", "")).not.toMatch(
      /[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u,
    );
    expect(text).toContain("Zoë");
  });
});
