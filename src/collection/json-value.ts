/**
 * Checks that a value is JSON data (what a `json` body or an assertion value may hold) without
 * recursion, so a deeply nested or cyclic value cannot overflow the stack.
 */

import { MAX_JSON_DEPTH } from "../core/json.ts";
import type { JsonValue } from "./model.ts";

/** Deepest nesting of arrays and objects accepted inside a JSON value (one limit for all JSON read). */
export { MAX_JSON_DEPTH };

/** Whether a value is a plain object (a JSON object), not an array, class instance or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Says what keeps a value from being JSON data, or returns null when it is JSON:
 * `null`, booleans, finite numbers, strings, arrays and plain objects of those,
 * no cycles, at most {@link MAX_JSON_DEPTH} levels deep.
 */
export function jsonValueProblem(value: unknown): string | null {
  const ancestors = new Set<object>();
  const done = new Set<object>();
  // Each frame is a container being walked; `exit` frames take it off the ancestor set.
  const stack: { value: unknown; depth: number; exit: boolean }[] = [{ value, depth: 0, exit: false }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const current = frame.value;
    if (frame.exit) {
      ancestors.delete(current as object);
      done.add(current as object);
      continue;
    }
    const scalar = scalarProblem(current);
    if (scalar !== undefined) {
      if (scalar !== null) return scalar;
      continue;
    }
    const container = current as object;
    if (done.has(container)) continue;
    if (ancestors.has(container)) return "it refers to itself (a cycle)";
    if (frame.depth >= MAX_JSON_DEPTH) return `it nests deeper than ${MAX_JSON_DEPTH} levels`;
    ancestors.add(container);
    stack.push({ value: container, depth: frame.depth, exit: true });
    const children = Array.isArray(container) ? arrayValues(container) : Object.values(container);
    if (children === null) return "an array has holes";
    for (const child of children) stack.push({ value: child, depth: frame.depth + 1, exit: false });
  }
  return null;
}

/** Whether a value is JSON data (see {@link jsonValueProblem}). */
export function isJsonValue(value: unknown): value is JsonValue {
  return jsonValueProblem(value) === null;
}

/** Whether a value is a JSON object (a plain object of JSON values). */
export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return isPlainObject(value) && isJsonValue(value);
}

/** null: a valid scalar; a string: why it is not JSON; undefined: a container to walk. */
function scalarProblem(value: unknown): string | null | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return null;
    case "number":
      return Number.isFinite(value) ? null : `${String(value)} is not a JSON number`;
    case "undefined":
      return "it holds undefined";
    case "object":
      if (value === null) return null;
      return Array.isArray(value) || isPlainObject(value)
        ? undefined
        : "it holds an object that is not plain data";
    default:
      return `it holds a ${typeof value}`;
  }
}

function arrayValues(array: unknown[]): unknown[] | null {
  const values: unknown[] = [];
  for (let index = 0; index < array.length; index++) {
    if (!(index in array)) return null;
    values.push(array[index]);
  }
  return values;
}
