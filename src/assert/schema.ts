/**
 * The `schema` operator: JSON Schema (draft 2020-12 by default, draft 7 when `$schema` says so)
 * with @cfworker/json-schema, which generates no code. Nothing is ever fetched: a `$ref` that the
 * schema itself does not define fails the assertion with a clear message. The validator is given a
 * rewritten copy of the schema (`schema-prepare.ts`): patterns run on the linear-time engine and
 * every validation has a work budget (`schema-budget.ts`), so no schema or value can hold the CPU.
 */
import { format, type Schema, type SchemaDraft, Validator } from "@cfworker/json-schema";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../core/json.ts";
import { countingView, SchemaBudget, SchemaBudgetError } from "./schema-budget.ts";
import {
  hasPatternProperties,
  lendChecks,
  type PreparedSchema,
  prepareSchema,
  SchemaNotApplicable,
} from "./schema-prepare.ts";

export { MAX_SCHEMA_STEPS } from "./schema-budget.ts";

/** Outcome of validating one value. */
export type SchemaOutcome = { valid: true } | { valid: false; message: string };

function draftOf(schema: unknown): SchemaDraft {
  const declared =
    schema !== null && typeof schema === "object" && "$schema" in schema ? String(schema.$schema) : "";
  if (declared.includes("draft-07")) return "7";
  if (declared.includes("draft-04")) return "4";
  if (declared.includes("2019-09")) return "2019-09";
  return "2020-12";
}

interface Prepared {
  readonly prepared: PreparedSchema;
  readonly validator: Validator;
}

// The validator annotates the schema object it is given, so it gets a private copy per schema;
// one that depends on the value's property names (patternProperties) is prepared per validation.
const cached = new WeakMap<object, Prepared | "per-value">();

function build(schema: Record<string, unknown> | boolean, prepared: PreparedSchema): Prepared {
  const validator = new Validator(prepared.schema as Schema | boolean, draftOf(schema), true);
  return { prepared, validator };
}

function preparedFor(
  schema: Record<string, unknown> | boolean,
  value: unknown,
  budget: SchemaBudget,
): Prepared {
  if (typeof schema === "boolean") return build(schema, prepareSchema(schema));
  let entry = cached.get(schema);
  if (entry === undefined) {
    entry = hasPatternProperties(schema) ? "per-value" : build(schema, prepareSchema(schema));
    cached.set(schema, entry);
  }
  if (entry !== "per-value") return entry;
  return build(schema, prepareSchema(schema, propertyNamesOf(value, budget), budget));
}

/** The distinct property names anywhere in `value`, walked without recursion. */
function propertyNamesOf(value: unknown, budget: SchemaBudget): string[] {
  const names = new Set<string>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    budget.spend();
    if (typeof current !== "object" || current === null) continue;
    if (Array.isArray(current)) {
      for (const entry of current) stack.push(entry);
    } else {
      for (const [name, entry] of Object.entries(current)) {
        names.add(name);
        stack.push(entry);
      }
    }
  }
  return [...names];
}

/** The validator's message, with the name of a lent check replaced by what it checked. */
function describeError(prepared: PreparedSchema, keyword: string | undefined, error: string): string {
  if (keyword !== "format") return error;
  for (const [name, lent] of prepared.checks) {
    if (error.includes(JSON.stringify(name))) return lent.failure;
  }
  return error;
}

function notApplied(reason: string): SchemaOutcome {
  return { valid: false, message: `schema could not be applied: ${reason}` };
}

/** Validates `value` against `schema`; never throws, and stops at its work budget. */
export function validateSchema(value: unknown, schema: Record<string, unknown> | boolean): SchemaOutcome {
  if (value === undefined) return { valid: false, message: "nothing was selected to validate" };
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    return notApplied(`the value nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const budget = new SchemaBudget();
  try {
    const { prepared, validator } = preparedFor(schema, value, budget);
    const result = lendChecks(format, prepared, budget, () =>
      validator.validate(countingView(value, budget)),
    );
    if (result.valid) return { valid: true };
    const first = result.errors.at(-1) ?? result.errors[0];
    const where = first?.instanceLocation ?? "#";
    const error = first === undefined ? "invalid" : describeError(prepared, first.keyword, first.error);
    return { valid: false, message: `schema mismatch at ${where}: ${error}` };
  } catch (error) {
    if (error instanceof SchemaBudgetError || error instanceof SchemaNotApplicable)
      return notApplied(error.message);
    if (error instanceof RangeError) {
      // The validator recurses per subschema and spreads error lists into arguments.
      return notApplied(
        "the validator ran out of stack: a $ref that leads back to itself without going into the value, or alternatives whose errors multiply",
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    return notApplied(`${reason} (remote $ref are never fetched; define it under $defs)`);
  }
}
