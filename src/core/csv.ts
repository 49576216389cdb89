/**
 * RFC 4180 CSV: comma-separated fields, fields in double quotes may hold commas, line breaks and
 * doubled quotes (`""`); records end with CRLF or LF; the first record is the header. Shared by
 * the CLI (`--data file.csv`) and the Worker's console (pasted data rows).
 */

/** CSV that cannot be read: the message names the source and the line or column. */
export class CsvError extends Error {
  override readonly name = "CsvError";
}

/**
 * Splits CSV text into records of fields. A final line break does not start an empty record.
 * @example
 * parseCsv('a,b\n1,"x,y"'); // [["a", "b"], ["1", "x,y"]]
 * @throws CsvError naming the line of an unterminated quote or a stray quote
 */
export function parseCsv(text: string, source = "CSV"): string[][] {
  const input = text.replace(/^\uFEFF/, "");
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let line = 1;
  let index = 0;
  let fieldStarted = false;

  const endField = () => {
    record.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };

  while (index < input.length) {
    const char = input[index]!;
    if (char === '"' && !fieldStarted && field === "") {
      const quoteLine = line;
      index++;
      for (;;) {
        if (index >= input.length) throw new CsvError(`${source}:${quoteLine}: unterminated quoted field`);
        const inner = input[index]!;
        if (inner === '"') {
          if (input[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index++;
          break;
        }
        if (inner === "\n") line++;
        field += inner;
        index++;
      }
      fieldStarted = true;
      const next = input[index];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        throw new CsvError(
          `${source}:${line}: unexpected text after a closing quote (double a quote inside a quoted field: "")`,
        );
      }
      continue;
    }
    if (char === ",") {
      endField();
      index++;
    } else if (char === "\r" && input[index + 1] === "\n") {
      endRecord();
      index += 2;
      line++;
    } else if (char === "\n") {
      endRecord();
      index++;
      line++;
    } else {
      if (char === '"') {
        throw new CsvError(
          `${source}:${line}: a quote inside an unquoted field (quote the whole field and double the quote)`,
        );
      }
      field += char;
      fieldStarted = true;
      index++;
    }
  }
  if (fieldStarted || field !== "" || record.length > 0) endRecord();
  return records;
}

/**
 * Parses CSV with a header record into one object per data record. Empty lines are skipped.
 * @example
 * parseCsvRows("name,age\nAda,36"); // [{ name: "Ada", age: "36" }]
 * @throws CsvError on an empty or duplicated header name, or a record of the wrong width
 */
export function parseCsvRows(text: string, source = "CSV"): Record<string, string>[] {
  const records = parseCsv(text, source).filter((record) => !(record.length === 1 && record[0] === ""));
  const header = records[0];
  if (!header) throw new CsvError(`${source}: empty file (the first line must name the columns)`);
  const seen = new Set<string>();
  header.forEach((name, column) => {
    if (name.trim() === "") throw new CsvError(`${source}: column ${column + 1} of the header has no name`);
    if (seen.has(name)) throw new CsvError(`${source}: column "${name}" appears twice in the header`);
    seen.add(name);
  });
  return records.slice(1).map((record, index) => {
    if (record.length !== header.length) {
      throw new CsvError(
        `${source}: data row ${index + 1} has ${record.length} fields, the header has ${header.length}`,
      );
    }
    return Object.fromEntries(header.map((name, column) => [name, record[column]!]));
  });
}
