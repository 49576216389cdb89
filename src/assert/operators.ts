/**
 * The assertion operators of the format's table. Each is a pure check of an actual value against
 * an (already templated) expected value, returning data, never throwing.
 */
import { codePointLength } from "../collection/code-points.ts";
import type { AssertionOperator } from "../collection/model.ts";
import { jsonTypeOf } from "../syntax/json-type.ts";
import { compilePattern, testPattern } from "../syntax/regex.ts";
import { deepEqual } from "./deep-equal.ts";
import { validateSchema } from "./schema.ts";

/** Pass or fail, with a reason when "values differ" is not the whole story. */
export interface OperatorOutcome {
  passed: boolean;
  message?: string;
}

const STATUS_CLASS = /^[1-5]xx$/i;

function fail(message?: string): OperatorOutcome {
  return message === undefined ? { passed: false } : { passed: false, message };
}

function pass(passed: boolean, message?: string): OperatorOutcome {
  return passed ? { passed: true } : fail(message);
}

function equalsValue(selector: string, actual: unknown, expected: unknown): boolean {
  if (selector === "status" && typeof expected === "string" && STATUS_CLASS.test(expected)) {
    return typeof actual === "number" && Math.floor(actual / 100) === Number(expected[0]);
  }
  return deepEqual(actual, expected);
}

function describeType(value: unknown): string {
  const type = jsonTypeOf(value);
  return type === "undefined" ? "nothing (undefined)" : `a ${type}`;
}

function contains(actual: unknown, expected: unknown): OperatorOutcome | boolean {
  // A string is searched for the expected value's text: "{{count}}" keeps the variable's type
  // (a number), and `"there are 3 results"` contains 3 as it contains "3".
  if (typeof actual === "string") {
    return actual.includes(typeof expected === "string" ? expected : JSON.stringify(expected));
  }
  if (Array.isArray(actual)) return actual.some((entry) => deepEqual(entry, expected));
  return fail(`expected a string or an array, got ${describeType(actual)}`);
}

function numeric(
  actual: unknown,
  expected: unknown,
  compare: (a: number, b: number) => boolean,
): OperatorOutcome {
  if (typeof expected !== "number") return fail(`the expected value must be a number`);
  if (typeof actual !== "number") return fail(`expected a number, got ${describeType(actual)}`);
  return pass(compare(actual, expected));
}

function text(actual: unknown, check: (value: string) => boolean): OperatorOutcome {
  if (typeof actual !== "string") return fail(`expected a string, got ${describeType(actual)}`);
  return pass(check(actual));
}

/**
 * Applies one operator.
 * @param selector the (trimmed) selector, so `status` can accept a class such as `"2xx"`
 */
export function applyOperator(
  op: AssertionOperator,
  actual: unknown,
  expected: unknown,
  selector: string,
): OperatorOutcome {
  switch (op) {
    case "equals":
      return pass(equalsValue(selector, actual, expected));
    case "notEquals":
      // "Deep equality with the value" (collection format), negated: nothing selected is not equal
      // to any value, so it passes; `exists: true` is how to require the value as well.
      return pass(!equalsValue(selector, actual, expected));
    case "exists":
      return pass((actual !== undefined) === (expected !== false));
    case "type":
      return pass(jsonTypeOf(actual) === expected, `the value is ${describeType(actual)}`);
    case "matches": {
      if (typeof expected !== "string") return fail("the pattern must be a string");
      const compiled = compilePattern(expected);
      if (!compiled.ok) return fail(compiled.message);
      return text(actual, (value) => testPattern(compiled.pattern, value));
    }
    case "contains": {
      const outcome = contains(actual, expected);
      return typeof outcome === "boolean" ? pass(outcome) : outcome;
    }
    case "notContains": {
      // Nothing selected contains nothing: it passes, as notEquals does.
      if (actual === undefined) return { passed: true };
      const outcome = contains(actual, expected);
      return typeof outcome === "boolean" ? pass(!outcome) : outcome;
    }
    case "startsWith":
      if (typeof expected !== "string") return fail("the expected prefix must be a string");
      return text(actual, (value) => value.startsWith(expected));
    case "endsWith":
      if (typeof expected !== "string") return fail("the expected suffix must be a string");
      return text(actual, (value) => value.endsWith(expected));
    case "oneOf":
      if (!Array.isArray(expected)) return fail("oneOf needs an array of values");
      return pass(expected.some((candidate) => equalsValue(selector, actual, candidate)));
    case "lessThan":
      return numeric(actual, expected, (a, b) => a < b);
    case "lessThanOrEqual":
      return numeric(actual, expected, (a, b) => a <= b);
    case "greaterThan":
      return numeric(actual, expected, (a, b) => a > b);
    case "greaterThanOrEqual":
      return numeric(actual, expected, (a, b) => a >= b);
    case "length": {
      if (typeof expected !== "number") return fail("the expected length must be a number");
      if (typeof actual !== "string" && !Array.isArray(actual)) {
        return fail(`expected a string or an array, got ${describeType(actual)}`);
      }
      // Characters as JSON Schema's maxLength and JSONPath's length() count them: code points.
      const length = typeof actual === "string" ? codePointLength(actual) : actual.length;
      return pass(length === expected, `the length is ${length}`);
    }
    case "schema": {
      if (typeof expected !== "boolean" && (expected === null || typeof expected !== "object")) {
        return fail("the schema must be an object or a boolean");
      }
      const outcome = validateSchema(actual, expected as Record<string, unknown> | boolean);
      return outcome.valid ? { passed: true } : fail(outcome.message);
    }
    default:
      return fail(`unknown operator "${String(op)}"`);
  }
}
