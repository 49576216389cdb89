/**
 * The `schema` operator: JSON Schema (draft 2020-12 by default, draft 7 when `$schema` says so)
 * with @cfworker/json-schema, which generates no code. Nothing is ever fetched: a `$ref` that the
 * schema itself does not define fails the assertion with a clear message.
 */
import { type Schema, type SchemaDraft, Validator } from "@cfworker/json-schema";

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

// The validator annotates the schema object it is given, so it gets a private copy per schema.
const validators = new WeakMap<object, Validator>();

function validatorFor(schema: Record<string, unknown> | boolean): Validator {
  if (typeof schema === "boolean") return new Validator(schema, "2020-12", true);
  let validator = validators.get(schema);
  if (!validator) {
    validator = new Validator(structuredClone(schema) as Schema, draftOf(schema), true);
    validators.set(schema, validator);
  }
  return validator;
}

/** Validates `value` against `schema`; never throws. */
export function validateSchema(value: unknown, schema: Record<string, unknown> | boolean): SchemaOutcome {
  if (value === undefined) return { valid: false, message: "nothing was selected to validate" };
  try {
    const result = validatorFor(schema).validate(value);
    if (result.valid) return { valid: true };
    const first = result.errors.at(-1) ?? result.errors[0];
    const where = first?.instanceLocation ?? "#";
    return { valid: false, message: `schema mismatch at ${where}: ${first?.error ?? "invalid"}` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      valid: false,
      message: `schema could not be applied: ${reason} (remote $ref are never fetched; define it under $defs)`,
    };
  }
}
