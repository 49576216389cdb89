import { describe, expect, it } from "vitest";
import { evaluateAssertion } from "../../../src/assert/evaluate.ts";
import { applyOperator } from "../../../src/assert/operators.ts";
import { viewBody } from "../../../src/assert/response-view.ts";
import { validateSchema } from "../../../src/assert/schema.ts";
import { select } from "../../../src/assert/selectors.ts";
import type { Assertion } from "../../../src/collection/model.ts";
import { expandJson, expandText, UnknownVariableError } from "../../../src/collection/template.ts";
import { compilePattern, MAX_MATCH_TEXT } from "../../../src/syntax/regex.ts";

const body = {
  id: "a-1",
  count: 3,
  results: [
    { id: "r1", status: "Pending", score: 1 },
    { id: "r2", status: "Complete", score: 5 },
    { id: "r3", status: "Complete", score: 9 },
  ],
  tags: ["x", "y"],
  nothing: null,
};

const context = {
  response: {
    status: 201,
    durationMs: 120,
    headers: new Headers({ Location: "/api/v1/hr/applicants/a-1/", "Content-Type": "application/json" }),
    body: viewBody(JSON.stringify(body)),
  },
  variable: (name: string) => ({ pageSize: 5, who: "Complete" })[name],
};
const lookup = (name: string) => ({ pageSize: 5, who: "Complete", id: "a-1" })[name];

function check(assertion: Assertion) {
  return evaluateAssertion(assertion, context, lookup);
}

describe("selectors", () => {
  it("selects status, duration, headers, body, var and JSONPath nodes", () => {
    expect(select("status", context)).toEqual({ ok: true, value: 201 });
    expect(select("duration", context)).toEqual({ ok: true, value: 120 });
    expect(select("header location", context)).toEqual({ ok: true, value: "/api/v1/hr/applicants/a-1/" });
    expect(select("header x-missing", context)).toEqual({ ok: true, value: undefined });
    expect(select("var pageSize", context)).toEqual({ ok: true, value: 5 });
    expect(select("body", context)).toEqual({ ok: true, value: body });
    expect(select("$.results[?@.status == 'Complete'].id", context)).toEqual({
      ok: true,
      value: ["r2", "r3"],
    });
    expect(select("$.results[?@.score > 8].id", context)).toEqual({ ok: true, value: "r3" });
    expect(select("$.results[?@.score > 100].id", context)).toEqual({ ok: true, value: undefined });
    expect(select("$.nothing", context)).toEqual({ ok: true, value: null });
  });

  it("says why a selector cannot apply", () => {
    const html = { ...context, response: { ...context.response, body: viewBody("<p>hi</p>") } };
    const notJson = select("$.id", html);
    expect(notJson.ok).toBe(false);
    expect(!notJson.ok && notJson.message).toMatch(/not valid JSON/);
    expect(select("body", html)).toEqual({ ok: true, value: "<p>hi</p>" });
    const bad = select("$.[", context);
    expect(!bad.ok && bad.message).toMatch(/invalid JSONPath/);
    expect(select("statuss", context).ok).toBe(false);
    expect(select("status", { variable: () => undefined }).ok).toBe(false);
  });
});

describe("operators", () => {
  const cases: Array<[Assertion, boolean]> = [
    [{ that: "status", equals: 201 }, true],
    [{ that: "status", equals: "2xx" }, true],
    [{ that: "status", notEquals: "4xx" }, true],
    [{ that: "status", oneOf: ["4xx", 201] }, true],
    [{ that: "$.count", equals: "{{pageSize}}" }, false],
    [{ that: "$.count", lessThan: "{{pageSize}}" as never }, false],
    [{ that: "$.results[1]", equals: { status: "Complete", id: "r2", score: 5 } }, true],
    [{ that: "$.id", equals: "{{id}}" }, true],
    [{ that: "$.id", exists: true }, true],
    [{ that: "$.missing", exists: false }, true],
    [{ that: "$.missing", exists: true }, false],
    [{ that: "$.nothing", type: "null" }, true],
    [{ that: "$.tags", type: "array" }, true],
    [{ that: "$.count", type: "number" }, true],
    [{ that: "$.id", matches: "^a-\\d$" }, true],
    [{ that: "$.id", matches: "/^A-1$/i" }, true],
    [{ that: "$.id", matches: "^A-1$" }, false],
    [{ that: "$.tags", contains: "y" }, true],
    [{ that: "$.results[*].status", contains: "{{who}}" }, true],
    [{ that: "$.id", contains: "-" }, true],
    [{ that: "$.tags", notContains: "z" }, true],
    [{ that: "header location", startsWith: "/api/" }, true],
    [{ that: "header location", endsWith: "/{{id}}/" }, true],
    [{ that: "$.results[0].status", oneOf: ["Pending", "Complete"] }, true],
    [{ that: "$.count", lessThan: 4 }, true],
    [{ that: "$.count", lessThanOrEqual: 3 }, true],
    [{ that: "$.count", greaterThan: 3 }, false],
    [{ that: "$.count", greaterThanOrEqual: 3 }, true],
    [{ that: "duration", lessThan: 5000 }, true],
    [{ that: "$.tags", length: 2 }, true],
    [{ that: "$.id", length: 3 }, true],
    [{ that: "$.count", length: 1 }, false],
  ];
  for (const [assertion, passed] of cases) {
    it(`${JSON.stringify(assertion)} ${passed ? "passes" : "fails"}`, () => {
      expect(check(assertion).passed).toBe(passed);
    });
  }

  it("records selector, operator, templated expected and actual", () => {
    expect(check({ that: "$.id", equals: "{{id}}", name: "id matches" })).toEqual({
      that: "$.id",
      op: "equals",
      name: "id matches",
      expected: "a-1",
      actual: "a-1",
      passed: true,
    });
  });

  it("throws UnknownVariableError for an unknown variable in a value", () => {
    expect(() => check({ that: "$.id", equals: "{{nope}}" })).toThrow(UnknownVariableError);
  });

  it("explains type mismatches", () => {
    expect(applyOperator("lessThan", "3", 4, "$.x")).toEqual({
      passed: false,
      message: "expected a number, got a string",
    });
    expect(applyOperator("startsWith", undefined, "a", "$.x").message).toMatch(/nothing/);
  });
});

