/** CSV for the CLI: the shared reader of src/core/csv.ts, its errors as usage errors (exit 2). */
import { CsvError, parseCsvRows as parseCsvObjects, parseCsv as parseCsvRecords } from "../core/csv.ts";
import { UsageError } from "./usage-error.ts";

function asUsageError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CsvError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Splits CSV text into records of fields.
 * @throws UsageError naming the line of an unterminated quote or a stray quote
 * @example
 * parseCsv("a,b\n1,2"); // [["a", "b"], ["1", "2"]]
 */
export function parseCsv(text: string, source = "CSV"): string[][] {
  return asUsageError(() => parseCsvRecords(text, source));
}

/**
 * Parses CSV with a header record into one object per data record.
 * @throws UsageError on an empty or duplicated header name, or a record of the wrong width
 * @example
 * parseCsvRows("name\nAda"); // [{ name: "Ada" }]
 */
export function parseCsvRows(text: string, source = "CSV"): Record<string, string>[] {
  return asUsageError(() => parseCsvObjects(text, source));
}
