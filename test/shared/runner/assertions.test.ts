import { format as validatorFormats } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { evaluateAssertion } from "../../../src/assert/evaluate.ts";
import { applyOperator } from "../../../src/assert/operators.ts";
import { viewBody } from "../../../src/assert/response-view.ts";
import { MAX_SCHEMA_STEPS, validateSchema } from "../../../src/assert/schema.ts";
import { select } from "../../../src/assert/selectors.ts";
import type { Assertion } from "../../../src/collection/model.ts";
import { parseCollection } from "../../../src/collection/parse.ts";
import { expandJson, expandText, UnknownVariableError } from "../../../src/collection/template.ts";
import { MAX_JSONPATH_VISITS } from "../../../src/syntax/jsonpath/index.ts";
import { compilePattern, compileSchemaPattern, MAX_MATCH_TEXT } from "../../../src/syntax/regex.ts";

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
    // A JSONPath selection also gives its nodes' normalized paths (redaction reads them).
    expect(select("$.results[?@.status == 'Complete'].id", context)).toEqual({
      ok: true,
      value: ["r2", "r3"],
      paths: ["$['results'][1]['id']", "$['results'][2]['id']"],
    });
    expect(select("$.results[?@.score > 8].id", context)).toEqual({
      ok: true,
      value: "r3",
      paths: ["$['results'][2]['id']"],
    });
    expect(select("$.results[?@.score > 100].id", context)).toEqual({
      ok: true,
      value: undefined,
      paths: [],
    });
    expect(select("$.nothing", context)).toEqual({ ok: true, value: null, paths: ["$['nothing']"] });
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
      actualPaths: ["$['id']"],
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

  it("passes notEquals and notContains when the selector selects nothing, and fails every other operator", () => {
    // Collection format: equals / notEquals is deep equality with the value (negated), and
    // notContains is contains negated: nothing selected is equal to no value and contains nothing.
    for (const assertion of [
      { that: "$.missing", notEquals: "a-1" },
      { that: "$.missing", notEquals: null },
      { that: "header x-missing", notEquals: "x" },
      { that: "$.results[?@.score > 100].id", notEquals: "r1" },
      { that: "$.missing", notContains: "z" },
      { that: "$.results[?@.score > 100].id", notContains: "r1" },
    ] as Assertion[]) {
      const outcome = check(assertion);
      expect(outcome).toMatchObject({ that: assertion.that, actual: undefined, passed: true });
      expect(outcome.message).toBeUndefined();
    }
    // Their positive twins, and every operator but exists, still fail on nothing, saying so.
    for (const assertion of [
      { that: "$.missing", equals: "a-1" },
      { that: "$.missing", contains: "z" },
      { that: "header x-missing", startsWith: "x" },
      { that: "$.missing", oneOf: ["a-1"] },
      { that: "$.missing", length: 0 },
    ] as Assertion[]) {
      expect(check(assertion)).toMatchObject({ actual: undefined, passed: false });
    }
    expect(check({ that: "$.missing", contains: "z" }).message).toMatch(/got nothing/);
    // Presence is asserted with exists: true, which still fails on nothing.
    expect(check({ that: "$.missing", exists: true }).passed).toBe(false);
    // A selector that cannot apply is no "nothing": the negative operators fail on it, saying why.
    const html = { ...context, response: { ...context.response, body: viewBody("<p>hi</p>") } };
    for (const assertion of [
      { that: "$.id", notEquals: "a-1" },
      { that: "$.id", notContains: "z" },
    ] as Assertion[]) {
      expect(evaluateAssertion(assertion, html, lookup)).toMatchObject({
        passed: false,
        message: expect.stringMatching(/not valid JSON/),
      });
    }
    // Something selected, even null, is compared as before.
    expect(check({ that: "$.nothing", notEquals: "x" }).passed).toBe(true);
    expect(check({ that: "$.nothing", notEquals: null })).toMatchObject({ passed: false, actual: null });
    expect(check({ that: "$.id", notEquals: "a-1" })).toMatchObject({ passed: false, actual: "a-1" });
    expect(check({ that: "$.tags", notContains: "x" })).toMatchObject({ passed: false, actual: ["x", "y"] });
    // notContains on a value that can contain nothing (a number) still fails, saying why.
    expect(check({ that: "$.count", notContains: "z" })).toMatchObject({
      passed: false,
      message: "expected a string or an array, got a number",
    });
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

/** Milliseconds `run` takes; hostile cases must end in a small fraction of what backtracking needs. */
function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

/** A string on which `^(a+)+$` backtracks 2^40 times in a JavaScript RegExp. */
const CATASTROPHIC_TEXT = `${"a".repeat(40)}!`;

describe("patterns run on a linear-time engine", () => {
  it("answers ^(a+)+$ on 40 a's and a '!' at once (matches operator)", () => {
    const { value, ms } = timed(() => applyOperator("matches", CATASTROPHIC_TEXT, "^(a+)+$", "$.x"));
    expect(value).toEqual({ passed: false });
    expect(ms).toBeLessThan(1000);
    const long = `${"a".repeat(MAX_MATCH_TEXT - 1)}!`;
    expect(timed(() => applyOperator("matches", long, "(a|aa)*$", "body")).value.passed).toBe(true);
    expect(timed(() => applyOperator("matches", long, "^(a|aa)*$", "body")).ms).toBeLessThan(2000);
  });

  it("keeps JavaScript's meaning where RE2 reads the same text differently", () => {
    const matches = (pattern: string, text: string) => applyOperator("matches", text, pattern, "$.x").passed;
    expect(matches("^a.b$", "a\rb")).toBe(false);
    expect(matches("^a.b$", "a\u2028b")).toBe(false);
    expect(matches("^a.b$", "a-b")).toBe(true);
    expect(matches("^\\s$", "\u00a0")).toBe(true);
    expect(matches("^\\S$", "\u00a0")).toBe(false);
    expect(matches("^[\\s]+$", "\ufeff ")).toBe(true);
    expect(matches("^\\u0041\\x42\\cJ$", "AB\n")).toBe(true);
    expect(matches("^\\u{1F600}$", "\u{1F600}")).toBe(true);
    expect(matches("^\\ud83d\\ude00$", "\u{1F600}")).toBe(true);
    expect(matches("^[^]$", "\n")).toBe(true);
    expect(matches("[]", "anything")).toBe(false);
    expect(matches("^[\\b]$", "\b")).toBe(true);
    expect(matches("^(?<year>\\d{4})-\\d\\d$", "2026-11")).toBe(true);
    expect(matches("/^ABC$/i", "abc")).toBe(true);
    expect(matches("^a{2}$", "aa")).toBe(true);
    expect(matches("^a{$", "a{")).toBe(true);
    expect(matches("^[\\d-x]+$", "1-x")).toBe(true);
    expect(matches("^\\p{Lu}+$", "ÀB")).toBe(true);
  });

  it("refuses what only backtracking can do, naming the pattern and the reason", () => {
    const cases: Array<[string, RegExp]> = [
      ["(a)\\1", /backreference "\\1"/],
      ["(?<x>a)\\k<x>", /named backreference/],
      ["a(?=b)", /lookahead/],
      ["a(?!b)", /lookahead/],
      ["(?<=a)b", /lookbehind/],
      ["(?<!a)b", /lookbehind/],
      ["a{1001}", /above 1000/],
      ["\\A", /not an escape/],
    ];
    for (const [pattern, reason] of cases) {
      const compiled = compilePattern(pattern);
      expect(compiled.ok).toBe(false);
      expect(!compiled.ok && compiled.message).toContain(`pattern ${JSON.stringify(pattern)}`);
      expect(!compiled.ok && compiled.message).toMatch(reason);
      expect(compileSchemaPattern(pattern).ok).toBe(false);
    }
    expect(applyOperator("matches", "aa", "(a)\\1", "$.x")).toMatchObject({
      passed: false,
      message: expect.stringContaining("backreference"),
    });
  });

  it("refuses them up front, with the JSON Pointer of the pattern", () => {
    const collection = {
      formatVersion: 1,
      name: "c",
      items: [
        {
          name: "r",
          request: { method: "GET", url: "/x" },
          skipIf: [{ that: "var a", matches: "(a)\\1" }],
          assert: [
            { that: "$.a", matches: "x(?=y)" },
            {
              that: "body",
              schema: {
                properties: { id: { type: "string", pattern: "^(?<!x)y" } },
                items: [{ patternProperties: { "(a)\\1": true } }],
                $defs: { p: { pattern: "fine" } },
              },
            },
          ],
        },
      ],
    };
    const parsed = parseCollection(collection);
    expect(parsed.ok).toBe(false);
    const issues = parsed.ok ? [] : parsed.issues;
    expect(issues).toContainEqual({
      path: "/items/0/skipIf/0/matches",
      message: expect.stringMatching(/pattern "\(a\)\\\\1" cannot be used: it uses a backreference/),
    });
    expect(issues).toContainEqual({
      path: "/items/0/assert/0/matches",
      message: expect.stringContaining("lookahead"),
    });
    expect(issues).toContainEqual({
      path: "/items/0/assert/1/schema/properties/id/pattern",
      message: expect.stringContaining("lookbehind"),
    });
    expect(issues).toContainEqual({
      path: "/items/0/assert/1/schema/items/0/patternProperties/(a)\\1",
      message: expect.stringContaining("backreference"),
    });
    expect(issues).toHaveLength(4);
  });
});

describe("schema patterns, formats and budget", () => {
  it("runs pattern and patternProperties on the linear-time engine", () => {
    const pattern = timed(() => validateSchema(CATASTROPHIC_TEXT, { type: "string", pattern: "^(a+)+$" }));
    expect(pattern.value).toEqual({
      valid: false,
      message: "schema mismatch at #: String does not match pattern.",
    });
    expect(pattern.ms).toBeLessThan(1000);
    const named = timed(() =>
      validateSchema({ [CATASTROPHIC_TEXT]: 1 }, { patternProperties: { "^(a+)+$": { type: "string" } } }),
    );
    expect(named.value).toEqual({ valid: true });
    expect(named.ms).toBeLessThan(1000);
  });

  it("keeps what patternProperties means for properties, additionalProperties and unevaluatedProperties", () => {
    const byPattern = { patternProperties: { "^a": { type: "number" } }, additionalProperties: false };
    expect(validateSchema({ ab: 1, ac: 2 }, byPattern)).toEqual({ valid: true });
    expect(validateSchema({ ab: 1, z: 2 }, byPattern).valid).toBe(false);
    expect(validateSchema({ ab: "x" }, byPattern)).toEqual({
      valid: false,
      message: 'schema mismatch at #/ab: Instance type "string" is invalid. Expected "number".',
    });
    const both = {
      properties: { ab: { type: "number" } },
      patternProperties: { "^a": { minimum: 5 }, b$: { maximum: 9 } },
    };
    expect(validateSchema({ ab: 6 }, both)).toEqual({ valid: true });
    expect(validateSchema({ ab: 1 }, both).valid).toBe(false);
    expect(validateSchema({ ab: 10 }, both).valid).toBe(false);
    expect(
      validateSchema(
        { "a.b": 1, axb: 1 },
        { patternProperties: { "^a\\.b$": { const: 1 } }, additionalProperties: { const: 2 } },
      ).valid,
    ).toBe(false);
    const unevaluated = { allOf: [{ patternProperties: { "^a": true } }], unevaluatedProperties: false };
    expect(validateSchema({ ab: 1 }, unevaluated)).toEqual({ valid: true });
    expect(validateSchema({ ab: 1, q: 2 }, unevaluated).valid).toBe(false);
    const nested = { items: { patternProperties: { "^__proto__$": { type: "number" } } } };
    expect(validateSchema(JSON.parse('[{"__proto__": "x"}]'), nested).valid).toBe(false);
  });

  it("reports a failed pattern or format in the validator's own words", () => {
    const schema = { pattern: "^a", format: "email" };
    expect(validateSchema("abc", schema)).toEqual({
      valid: false,
      message: 'schema mismatch at #: String does not match format "email".',
    });
    expect(validateSchema("x@example.com", schema)).toEqual({
      valid: false,
      message: "schema mismatch at #: String does not match pattern.",
    });
    expect(validateSchema("a@example.com", schema)).toEqual({ valid: true });
    expect(validateSchema("x", { format: "no-such-format" })).toEqual({ valid: true });
  });

  it("checks the url format in linear time, with the same answers", () => {
    const hostile = timed(() => validateSchema(`http://${"a".repeat(5000)}!`, { format: "url" }));
    expect(hostile.value.valid).toBe(false);
    expect(hostile.ms).toBeLessThan(1000);
    const samples = [
      "http://example.com",
      "https://user:pw@example.com:8080/path?q",
      "ftp://1.2.3.4/x",
      "http://10.1.2.3",
      "http://127.0.0.1",
      "http://169.254.1.1",
      "http://169.25.1.1",
      "http://172.16.0.1",
      "http://172.32.0.1",
      "http://192.168.1.1",
      "http://192.169.1.1",
      "http://223.255.255.254",
      "http://224.1.1.1",
      "http://exa mple.com",
      "http://éxample.com",
      "mailto:x@example.com",
      "http://a.b",
    ];
    const native = validatorFormats.url as (text: string) => boolean;
    for (const sample of samples)
      expect(validateSchema(sample, { format: "url" }).valid).toBe(native(sample));
  });

  it("answers every other format the validator knows in time on long adversarial strings", () => {
    const shapes = (n: number) => [
      `${"a".repeat(n)}!`,
      `${"a-".repeat(n)}!`,
      `a:${"/".repeat(n)}\u0000`,
      `/${"%41".repeat(n)}\u0000`,
      `${"1:".repeat(n)}x`,
      `P${"1".repeat(n)}X`,
      `a@${"a.".repeat(n)}!`,
      `{${"a.".repeat(n)}`,
      `#${"/~0".repeat(n)}~`,
      `${"(a+)+".repeat(n)}`,
    ];
    const started = performance.now();
    for (const name of Object.keys(validatorFormats)) {
      for (const sample of shapes(5_000))
        expect(typeof validateSchema(sample, { format: name }).valid).toBe("boolean");
    }
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("keeps none of its checks in the validator's format table afterwards", () => {
    const before = Object.keys(validatorFormats).sort();
    validateSchema("a", { pattern: "a", format: "date", items: { pattern: "b" } });
    validateSchema(1, { $defs: { a: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a", pattern: "x" });
    expect(Object.keys(validatorFormats).sort()).toEqual(before);
  });

  it(`stops at ${MAX_SCHEMA_STEPS.toLocaleString("en-US")} steps: exponential $ref fan-out, quadratic uniqueItems`, () => {
    const $defs: Record<string, unknown> = { d40: { type: "number" } };
    for (let level = 0; level < 40; level++) {
      $defs[`d${level}`] = { allOf: [{ $ref: `#/$defs/d${level + 1}` }, { $ref: `#/$defs/d${level + 1}` }] };
    }
    const fanOut = timed(() => validateSchema(1, { $defs, $ref: "#/$defs/d0" }));
    expect(fanOut.value).toEqual({
      valid: false,
      message: expect.stringMatching(
        /^schema could not be applied: JSON Schema validation took more than 2,000,000 steps/,
      ),
    });
    const unique = validateSchema(
      Array.from({ length: 20_000 }, (_, index) => index),
      { uniqueItems: true },
    );
    expect(unique).toEqual({ valid: false, message: expect.stringContaining("more than 2,000,000 steps") });
    expect(validateSchema([1, 2, 3, 2], { uniqueItems: true }).valid).toBe(false);
  });

  it("says so, rather than overflowing, for a $ref cycle, a deep value or a pattern on a huge string", () => {
    expect(validateSchema(1, { $defs: { a: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" })).toEqual({
      valid: false,
      message: expect.stringContaining("ran out of stack: a $ref that leads back to itself"),
    });
    const deep = JSON.parse(`${"[".repeat(150)}${"]".repeat(150)}`);
    expect(validateSchema(deep, {})).toEqual({
      valid: false,
      message: "schema could not be applied: the value nests deeper than 100 levels",
    });
    expect(validateSchema("a".repeat(MAX_MATCH_TEXT + 1), { pattern: "a" })).toEqual({
      valid: false,
      message: expect.stringContaining(`at most ${MAX_MATCH_TEXT} are`),
    });
  });
});

describe("JSONPath budget", () => {
  it(`fails the assertion once an evaluation visits more than ${MAX_JSONPATH_VISITS.toLocaleString("en-US")} nodes`, () => {
    let deep: unknown = 1;
    for (let level = 0; level < 1500; level++) deep = { a: deep };
    const view = { ...context.response, body: { text: "", json: { ok: true as const, value: deep } } };
    const { value, ms } = timed(() => select("$..[?@..[?@..a]]", { ...context, response: view }));
    expect(value).toEqual({
      ok: false,
      message: expect.stringContaining("JSONPath evaluation visited more than 2,000,000 nodes"),
    });
    expect(ms).toBeLessThan(10_000);
    expect(select("$..a", { ...context, response: view }).ok).toBe(true);
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
