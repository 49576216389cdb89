/**
 * What redaction costs on large values, counted (never timed): a capture of a long list stops
 * being walked once the redactor holds all the personal values it keeps, and one walk masks each
 * distinct short text once, however often it repeats.
 */
import { describe, expect, it } from "vitest";
import {
  createRedactor,
  MAX_PERSONAL_VALUES,
  PERSONAL_PLACEHOLDER,
  personalValuesOf,
} from "../../../src/results/redact.ts";

/** An array that counts the elements read from it. */
function counted<T>(entries: T[]): { array: T[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(entries, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return { array, reads: () => reads };
}

describe("redaction work on large values", () => {
  it("stops walking a personal capture once the redactor holds its maximum", () => {
    const redactor = createRedactor([]);
    const first = counted(Array.from({ length: 200_000 }, (_, index) => `person-${index}`));
    // A capture into `emails`: personal as a whole, every leaf a value to remember.
    redactor.addPersonal(personalValuesOf(first.array, "$.emails"));
    // It read what it kept and not the 199,500 after them.
    expect(first.reads()).toBeLessThan(2 * MAX_PERSONAL_VALUES);
    expect(redactor.text(`person-${MAX_PERSONAL_VALUES - 1}`)).toBe(PERSONAL_PLACEHOLDER);
    expect(redactor.text(`person-${MAX_PERSONAL_VALUES}`)).toBe(`person-${MAX_PERSONAL_VALUES}`);
    const second = counted(Array.from({ length: 200_000 }, (_, index) => `other-${index}`));
    redactor.addPersonal(personalValuesOf(second.array, "$.emails"));
    expect(second.reads()).toBe(0);
  });

  it("takes values in document order, under personal keys at any depth", () => {
    const redactor = createRedactor([]);
    const value = {
      a: [{ email: "ann@x.test", n: 1 }, { info: { dob: "1990-01-02" } }],
      email: ["b@x.test"],
    };
    expect([...personalValuesOf(value, "$")]).toEqual(["ann@x.test", "1990-01-02", "b@x.test"]);
    redactor.addPersonal(personalValuesOf(value, "$"));
    expect(redactor.text("ann@x.test 1990-01-02 b@x.test 1")).toBe(
      `${PERSONAL_PLACEHOLDER} ${PERSONAL_PLACEHOLDER} ${PERSONAL_PLACEHOLDER} 1`,
    );
  });

  it("masks each distinct short text once per walk", () => {
    const redactor = createRedactor(["sk_live_0123456789"]);
    redactor.addPersonal(Array.from({ length: 400 }, (_, index) => `value-${index}`));
    const records = Array.from({ length: 20_000 }, (_, index) => ({
      email: `value-${index % 400}`,
      status: "COMPLETE",
      note: "sk_live_0123456789",
    }));
    const masked = new Set<string>();
    const text = redactor.text;
    redactor.text = (input: string) => {
      masked.add(input);
      return text(input);
    };
    let calls = 0;
    const counting = redactor.text;
    redactor.text = (input: string) => {
      calls += 1;
      return counting(input);
    };
    const out = redactor.value(records) as Array<Record<string, string>>;
    expect(out[7]).toEqual({ email: PERSONAL_PLACEHOLDER, status: "COMPLETE", note: "[secret]" });
    // 400 e-mails, 3 keys, 2 other values: 405 texts, not 120,000.
    expect(calls).toBe(masked.size);
    expect(calls).toBeLessThan(500);
  });
});
