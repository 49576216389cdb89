/** The JSON type names the `type` operator knows, once for the model, validation and evaluation. */
export const JSON_TYPE_NAMES = ["string", "number", "boolean", "object", "array", "null"] as const;

/** One of {@link JSON_TYPE_NAMES}. */
export type JsonTypeName = (typeof JSON_TYPE_NAMES)[number];

/**
 * The JSON type of a value, `"undefined"` when nothing was selected, `"other"` for non-JSON values.
 * @example
 * jsonTypeOf([1]); // "array"
 */
export function jsonTypeOf(value: unknown): JsonTypeName | "undefined" | "other" {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "object":
      return "object";
    default:
      return "other";
  }
}
