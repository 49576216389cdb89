/**
 * `--data` and `--vars-file` inputs: data rows from JSON or CSV, variables from a JSON object.
 * Every problem is reported with the file name and a JSON Pointer or line.
 */

import type { Variables, VariableValue } from "../collection/model.ts";
import { toJsonPointer } from "../core/json.ts";
import { parseCsvRows } from "./csv.ts";
import { UsageError } from "./usage-error.ts";

/** Parses JSON text, turning a syntax error into a {@link UsageError} naming the file. */
export function parseJsonFile(text: string, source: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${source}: not valid JSON (${reason})`);
  }
}

function isVariableValue(value: unknown): value is VariableValue {
  return (
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/**
 * Checks that a parsed value is an object of strings, numbers and booleans.
 * @param at the JSON Pointer of `value` inside its file
 */
export function toVariables(value: unknown, source: string, at = ""): Variables {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${source}: ${at || "/"} must be an object of variable names to values`);
  }
  const variables: Variables = {};
  for (const [name, item] of Object.entries(value)) {
    if (!isVariableValue(item)) {
      throw new UsageError(`${source}: ${at}${toJsonPointer([name])} must be a string, number or boolean`);
    }
    variables[name] = item;
  }
  return variables;
}

/**
 * Reads data rows: a JSON array of objects, or CSV with a header (values stay text).
 * The format follows the extension (`.csv`, `.json`), else the first character.
 */
export function parseDataRows(text: string, source: string): Variables[] {
  const isCsv = /\.csv$/i.test(source) || (!/\.json$/i.test(source) && !/^\s*\[/.test(text));
  if (isCsv) {
    const rows = parseCsvRows(text, source);
    if (rows.length === 0) throw new UsageError(`${source}: no data rows after the header`);
    return rows;
  }
  const parsed = parseJsonFile(text, source);
  if (!Array.isArray(parsed))
    throw new UsageError(`${source}: / must be an array of objects (one per iteration)`);
  if (parsed.length === 0) throw new UsageError(`${source}: / is an empty array (give at least one row)`);
  return parsed.map((row, index) => toVariables(row, source, `/${index}`));
}
