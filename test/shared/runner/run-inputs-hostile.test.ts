/**
 * Hostile run inputs (an HTTP body of the Worker, a CLI file) cost bounded work: a million
 * unknown fields or wrong data rows give the first 100 issues and say validation stopped, without
 * an issue held for each of the rest.
 */
import { describe, expect, it } from "vitest";
import { parseRunInputs } from "../../../src/runner/index.ts";

function issuesOf(input: unknown): { path: string; message: string }[] {
  const parsed = parseRunInputs(input);
  if (parsed.ok) throw new Error("expected issues, but the inputs were accepted");
  return parsed.issues;
}

describe("parseRunInputs on hostile input", () => {
  it("stops at 100 unknown fields", () => {
    const input = Object.fromEntries(Array.from({ length: 300_000 }, (_, index) => [`x${index}`, 1]));
    const issues = issuesOf(input);
    expect(issues).toHaveLength(101);
    expect(issues[0]?.path).toBe("/x0");
    expect(issues.at(-1)?.message).toMatch(/^validation stopped after 100 issues/);
  });

  it("looks at a bounded part of 500,000 wrong data rows", () => {
    let looks = 0;
    const row = Object.defineProperty({}, "name", {
      enumerable: true,
      get: () => {
        looks += 1;
        return () => "not JSON";
      },
    });
    const issues = issuesOf({ data: Array(500_000).fill(row) });
    expect(issues).toHaveLength(101);
    expect(issues[0]?.path).toBe("/data/0/name");
    expect(issues.at(-1)?.message).toMatch(/^validation stopped after 100 issues/);
    expect(looks).toBeLessThan(1_000);
  });
});
