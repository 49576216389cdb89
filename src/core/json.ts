/**
 * JSON shapes shared by every layer: the value type and the one check for a plain object.
 */

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * True for a plain JSON object (not null, not an array).
 * @example
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A JSON Pointer (RFC 6901) from path segments, escaping `~` as `~0` and `/` as `~1`.
 * @example
 * toJsonPointer(["items", 0, "a/b"]); // "/items/0/a~1b"
 */
export function toJsonPointer(segments: readonly (string | number)[]): string {
  return segments
    .map((segment) => `/${String(segment).replaceAll("~", "~0").replaceAll("/", "~1")}`)
    .join("");
}
