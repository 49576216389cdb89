/**
 * Evaluates one assertion against a selection context: template the expected value, select the
 * actual value, apply the operator. The result is data; redaction happens when the runner records it.
 */
import {
  ASSERTION_OPERATORS,
  type Assertion,
  type AssertionOperator,
  type JsonValue,
} from "../collection/model.ts";
import { type ExpansionBudget, expandJson, expandText, type VariableLookup } from "../collection/template.ts";
import { applyOperator } from "./operators.ts";
import { type SelectionContext, select } from "./selectors.ts";

/** An assertion's outcome before redaction: `expected` and `actual` are the raw values. */
export interface RawAssertionResult {
  that: string;
  op: AssertionOperator;
  name?: string;
  expected: unknown;
  actual: unknown;
  /** The normalized paths of the nodes a JSONPath selected for `actual`, for redaction. */
  actualPaths?: readonly string[];
  passed: boolean;
  message?: string;
}

/** Operators whose value is a JSON value whose strings are templated (exact-one-template keeps type). */
const TYPED_TEMPLATE_OPERATORS = new Set<AssertionOperator>([
  "equals",
  "notEquals",
  "contains",
  "notContains",
  "oneOf",
]);
/** Operators whose value is templated as text. */
const TEXT_TEMPLATE_OPERATORS = new Set<AssertionOperator>(["startsWith", "endsWith", "matches"]);

/** The operator an assertion uses, or why it has none usable. */
export function operatorOf(
  assertion: Assertion,
): { ok: true; op: AssertionOperator } | { ok: false; message: string } {
  const present = ASSERTION_OPERATORS.filter((op) => Object.hasOwn(assertion, op));
  const [op] = present;
  if (present.length === 1 && op !== undefined) return { ok: true, op };
  return present.length === 0
    ? { ok: false, message: `no operator; use one of ${ASSERTION_OPERATORS.join(", ")}` }
    : { ok: false, message: `several operators (${present.join(", ")}); use exactly one` };
}

/**
 * Expands the templates of an assertion's value, per the format's rules, spending from `budget`
 * when given (one for all the assertions on a response), else from a budget of its own.
 * @throws UnknownVariableError for a template naming an unknown variable.
 * @throws TemplateTooLargeError when the expansion passes the budget.
 */
export function expectedValue(
  op: AssertionOperator,
  raw: unknown,
  lookup: VariableLookup,
  budget?: ExpansionBudget,
): unknown {
  if (TYPED_TEMPLATE_OPERATORS.has(op) && raw !== undefined) {
    return expandJson(raw as JsonValue, lookup, "", budget);
  }
  if (TEXT_TEMPLATE_OPERATORS.has(op) && typeof raw === "string") return expandText(raw, lookup, "", budget);
  return raw;
}

function withName(result: RawAssertionResult, assertion: Assertion): RawAssertionResult {
  if (assertion.name !== undefined) result.name = assertion.name;
  return result;
}

/**
 * Evaluates one assertion. Never throws for anything a response can hold.
 * @throws UnknownVariableError when the assertion's value names an unknown variable.
 */
export function evaluateAssertion(
  assertion: Assertion,
  context: SelectionContext,
  lookup: VariableLookup,
): RawAssertionResult {
  const that = typeof assertion.that === "string" ? assertion.that.trim() : "";
  // Built as one literal, with the optional fields added after: this runs for every assertion of
  // every response, and spreading a base object into each result cost more than the check itself.
  const found = operatorOf(assertion);
  if (!found.ok)
    return withName(
      { that, op: "equals", expected: undefined, actual: undefined, passed: false, message: found.message },
      assertion,
    );
  const op = found.op;
  const expected = expectedValue(op, assertion[op], lookup, context.expansion);
  const selection = select(that, context);
  if (!selection.ok) {
    return withName(
      { that, op, expected, actual: undefined, passed: false, message: selection.message },
      assertion,
    );
  }
  const outcome = applyOperator(op, selection.value, expected, that);
  const result: RawAssertionResult = { that, op, expected, actual: selection.value, passed: outcome.passed };
  if (assertion.name !== undefined) result.name = assertion.name;
  if (selection.paths !== undefined) result.actualPaths = selection.paths;
  if (outcome.message !== undefined) result.message = outcome.message;
  return result;
}
