/** Reading fields whose names public clients disagree on. */
import { isRecord } from "../../core/json.ts";

/** The first of `keys` that holds a non-empty string. */
export function firstString(value: unknown, keys: readonly string[]): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const key of keys) {
    const field = value[key];
    if (typeof field === "string" && field !== "") return field;
  }
  return undefined;
}

/** The first of `keys` that holds an id: a non-empty string, or an integer given as a number. */
export function firstId(value: unknown, keys: readonly string[]): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const key of keys) {
    const field = value[key];
    if (typeof field === "string" && field !== "") return field;
    if (typeof field === "number" && Number.isSafeInteger(field)) return String(field);
  }
  return undefined;
}
