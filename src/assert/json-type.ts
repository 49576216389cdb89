/** JSON type names used by the `type` operator. */
export type JsonTypeName = "string" | "number" | "boolean" | "object" | "array" | "null";

/** The JSON type of a value, or `"undefined"` when nothing was selected. */
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
