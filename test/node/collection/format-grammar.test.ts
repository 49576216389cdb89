/**
 * The collection format's words, checked at validation and in templates: "N chars" counts
 * characters (code points, as JSON Schema's `maxLength` does), a template is "`{{`, then one or
 * more characters other than `}`, then `}}`" (found in linear time), and a header value that
 * cannot be sent (a line break) is refused at its JSON Pointer. The exported JSON Schema agrees.
 */
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { collectionJsonSchemaText } from "../../../scripts/generate-schema.ts";
import type { JsonValue } from "../../../src/collection/model.ts";
import { parseCollection } from "../../../src/collection/parse.ts";
import {
  expandText,
  expandTypedString,
  hasTemplate,
  templateNames,
} from "../../../src/collection/template.ts";

const validator = new Validator(JSON.parse(collectionJsonSchemaText()) as never, "7", false);

function collection(name: string, headers: Record<string, string> = {}) {
  return {
    formatVersion: 1,
    name,
    items: [{ name, request: { method: "GET", url: "/x", headers } }],
  };
}

/** Whether the validator and the exported JSON Schema accept `value`, and the validator's issue pointers. */
function verdicts(value: unknown): { parsed: boolean; schema: boolean; paths: string[] } {
  const parsed = parseCollection(value);
  return {
    parsed: parsed.ok,
    schema: validator.validate(value).valid,
    paths: parsed.ok ? [] : parsed.issues.map((issue) => issue.path),
  };
}

describe('"1..200 chars" counts characters, not UTF-16 units', () => {
  it("accepts 200 emoji (400 units) as a name, refuses 201, as the JSON Schema does", () => {
    expect(verdicts(collection("😀".repeat(200)))).toEqual({ parsed: true, schema: true, paths: [] });
    expect(verdicts(collection("😀".repeat(201)))).toEqual({
      parsed: false,
      schema: false,
      paths: ["/name", "/items/0/name"],
    });
    const parsed = parseCollection(collection("😀".repeat(201)));
    expect(parsed.ok ? "" : parsed.issues[0]?.message).toContain("(got 201 characters)");
  });
});

describe("templates", () => {
  const lookup = (name: string): JsonValue | undefined =>
    ({ x: "X", "a{b": "brace", "{x": "open", n: 5 })[name];

  it("read one or more characters other than } between {{ and }}", () => {
    expect(templateNames("{{a{b}}")).toEqual(["a{b"]);
    expect(templateNames("{{{x}}}")).toEqual(["{x"]);
    expect(expandText("{{a{b}}", lookup)).toBe("brace");
    expect(expandText("{{{x}}}", lookup)).toBe("open}");
    expect(expandText("a {{x}} {{}} {{x}", lookup)).toBe("a X {{}} {{x}");
    expect(() => expandText("{{{y}}}", lookup)).toThrow('unknown variable "{y"');
    expect(expandTypedString("{{n}}", lookup)).toBe(5);
    expect(expandTypedString("{{a{b}}", lookup)).toBe("brace");
    expect(expandTypedString("{{n}}{{n}}", lookup)).toBe("55");
    expect(hasTemplate("{{}}")).toBe(false);
  });

  it("are found in linear time in a text full of {{ and }", () => {
    const opens = "{{".repeat(200_000);
    const started = performance.now();
    expect(templateNames(`${opens}`)).toEqual([]);
    expect(templateNames(`${"{{}".repeat(200_000)}{{x}}`)).toEqual(["x"]);
    expect(templateNames(`${"{{a}".repeat(200_000)}`)).toEqual([]);
    expect(templateNames(`${opens}x}}`)).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("in a matches pattern count as one character when it is checked", () => {
    const item = (matches: string) => ({
      formatVersion: 1,
      name: "c",
      items: [{ name: "i", request: { method: "GET", url: "/x" }, assert: [{ that: "$.a", matches }] }],
    });
    // The template `{{a{(}}` stands for one character: its "(" opens no group.
    expect(parseCollection(item("^{{a{(}}-\\d+$")).ok).toBe(true);
    expect(parseCollection(item("^{{prefix}}(")).ok).toBe(false);
  });
});

describe("header values", () => {
  it.each([
    ["a line feed", "a\nb"],
    ["a carriage return", "a\rb"],
    ["CR LF and a header after it", "x\r\nX-Injected: 1"],
    ["a NUL", "a\u0000b"],
  ])("with %s are refused at the header's pointer, by the JSON Schema too", (_what, value) => {
    const verdict = verdicts(collection("c", { "X-Note": value }));
    expect(verdict).toEqual({ parsed: false, schema: false, paths: ["/items/0/request/headers/X-Note"] });
    const parsed = parseCollection(collection("c", { "X-Note": value }));
    expect(parsed.ok ? "" : parsed.issues[0]?.message).toContain("line break");
    expect(parsed.ok ? "" : parsed.issues[0]?.message).not.toContain(value);
  });

  it("with tabs, quotes and templates are accepted", () => {
    expect(verdicts(collection("c", { "X-Note": 'a\tb "{{x}}"' }))).toEqual({
      parsed: true,
      schema: true,
      paths: [],
    });
  });
});
