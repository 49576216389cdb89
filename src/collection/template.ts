/**
 * Template expansion: `{{name}}` in strings, with the JSON rule that a string which is exactly one
 * template keeps the variable's type. Pure data substitution; nothing is ever evaluated.
 */
import { mapJsonStrings } from "./json-map.ts";
import type { JsonValue } from "./model.ts";

/** `{{`, one or more characters other than `}`, then `}}`. */
const TEMPLATE = /\{\{([^}]+)\}\}/g;
const EXACTLY_ONE_TEMPLATE = /^\{\{([^}]+)\}\}$/;

/** Looks a variable up; `undefined` means it does not exist. */
export type VariableLookup = (name: string) => JsonValue | undefined;

/** Thrown by the expanders when a template names a variable that does not exist. */
export class UnknownVariableError extends Error {
  /** Stable code, reported as the item's error code. */
  readonly code = "CERTN_UNKNOWN_VARIABLE";
  /** The variable's name as written in the template (trimmed). */
  readonly variable: string;

  constructor(variable: string) {
    super(
      `unknown variable "${variable}": define it in the collection, the run's variables, a data row or a capture`,
    );
    this.name = "UnknownVariableError";
    this.variable = variable;
  }
}

/** Whether a string holds at least one template. */
export function hasTemplate(text: string): boolean {
  TEMPLATE.lastIndex = 0;
  return TEMPLATE.test(text);
}

/** The variable names a string's templates refer to, in order (trimmed, duplicates kept). */
export function templateNames(text: string): string[] {
  return Array.from(text.matchAll(TEMPLATE), (match) => (match[1] ?? "").trim());
}

/** How a variable's value reads when it is inserted into text. */
export function valueToText(value: JsonValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return JSON.stringify(value);
}

function lookupOrThrow(lookup: VariableLookup, raw: string): JsonValue {
  const name = raw.trim();
  const value = lookup(name);
  if (value === undefined) throw new UnknownVariableError(name);
  return value;
}

/**
 * Expands every template in `text` as text.
 * @throws UnknownVariableError when a template names a variable `lookup` does not know.
 */
export function expandText(text: string, lookup: VariableLookup): string {
  if (!text.includes("{{")) return text;
  return text.replace(TEMPLATE, (_whole, name: string) => valueToText(lookupOrThrow(lookup, name)));
}

/**
 * Expands a string for a JSON position: exactly one template keeps the variable's type
 * (`"{{pageSize}}"` becomes the number 5); anything longer becomes text.
 * @throws UnknownVariableError when a template names a variable `lookup` does not know.
 */
export function expandTypedString(text: string, lookup: VariableLookup): JsonValue {
  const single = EXACTLY_ONE_TEMPLATE.exec(text);
  if (single) return lookupOrThrow(lookup, single[1] ?? "");
  return expandText(text, lookup);
}

/**
 * Expands the templates inside every string of a JSON value (object keys are left literal).
 * @throws UnknownVariableError when a template names a variable `lookup` does not know.
 */
export function expandJson(value: JsonValue, lookup: VariableLookup): JsonValue {
  return mapJsonStrings(value, (text) => expandTypedString(text, lookup));
}
