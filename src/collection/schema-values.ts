/** Schemas of values: JSON data, variable names and values. */
import * as v from "valibot";
import { jsonValueProblem } from "./json-value.ts";
import { quote } from "./messages.ts";
import type { JsonValue, VariableValue } from "./model.ts";
import { mustBe, record } from "./schema-parts.ts";
import { variableNameProblem } from "./selector-syntax.ts";

/** Any JSON data (checked without recursion). */
export function jsonValue(field: string, description: string) {
  return v.pipe(
    v.custom<JsonValue>(
      (input) => jsonValueProblem(input) === null,
      (issue) => `${field} must be JSON data: ${jsonValueProblem(issue.input)}`,
    ),
    v.description(description),
  );
}

/** A variable name: not empty, no braces. */
export function variableName(label: string) {
  return v.pipe(
    v.string(),
    v.check(
      (name) => variableNameProblem(name) === null,
      (issue) =>
        `${quote(String(issue.input))} cannot be ${label}: ${variableNameProblem(String(issue.input))}`,
    ),
  );
}

/** A variable's value: a string, a finite number or a boolean. */
export const VariableValueSchema = v.pipe(
  v.custom<VariableValue>(
    (input) =>
      typeof input === "string" ||
      typeof input === "boolean" ||
      (typeof input === "number" && Number.isFinite(input)),
    mustBe("a variable", "a string, a number or a boolean"),
  ),
  v.metadata({ type: ["string", "number", "boolean"] }),
);

/** The collection's `variables`. */
export const VariablesSchema = v.pipe(
  record("variables", variableName("a variable name"), VariableValueSchema),
  v.description("Collection defaults for variables (lowest precedence): strings, numbers or booleans."),
);
