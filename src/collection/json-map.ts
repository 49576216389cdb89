/** A copy of a JSON value with every string replaced (template expansion, Postman variable renaming). */
import { setOwn } from "../core/json.ts";
import type { JsonValue } from "./model.ts";

/**
 * Applies `map` to every string inside `value` (object keys are left literal) and returns the
 * copy; `map` may turn a string into any JSON value.
 */
export function mapJsonStrings(value: JsonValue, map: (text: string) => JsonValue): JsonValue {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((element) => mapJsonStrings(element, map));
  if (value !== null && typeof value === "object") {
    const result: { [key: string]: JsonValue } = {};
    for (const [key, element] of Object.entries(value)) setOwn(result, key, mapJsonStrings(element, map));
    return result;
  }
  return value;
}
