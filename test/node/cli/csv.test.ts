import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvRows } from "../../../src/cli/csv.ts";
import { UsageError } from "../../../src/cli/usage-error.ts";

/** RFC 4180 writer: quote a field when it holds a comma, quote, CR or LF; double inner quotes. */
function writeCsv(records: string[][], eol: string): string {
  return records
    .map((record) =>
      record.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(","),
    )
    .join(eol);
}

describe("parseCsv (RFC 4180)", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    const text = 'name,note\r\n"Doe, Jane","She said ""hi"""\r\n"multi\r\nline",plain\r\n';
    expect(parseCsv(text)).toEqual([
      ["name", "note"],
      ["Doe, Jane", 'She said "hi"'],
      ["multi\r\nline", "plain"],
    ]);
  });

  it("keeps empty fields and accepts LF endings and a missing final line break", () => {
    expect(parseCsv('a,,c\n,"",\nx')).toEqual([["a", "", "c"], ["", "", ""], ["x"]]);
  });

  it("reads back whatever an RFC 4180 writer wrote", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "Z", "0", " ", ",", '"', "\n", "\r", "é", "#") });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 5 }),
          ),
        fc.constantFrom("\n", "\r\n"),
        (records, eol) => {
          // A record of one empty field is written as an empty line, which no writer can tell apart.
          fc.pre(records.every((record) => !(record.length === 1 && record[0] === "")));
          expect(parseCsv(writeCsv(records, eol))).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("names the line of an unterminated or misplaced quote", () => {
    expect(() => parseCsv('a,b\n"open,x\n', "rows.csv")).toThrow(/rows\.csv:2: unterminated quoted field/);
    expect(() => parseCsv('a,b\n"x"y,z\n', "rows.csv")).toThrow(
      /rows\.csv:2: unexpected text after a closing quote/,
    );
    expect(() => parseCsv('a,b\nx"y,z\n', "rows.csv")).toThrow(
      /rows\.csv:2: a quote inside an unquoted field/,
    );
  });
});

describe("parseCsvRows", () => {
  it("turns the header into keys and skips blank lines", () => {
    expect(parseCsvRows('firstName,lastName\nTesty,McTestface\n\nQuinn,"O\'Sample, Jr."\n')).toEqual([
      { firstName: "Testy", lastName: "McTestface" },
      { firstName: "Quinn", lastName: "O'Sample, Jr." },
    ]);
  });

  it("refuses rows of the wrong width, duplicate or empty column names and an empty file", () => {
    expect(() => parseCsvRows("a,b\n1,2,3\n", "d.csv")).toThrow(
      /d\.csv: data row 1 has 3 fields, the header has 2/,
    );
    expect(() => parseCsvRows("a,a\n1,2\n", "d.csv")).toThrow(/column "a" appears twice/);
    expect(() => parseCsvRows("a,,c\n1,2,3\n", "d.csv")).toThrow(/column 2 of the header has no name/);
    expect(() => parseCsvRows("", "d.csv")).toThrow(UsageError);
  });
});
