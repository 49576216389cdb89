/** Reading untyped Postman JSON safely. */
import { isPlainObject } from "../json-value.ts";

/**
 * Names the collection format refuses as keys of its objects (headers, query, form, variables,
 * capture), because JavaScript objects treat them specially.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Whether `name` cannot be a key of a collection's headers, query, form, variables or capture. */
export function isReservedKey(name: string): boolean {
  return RESERVED_KEYS.has(name);
}

/** A plain object, or undefined. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** An array, or an empty one. */
export function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A string, or undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A scalar as text (numbers and booleans too), or undefined. */
export function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** Postman's `{ key, value, disabled }` rows (query, headers, form fields), enabled ones only. */
export function enabledRows(value: unknown): { key: string; value: unknown; row: Record<string, unknown> }[] {
  const rows: { key: string; value: unknown; row: Record<string, unknown> }[] = [];
  for (const entry of arrayOf(value)) {
    const row = objectOf(entry);
    if (row === undefined || row.disabled === true) continue;
    const key = textOf(row.key);
    if (key === undefined) continue;
    rows.push({ key, value: row.value, row });
  }
  return rows;
}

/** A Postman description (a string or `{ content }`). */
export function descriptionOf(value: unknown): string | undefined {
  const text = stringOf(value) ?? stringOf(objectOf(value)?.content);
  return text === undefined || text.trim() === "" ? undefined : text;
}
