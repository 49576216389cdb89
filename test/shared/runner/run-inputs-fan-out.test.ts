/**
 * `fanOut` in the run inputs: unknown unless the caller allows it; then it needs data rows and a
 * durable run, each refusal an issue at /fanOut that says how to fix it.
 */
import { describe, expect, it } from "vitest";
import { MAX_ITERATIONS, parseRunInputs } from "../../../src/runner/index.ts";

const durable = { durable: true, howToDurable: "ask for a durable run" };
const immediate = { durable: false, howToDurable: "ask for a durable run" };

describe("fanOut in parseRunInputs", () => {
  it("is an unknown field where fan-out is not offered (the library, the CLI)", () => {
    const parsed = parseRunInputs({ data: [{ a: 1 }], fanOut: true });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((issue) => issue.path)).toEqual(["/fanOut"]);
  });

  it("is accepted with data rows on a durable run", () => {
    const parsed = parseRunInputs(
      { data: [{ a: 1 }, { a: 2 }], fanOut: true, concurrency: 2 },
      { fanOut: durable },
    );
    expect(parsed).toEqual({
      ok: true,
      inputs: { data: [{ a: 1 }, { a: 2 }], fanOut: true, concurrency: 2 },
    });
  });

  it("needs data rows and a durable run, saying how to get each", () => {
    const parsed = parseRunInputs({ fanOut: true }, { fanOut: immediate });
    expect(parsed).toEqual({
      ok: false,
      issues: [
        { path: "/fanOut", message: expect.stringContaining(`an array of 1 to ${MAX_ITERATIONS} rows`) },
        { path: "/fanOut", message: expect.stringContaining("ask for a durable run") },
      ],
    });
  });

  it("refuses a value that is not a boolean, and more rows than the limit at /data", () => {
    const wrong = parseRunInputs({ data: [{}], fanOut: 1 }, { fanOut: durable });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.issues.map((issue) => issue.path)).toEqual(["/fanOut"]);
    const many = parseRunInputs(
      { data: Array.from({ length: MAX_ITERATIONS + 1 }, () => ({})), fanOut: true },
      { fanOut: durable },
    );
    expect(many.ok).toBe(false);
    if (!many.ok)
      expect(many.issues).toEqual([
        { path: "/data", message: `data must have at most ${MAX_ITERATIONS} rows` },
      ]);
  });

  it("fanOut: false is accepted anywhere it is offered, with or without data", () => {
    expect(parseRunInputs({ fanOut: false }, { fanOut: immediate })).toEqual({
      ok: true,
      inputs: { fanOut: false },
    });
  });
});
