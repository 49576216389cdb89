/**
 * `--data` and `--vars-file` inputs: data rows from JSON or CSV, variables from a JSON object.
 * Only the files' own shape is checked here (JSON syntax, an array, an object, a CSV record); the
 * rows and values are run inputs, checked with the runner's schema like every other input.
 */

import type { JsonValue } from "../collection/model.ts";
import { isRecord } from "../core/json.ts";
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

/** A parsed JSON object of variables (its names and values are checked as run inputs). */
export function toVariables(value: unknown, source: string): Record<string, JsonValue> {
  if (!isRecord(value)) throw new UsageError(`${source}: / must be an object of variable names to values`);
  return value as Record<string, JsonValue>;
}

/**
 * Reads data rows: a JSON array, or CSV with a header (values stay text). The format follows the
 * extension (`.csv`, `.json`), else the first character. Each row is checked as a run input.
 */
export function parseDataRows(text: string, source: string): unknown[] {
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
  return parsed;
}
