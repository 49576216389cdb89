/**
 * `jsonDepthExceeds`, the one depth check for JSON the library reads (response bodies in the
 * runner, run inputs in the Worker): it agrees with a plain recursive count on random values,
 * with the collection's own limit at MAX_JSON_DEPTH, and stays iterative however deep the value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonValueProblem } from "../../../src/collection/json-value.ts";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../../../src/core/json.ts";

/** Levels of arrays and objects, counted recursively (test values are shallow). */
function depthOf(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

function nest(levels: number, array: boolean): unknown {
  let value: unknown = "leaf";
  for (let level = 0; level < levels; level++) value = array ? [value] : { a: value };
  return value;
}

describe("jsonDepthExceeds", () => {
  it("agrees with a recursive count", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 8 }), (value, limit) => {
        expect(jsonDepthExceeds(value, limit)).toBe(depthOf(value) > limit);
      }),
      { numRuns: 500 },
    );
    expect(jsonDepthExceeds("x", 0)).toBe(false);
    expect(jsonDepthExceeds([], 0)).toBe(true);
    expect(jsonDepthExceeds({ a: [1] }, 2)).toBe(false);
  });

  it(`draws the line where collection values do, at ${MAX_JSON_DEPTH} levels`, () => {
    for (const array of [true, false]) {
      expect(jsonDepthExceeds(nest(MAX_JSON_DEPTH, array), MAX_JSON_DEPTH)).toBe(false);
      expect(jsonValueProblem(nest(MAX_JSON_DEPTH, array))).toBeNull();
      expect(jsonDepthExceeds(nest(MAX_JSON_DEPTH + 1, array), MAX_JSON_DEPTH)).toBe(true);
      expect(jsonValueProblem(nest(MAX_JSON_DEPTH + 1, array))).toMatch(/deeper than 100 levels/);
    }
  });

  it("checks a million levels, and a value that contains itself, without recursion", () => {
    expect(
      jsonDepthExceeds(JSON.parse(`${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`), MAX_JSON_DEPTH),
    ).toBe(true);
    const cycle: Record<string, unknown> = {};
    cycle.self = [cycle];
    expect(jsonDepthExceeds(cycle, MAX_JSON_DEPTH)).toBe(true);
  });
});
