import { describe, expect, it } from "vitest";
import { parseEnvFile } from "../../../src/cli/env-file.ts";
import { UsageError } from "../../../src/cli/usage-error.ts";

describe("parseEnvFile (dotenv format)", () => {
  it("reads KEY=value lines, export prefixes, comments, blank lines and CRLF", () => {
    const text = [
      "# Certn demo account",
      "",
      "CERTN_CLIENT_ID=abc123",
      "export CERTN_CLIENT_SECRET = s3cr3t  # trailing comment",
      "  SPACED  =  padded value  ",
      "EMPTY=",
      "HASH_INSIDE=a#b",
    ].join("\r\n");
    expect(parseEnvFile(text)).toEqual({
      CERTN_CLIENT_ID: "abc123",
      CERTN_CLIENT_SECRET: "s3cr3t",
      SPACED: "padded value",
      EMPTY: "",
      HASH_INSIDE: "a#b",
    });
  });

  it("keeps single-quoted values literal and unescapes double-quoted ones, across lines", () => {
    const text = [
      "SINGLE='a \\n $HOME # not a comment'",
      'DOUBLE="line1\\nline2 \\"quoted\\" \\\\ end" # comment',
      'MULTI="first',
      'second"',
      "BACKTICK=`it's`",
      "AFTER=ok",
    ].join("\n");
    expect(parseEnvFile(text)).toEqual({
      SINGLE: "a \\n $HOME # not a comment",
      DOUBLE: 'line1\nline2 "quoted" \\ end',
      MULTI: "first\nsecond",
      BACKTICK: "it's",
      AFTER: "ok",
    });
  });

  it("lets a repeated key keep its last value and strips a BOM", () => {
    expect(parseEnvFile("\uFEFFA=1\nA=2\n")).toEqual({ A: "2" });
  });

  it("reports the file and line of a malformed entry without showing any value", () => {
    const cases: [string, string][] = [
      ["OK=1\nthis line has no equals sign-s3cr3t\n", ".env:2: expected KEY=value"],
      ["1BAD=s3cr3t", ".env:1: invalid variable name"],
      ['A=1\nB="s3cr3t\n', '.env:2: unterminated " quote'],
      ["A='s3cr3t' extra", ".env:1: unexpected text after the closing quote"],
    ];
    for (const [text, expected] of cases) {
      let message = "";
      try {
        parseEnvFile(text, ".env");
      } catch (error) {
        expect(error).toBeInstanceOf(UsageError);
        message = (error as Error).message;
      }
      expect(message).toContain(expected);
      expect(message).not.toContain("s3cr3t");
    }
  });
});
