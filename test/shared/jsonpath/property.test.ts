/**
 * Property tests: compiling arbitrary text only ever fails with JsonPathSyntaxError, and a valid
 * path queries arbitrary JSON without throwing, with one normalized path per selected node.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CompiledJsonPath,
  compileJsonPath,
  JsonPathSyntaxError,
} from "../../../src/syntax/jsonpath/index.ts";
import cts from "../../fixtures/jsonpath-cts/cts.json";

/** Compiles, returning undefined for a syntax error and rethrowing anything else. */
function tryCompile(expression: string): CompiledJsonPath | undefined {
  try {
    return compileJsonPath(expression);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) {
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(expression.length);
      return undefined;
    }
    throw error;
  }
}

/** Fragments of JSONPath syntax, so generated text often parses and reaches deep into the grammar. */
const TOKENS = [
  ...["$", "@", ".", "..", "[", "]", "*", "?", ":", ",", "(", ")", " ", "!", "-", "0", "1", "2", "-1"],
  ...["a", "b", "'a'", '"b"', "'\\u00e9'", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "true", "null"],
  ...["length(", "count(", "match(", "search(", "value(", "'a.*'", "'[0-9]+'", "'\\\\p{L}'", "1.5e2"],
];
const pathLike = fc.array(fc.constantFrom(...TOKENS), { maxLength: 24 }).map((parts) => `$${parts.join("")}`);
const validSelectors = (cts as { tests: { selector: string; invalid_selector?: boolean }[] }).tests
  .filter((testCase) => testCase.invalid_selector !== true)
  .map((testCase) => testCase.selector);

/** Queries `value`, checking the shape of the answer (plain checks: `expect` is slow in hot loops). */
function queryAll(path: CompiledJsonPath, value: unknown): void {
  const nodes = path.query(value);
  if (!Array.isArray(nodes)) throw new Error(`${path.source} returned a non-array`);
  if (path.paths(value).length !== nodes.length) throw new Error(`${path.source}: paths and nodes differ`);
  if (path.singular && nodes.length > 1)
    throw new Error(`${path.source} is singular but gave ${nodes.length}`);
}

describe("JSONPath properties", () => {
  it("compileJsonPath throws nothing but JsonPathSyntaxError on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (text) => {
        tryCompile(text);
        tryCompile(`$${text}`);
        tryCompile(`$[?${text}]`);
      }),
      { numRuns: 1500 },
    );
  });

  it("generated paths either fail with JsonPathSyntaxError or query arbitrary JSON without throwing", () => {
    let valid = 0;
    fc.assert(
      fc.property(pathLike, fc.jsonValue({ maxDepth: 4 }), (expression, value) => {
        const path = tryCompile(expression);
        if (path === undefined) return;
        valid++;
        queryAll(path, value);
      }),
      { numRuns: 2000 },
    );
    // The generator must reach the evaluator, or the property says nothing about queries.
    expect(valid).toBeGreaterThan(50);
  });

  it("every valid compliance-suite selector queries arbitrary JSON without throwing", () => {
    const paths = validSelectors.map((selector) => compileJsonPath(selector));
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        for (const path of paths) queryAll(path, value);
      }),
      { numRuns: 30 },
    );
  });
});

describe("singular paths (the direct walk behind locate)", () => {
  // Names and indexes only, negative indexes included, over documents built from the same names:
  // `locate` takes its direct walk for these, `paths`/`query` the general interpreter, and both
  // must agree on every node and every normalized path.
  const key = fc.oneof(fc.constantFrom("a", "b", "it's", "\\", "\n"), fc.integer({ min: -3, max: 3 }));
  const keysArb = fc.array(key, { minLength: 1, maxLength: 5 });
  const doc = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      fc.integer(),
      fc.string({ maxLength: 3 }),
      fc.array(tie("node"), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom("a", "b", "it's", "\\", "\n"), tie("node"), { maxKeys: 4 }),
    ),
  })).node;
  const expressionOf = (keys: (string | number)[]) =>
    `$${keys.map((k) => (typeof k === "number" ? `[${k}]` : `[${JSON.stringify(k)}]`)).join("")}`;

  it("agrees with the general interpreter on values and normalized paths", () => {
    fc.assert(
      fc.property(keysArb, doc, (keys, value) => {
        const path = compileJsonPath(expressionOf(keys));
        expect(path.singular).toBe(true);
        const located = path.locate(value);
        expect(located.values).toEqual(path.query(value));
        expect(located.paths).toEqual(path.paths(value));
      }),
      { numRuns: 2000 },
    );
  });

  it("gives the resolved index of a negative one", () => {
    const located = compileJsonPath("$.a[-1].b").locate({ a: [{ b: 1 }, { b: 2 }] });
    expect(located).toEqual({ values: [2], paths: ["$['a'][1]['b']"] });
    expect(compileJsonPath("$.a[-3]").locate({ a: [1, 2] })).toEqual({ values: [], paths: [] });
  });
});
