/**
 * Runs every case of the JSONPath Compliance Test Suite (RFC 9535) against compileJsonPath:
 * invalid selectors must throw JsonPathSyntaxError; valid ones must yield the expected node list
 * (or one of the listed alternatives, where object member order is not defined) and its
 * normalized paths.
 */
import { describe, expect, it } from "vitest";
import { compileJsonPath, JsonPathSyntaxError } from "../../../src/syntax/jsonpath/index.ts";
import cts from "../../fixtures/jsonpath-cts/cts.json";

interface CtsCase {
  name: string;
  selector: string;
  document?: unknown;
  result?: unknown[];
  results?: unknown[][];
  result_paths?: string[];
  results_paths?: string[][];
  invalid_selector?: boolean;
}

const cases = (cts as { tests: CtsCase[] }).tests;

function run(testCase: CtsCase): void {
  if (testCase.invalid_selector === true) {
    expect(() => compileJsonPath(testCase.selector)).toThrow(JsonPathSyntaxError);
    return;
  }
  const path = compileJsonPath(testCase.selector);
  const values = path.query(testCase.document);
  const paths = path.paths(testCase.document);
  if (testCase.result !== undefined) {
    expect(values).toEqual(testCase.result);
    if (testCase.result_paths !== undefined) expect(paths).toEqual(testCase.result_paths);
    return;
  }
  expect(testCase.results, "a valid case lists result or results").toBeDefined();
  expect(testCase.results).toContainEqual(values);
  if (testCase.results_paths !== undefined) expect(testCase.results_paths).toContainEqual(paths);
}

describe("JSONPath Compliance Test Suite", () => {
  it("holds the 703 cases of the pinned suite", () => {
    expect(cases).toHaveLength(703);
  });

  it.each(cases.map((testCase, index) => [`${index + 1} ${testCase.name}`, testCase] as const))(
    "%s",
    (_, testCase) => run(testCase),
  );
});