describe("matches caps", () => {
  it("refuses patterns over 256 characters and flags other than i", () => {
    expect(compilePattern("a".repeat(256)).ok).toBe(true);
    const long = compilePattern("a".repeat(257));
    expect(!long.ok && long.message).toMatch(/at most 256/);
    const flags = compilePattern("/a/g");
    expect(!flags.ok && flags.message).toMatch(/only "i"/);
    const broken = compilePattern("(");
    expect(!broken.ok && broken.message).toMatch(/invalid regular expression/);
    expect(check({ that: "$.id", matches: "a".repeat(300) })).toMatchObject({ passed: false });
  });

  it("applies a pattern to at most 64 KB of text", () => {
    const text = `${"a".repeat(MAX_MATCH_TEXT)}END`;
    expect(applyOperator("matches", text, "END$", "body").passed).toBe(false);
    expect(applyOperator("matches", text, "^a+$", "body").passed).toBe(true);
  });
});

describe("schema", () => {
  const schema = {
    type: "object",
    required: ["id", "count"],
    properties: { id: { type: "string" }, count: { type: "integer", minimum: 0 } },
  };
  it("validates with draft 2020-12 by default and draft 7 on request", () => {
    expect(check({ that: "body", schema }).passed).toBe(true);
    expect(check({ that: "$.results[0]", schema }).passed).toBe(false);
    const draft7 = {
      $schema: "http://json-schema.org/draft-07/schema#",
      items: [{ type: "string" }],
      additionalItems: false,
    };
    expect(validateSchema(["a"], draft7)).toEqual({ valid: true });
    expect(validateSchema(["a", "b"], draft7).valid).toBe(false);
    expect(validateSchema(5, true)).toEqual({ valid: true });
  });

  it("resolves local $defs, never fetches a remote $ref", () => {
    const local = { $defs: { id: { type: "string" } }, properties: { id: { $ref: "#/$defs/id" } } };
    expect(validateSchema({ id: "x" }, local)).toEqual({ valid: true });
    expect(validateSchema({ id: 1 }, local).valid).toBe(false);
    const remote = validateSchema({ id: "x" }, { $ref: "https://evil.test/schema.json" });
    expect(remote.valid).toBe(false);
    expect(!remote.valid && remote.message).toMatch(/remote \$ref are never fetched/);
  });

  it("leaves the collection's schema object untouched", () => {
    const mine = {
      type: "object",
      properties: { a: { $ref: "#/$defs/a" } },
      $defs: { a: { type: "number" } },
    };
    const before = JSON.stringify(mine);
    validateSchema({ a: 1 }, mine);
    expect(JSON.stringify(mine)).toBe(before);
  });
});

describe("templates", () => {
  const vars = (name: string) => ({ n: 5, b: false, s: "x", o: { k: [1] }, nul: null })[name];
  it("keeps the type for exactly one template, makes text otherwise", () => {
    expect(expandJson({ a: "{{n}}", b: "{{ b }}", c: "n={{n}}", d: ["{{o}}"], e: "{{o}}!" }, vars)).toEqual({
      a: 5,
      b: false,
      c: "n=5",
      d: [{ k: [1] }],
      e: '{"k":[1]}!',
    });
    expect(expandJson("{{nul}}", vars)).toBeNull();
    expect(expandText("{{s}}{{s}}", vars)).toBe("xx");
    expect(expandText("{ {s} } {{", vars)).toBe("{ {s} } {{");
  });

  it("names the unknown variable", () => {
    expect(() => expandText("a {{ ghost }} b", vars)).toThrow(/unknown variable "ghost"/);
  });

  it("leaves keys literal, even __proto__", () => {
    const out = expandJson(JSON.parse('{"__proto__": "{{s}}", "{{s}}": 1}'), vars) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(["__proto__", "{{s}}"]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
