/**
 * JSONPath behaviour beyond the compliance suite: error messages and positions, nesting and
 * length caps, deep documents, I-Regexp translation to RE2, the work budget, prototype-safe member
 * access, code point ordering, normalized paths and the compiled-path cache.
 */
import { describe, expect, it } from "vitest";
import {
  compileJsonPath,
  JsonPathBudgetError,
  JsonPathSyntaxError,
  MAX_JSONPATH_LENGTH,
  MAX_JSONPATH_VISITS,
  MAX_NESTING,
  MAX_PATTERN_LENGTH,
  MAX_TEXT_LENGTH,
  queryJsonPath,
} from "../../../src/syntax/jsonpath/index.ts";
import { translateIRegexp } from "../../../src/syntax/jsonpath/iregexp.ts";

function syntaxError(expression: string): JsonPathSyntaxError {
  try {
    compileJsonPath(expression);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(expression)} to be rejected`);
}

describe("syntax errors", () => {
  it.each([
    ["a.b", 0, /must start with "\$"/],
    ["$.a ", 3, /whitespace is not allowed at the end/],
    ["$[01]", 2, /leading zeros/],
    ["$[-0]", 2, /"-0" is not a valid integer/],
    ["$[9007199254740992]", 2, /out of range/],
    ["$[0 2]", 4, /expected "," or "]" but found "2"/],
    ["$[]", 2, /expected a selector/],
    ["$[@.a]", 2, /needs "\?"/],
    ["$.1", 2, /use \[1\] for an index/],
    ["$. a", 2, /expected a member name or "\*" after "\."/],
    ["$['abc", 2, /unterminated string/],
    ['$["\\x41"]', 3, /invalid escape "\\x"/],
    ['$["\\uD800"]', 3, /high surrogate must be followed/],
    ['$["\u0001"]', 3, /U\+0001 must be escaped/],
    ["$[?@.a = 1]", 7, /"=" is not an operator/],
    ["$[?@.* == 1]", 3, /must be singular/],
    ["$[?true]", 3, /literal cannot be a test/],
    ["$[?length(@.a)]", 3, /length\(\) is a value and must be compared/],
    ["$[?match(@.a, 'x') == true]", 3, /match\(\) returns a logical value/],
    ["$[?foo(@)]", 3, /unknown function "foo\(\)"/],
    ["$[?count(1) == 1]", 9, /argument 1 of count\(\) must be a query/],
    ["$[?length(@.a == 1) == 1]", 10, /must be a value, not a logical expression/],
    ["$[?value(@.a, @.b) == 1]", 3, /value\(\) takes 1 argument, not 2/],
    ["$[?count (@.*) == 1]", 3, /unknown name "count" \(a call needs "\(" right after "count"\)/],
    ["$[?@.a == True]", 10, /expected a query \(@ or \$\), a literal or a function call but found "T"/],
    ["$[?(@.a]", 7, /expected "\)" but found "]"/],
  ])("%j is rejected at position %i", (expression, position, message) => {
    const error = syntaxError(expression);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("JsonPathSyntaxError");
    expect(error.position).toBe(position);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`position ${position}`);
  });

  it("quotes the text at the error position, abbreviated, or says it is at the end", () => {
    expect(syntaxError("$[01]").message).toContain('(position 2, at "01]")');
    expect(syntaxError(`$[?@.a = ${"1".repeat(40)}]`).message).toContain('at "= 11111111111111"…)');
    expect(syntaxError("$[0").message).toContain("(position 3, at the end)");
  });

  it("rejects a non-string expression with a syntax error", () => {
    expect(() => compileJsonPath(42 as unknown as string)).toThrow(JsonPathSyntaxError);
  });
});

describe("nesting cap", () => {
  const parens = (n: number) => `$[?${"(".repeat(n)}@.a${")".repeat(n)}]`;

  it(`accepts parentheses up to ${MAX_NESTING} levels of nesting`, () => {
    expect(compileJsonPath(parens(MAX_NESTING - 1)).query([{ a: 1 }, {}])).toEqual([{ a: 1 }]);
    expect(syntaxError(parens(MAX_NESTING)).message).toMatch(/nested more than 64 levels/);
  });

  it("rejects hostile nesting with a syntax error, not a stack overflow", () => {
    expect(syntaxError(parens(2_000)).position).toBe(3 + MAX_NESTING);
    expect(syntaxError(`$${"[?@".repeat(1_000)}${"]".repeat(1_000)}`).message).toMatch(/nested/);
    expect(syntaxError(`$[?${"length(".repeat(500)}`).message).toMatch(/nested/);
  });

  it(`refuses an expression over ${MAX_JSONPATH_LENGTH} characters before parsing it`, () => {
    // 4,095 characters compile; a 900 KB one held 145 MB of syntax tree in the path cache.
    expect(compileJsonPath(`$${".a".repeat(2_047)}`).singular).toBe(true);
    const error = syntaxError(`$${".a".repeat(450_000)}`);
    expect(error.message).toMatch(/^a JSONPath is at most 4,096 characters \(got 900,001\)/);
    expect(error.position).toBe(MAX_JSONPATH_LENGTH);
  });

  it("evaluates nested filters within the cap", () => {
    const depth = 20;
    const expression = `$${"[?@".repeat(depth)}${"]".repeat(depth)}`;
    let doc: unknown = [1];
    for (let i = 0; i < depth; i++) doc = [doc];
    expect(compileJsonPath(expression).query(doc)).toHaveLength(1);
  });
});

describe("deep documents", () => {
  function nested(depth: number, leaf: unknown): unknown {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  }

  it("walks `..` over 100,000 levels without recursion", () => {
    const nodes = compileJsonPath("$..*").query(nested(100_000, "leaf"));
    expect(nodes).toHaveLength(100_000);
    expect(nodes[nodes.length - 1]).toBe("leaf");
    expect(compileJsonPath("$..[?@ == 'leaf']").paths(nested(3, "leaf"))).toEqual(["$[0][0][0]"]);
  });

  it("compares deeply nested values without recursion", () => {
    const doc = [{ a: nested(100_000, 1), b: nested(100_000, 1), c: nested(100_000, 2) }];
    expect(compileJsonPath("$[?@.a == @.b]").query(doc)).toHaveLength(1);
    expect(compileJsonPath("$[?@.a == @.c]").query(doc)).toHaveLength(0);
  });
});

describe("match() and search()", () => {
  const matches = (text: string, pattern: string) =>
    compileJsonPath("$[?match(@.t, @.p)]").query([{ t: text, p: pattern }]).length === 1;
  const finds = (text: string, pattern: string) =>
    compileJsonPath("$[?search(@.t, @.p)]").query([{ t: text, p: pattern }]).length === 1;

  it(`caps patterns at ${MAX_PATTERN_LENGTH} characters`, () => {
    expect(matches("a".repeat(MAX_PATTERN_LENGTH), "a".repeat(MAX_PATTERN_LENGTH))).toBe(true);
    expect(matches("a".repeat(MAX_PATTERN_LENGTH + 1), "a".repeat(MAX_PATTERN_LENGTH + 1))).toBe(false);
    expect(finds("a", `a${"|a".repeat(MAX_PATTERN_LENGTH / 2)}`)).toBe(false);
  });

  it("fails on text longer than 64 KB", () => {
    expect(MAX_TEXT_LENGTH).toBe(65_536);
    expect(matches("a".repeat(MAX_TEXT_LENGTH), "a*")).toBe(true);
    expect(matches("a".repeat(MAX_TEXT_LENGTH + 1), "a*")).toBe(false);
    expect(finds(`${"b".repeat(MAX_TEXT_LENGTH)}a`, "a")).toBe(false);
  });

  it("anchors match() to the whole string and lets search() find a substring", () => {
    expect(matches("xay", "a")).toBe(false);
    expect(finds("xay", "a")).toBe(true);
    expect(matches("ab", "a|b")).toBe(false);
    expect(matches("b", "a|b")).toBe(true);
  });

  it("gives `.` I-Regexp's meaning: any character but \\n and \\r, astral ones included", () => {
    expect(matches("\n", ".")).toBe(false);
    expect(matches("\r", ".")).toBe(false);
    expect(matches("\u2028", ".")).toBe(true);
    expect(matches("😀", ".")).toBe(true);
    expect(matches("😀", "..")).toBe(false);
  });

  it("supports classes, ranges, categories, escapes and quantifiers", () => {
    expect(matches("b", "[a-c]")).toBe(true);
    expect(matches("-", "[-a]")).toBe(true);
    expect(matches("-", "[a-]")).toBe(true);
    expect(matches("^", "[x^]")).toBe(true);
    expect(matches("d", "[^a-c]")).toBe(true);
    expect(matches("Ж", "\\p{Lu}")).toBe(true);
    expect(matches("ж", "[\\P{Lu}]")).toBe(true);
    expect(matches("a.b", "a\\.b")).toBe(true);
    expect(matches("a-b", "a\\-b")).toBe(true);
    expect(matches("xx", "x{2}")).toBe(true);
    expect(matches("xxx", "x{1,2}")).toBe(false);
    expect(matches("xxxx", "x{2,}")).toBe(true);
    expect(matches("\t", "\\t")).toBe(true);
  });

  it.each([
    ["\\d", "1"],
    ["\\w", "a"],
    ["(?:a)", "a"],
    ["(?=a)a", "a"],
    ["a*?", "a"],
    ["(a)\\1", "aa"],
    ["a{2,1}", "aa"],
    ["[z-a]", "a"],
    ["(a", "a"],
    ["a)", "a"],
    ["[]", "a"],
    ["[a", "a"],
    ["[a-b-c]", "a"],
    ["\\p{Latin}", "a"],
    ["a**", "a"],
    ["{1}", "{1}"],
    ["]", "]"],
    ["a\\", "a"],
  ])("treats %j (not an I-Regexp) as no match", (pattern, text) => {
    expect(translateIRegexp(pattern) === undefined || !matches(text, pattern)).toBe(true);
    expect(matches(text, pattern)).toBe(false);
    expect(compileJsonPath("$[?!match(@.t, @.p)]").query([{ t: text, p: pattern }])).toHaveLength(1);
  });

  it("runs on a linear-time engine: catastrophic shapes answer at once", () => {
    const text = `${"a".repeat(40)}!`;
    const started = performance.now();
    for (const pattern of ["(a+)+", "(a|a)*", "(a|aa)+", "(a*)*b", "((a+)+)+"]) {
      expect(matches(text, pattern)).toBe(false);
      expect(finds(`${"a".repeat(MAX_TEXT_LENGTH - 1)}!`, `^${pattern}$`)).toBe(false);
    }
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("translates I-Regexp to RE2 source", () => {
    expect(translateIRegexp("a.(b|c)*")).toBe("a[^\\n\\r](?:b|c)*");
    expect(translateIRegexp("[^-a\\]]")).toBe("[^\\-a\\]]");
    expect(translateIRegexp("\\p{Nd}+")).toBe("\\p{Nd}+");
    expect(translateIRegexp("\\d")).toBeUndefined();
  });

  it("is false for non-string arguments", () => {
    expect(compileJsonPath("$[?match(@, 'a')]").query([1, null, ["a"], { a: "a" }, "a"])).toEqual(["a"]);
    expect(compileJsonPath("$[?search(@.t, @.p)]").query([{ t: "a", p: 1 }])).toEqual([]);
  });
});

describe("work budget", () => {
  function nested(depth: number): unknown {
    let value: unknown = 1;
    for (let level = 0; level < depth; level++) value = { a: value };
    return value;
  }

  function budgetError(expression: string, value: unknown): JsonPathBudgetError {
    try {
      compileJsonPath(expression).query(value);
    } catch (error) {
      if (error instanceof JsonPathBudgetError) return error;
      throw error;
    }
    throw new Error(`expected ${expression} to exceed the budget`);
  }

  it(`stops nested descendants after ${MAX_JSONPATH_VISITS.toLocaleString("en-US")} visits, saying so`, () => {
    const started = performance.now();
    const error = budgetError("$..[?@..[?@..a]]", nested(1500));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(error.message).toMatch(/^JSONPath evaluation visited more than 2,000,000 nodes/);
    expect(error.limit).toBe(MAX_JSONPATH_VISITS);
    expect(budgetError("$..[?@..a]", nested(1500)).name).toBe("JsonPathBudgetError");
    expect(() => compileJsonPath("$..[?@..a]").paths(nested(1500))).toThrow(JsonPathBudgetError);
  });

  it("counts comparisons and the text functions read", () => {
    // Equal but distinct values, so deep equality walks every pair.
    const copies = Array.from({ length: 1000 }, () => ({
      a: Array.from({ length: 3000 }, (_, index) => index),
    }));
    expect(() => compileJsonPath("$[?@ == $[0]]").query(copies)).toThrow(JsonPathBudgetError);
    const texts = Array.from({ length: 1500 }, () => "a".repeat(MAX_TEXT_LENGTH));
    expect(() => compileJsonPath("$[?match(@, 'a*')]").query(texts)).toThrow(JsonPathBudgetError);
    expect(compileJsonPath("$[?match(@, 'a*')]").query(texts.slice(0, 10))).toHaveLength(10);
    // Linear, but each character steps every live instruction: about 0.5 s per 64 KB text here.
    let mixed = "";
    for (let index = 0; index < MAX_TEXT_LENGTH; index++) mixed += "ab"[(index * 7919) % 3 === 0 ? 0 : 1];
    const started = performance.now();
    expect(() =>
      compileJsonPath("$[?search(@, '(a|b)*a(a|b){20}c')]").query(Array.from({ length: 40 }, () => mixed)),
    ).toThrow(JsonPathBudgetError);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("leaves room for a descendant query over a full-size response", () => {
    const wide = Array.from({ length: 100_000 }, (_, id) => ({ id, status: id % 2 === 0 ? "ok" : "no" }));
    expect(compileJsonPath("$..*").query(wide)).toHaveLength(300_000);
    expect(compileJsonPath("$..[?@.status == 'ok'].id").query(wide)).toHaveLength(50_000);
  });
});

describe("semantics", () => {
  it("never reads inherited members", () => {
    expect(compileJsonPath("$.constructor").query({})).toEqual([]);
    expect(compileJsonPath("$['toString']").query({})).toEqual([]);
    expect(compileJsonPath("$[?@.hasOwnProperty]").query([{}, { hasOwnProperty: 1 }])).toEqual([
      { hasOwnProperty: 1 },
    ]);
    expect(compileJsonPath("$.__proto__").query(JSON.parse('{"__proto__": 7}'))).toEqual([7]);
    expect(compileJsonPath("$.__proto__").query({})).toEqual([]);
  });

  it("orders strings by code point, not UTF-16 unit", () => {
    expect(compileJsonPath("$[?@ > '\\uFFFF']").query(["\uffff", "😀", "a"])).toEqual(["😀"]);
    expect(compileJsonPath("$[?@ < '😀']").query(["\uffff", "😀"])).toEqual(["\uffff"]);
  });

  it("counts Unicode scalar values in length()", () => {
    expect(compileJsonPath("$[?length(@) == 1]").query(["😀", "ab", "é", ["x"], { a: 1 }, 1])).toEqual([
      "😀",
      "é",
      ["x"],
      { a: 1 },
    ]);
  });

  it("reports whether a path is singular", () => {
    expect(compileJsonPath("$").singular).toBe(true);
    expect(compileJsonPath("$.a[0]['b'][-1]").singular).toBe(true);
    for (const path of ["$.*", "$..a", "$[0,1]", "$[0:1]", "$[?@]", "$['a','b']"]) {
      expect(compileJsonPath(path).singular).toBe(false);
    }
  });

  it("gives normalized paths with RFC 9535 escaping", () => {
    const doc = { "a\u0001'\\": [10, 20], "\n": 1 };
    expect(compileJsonPath("$.*").paths(doc)).toEqual(["$['a\\u0001\\'\\\\']", "$['\\n']"]);
    expect(compileJsonPath("$..[-1]").paths(doc)).toEqual(["$['a\\u0001\\'\\\\'][1]"]);
  });

  it("reuses a compiled path across documents", () => {
    const path = compileJsonPath("$.results[?@.status == 'Pending'].id");
    expect(path.source).toBe("$.results[?@.status == 'Pending'].id");
    expect(
      path.query({
        results: [
          { status: "Pending", id: 1 },
          { status: "Done", id: 2 },
        ],
      }),
    ).toEqual([1]);
    expect(path.query({ results: [{ status: "Pending", id: 3 }] })).toEqual([3]);
    expect(path.query("not an object")).toEqual([]);
  });
});

describe("queryJsonPath", () => {
  it("queries through its cache, beyond the cache's size", () => {
    const doc = Array.from({ length: 400 }, (_, i) => i * 2);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 400; i++) expect(queryJsonPath(doc, `$[${i}]`)).toEqual([i * 2]);
    }
  });

  it("throws JsonPathSyntaxError for an invalid expression, every time", () => {
    expect(() => queryJsonPath({}, "$[")).toThrow(JsonPathSyntaxError);
    expect(() => queryJsonPath({}, "$[")).toThrow(JsonPathSyntaxError);
  });
});
