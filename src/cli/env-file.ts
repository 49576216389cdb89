/**
 * A dotenv-format parser: `KEY=value` lines, an optional `export ` prefix, `#` comments, single,
 * double and back quotes (double quotes understand `\n`, `\r`, `\t`, `\"` and `\\`; quoted values
 * may span lines). Nothing is expanded. Errors name the line, never the value, since values are
 * credentials.
 */
import { UsageError } from "./usage-error.ts";

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses dotenv text into a map (a repeated key keeps its last value).
 * @param source names the file in error messages
 * @throws UsageError naming the file and line of the first malformed entry
 */
export function parseEnvFile(text: string, source = "env file"): Record<string, string> {
  const values: Record<string, string> = {};
  const input = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let position = 0;
  let line = 1;

  const fail = (message: string, at = line): never => {
    throw new UsageError(`${source}:${at}: ${message}`);
  };

  while (position < input.length) {
    const end = input.indexOf("\n", position);
    const lineEnd = end === -1 ? input.length : end;
    const raw = input.slice(position, lineEnd);
    const trimmed = raw.trim();
    const startLine = line;
    if (trimmed === "" || trimmed.startsWith("#")) {
      position = lineEnd + 1;
      line++;
      continue;
    }
    const body = trimmed.replace(/^export\s+/, "");
    const equals = body.indexOf("=");
    if (equals === -1) fail("expected KEY=value");
    const key = body.slice(0, equals).trim();
    if (!KEY.test(key)) fail("invalid variable name (letters, digits and _ only, not starting with a digit)");

    // Offset of the value inside `input`, so quoted values can run over several lines.
    const valueStart = position + raw.indexOf("=") + 1;
    let cursor = valueStart;
    while (input[cursor] === " " || input[cursor] === "\t") cursor++;
    const quote = input[cursor];
    let value: string;
    if (quote === '"' || quote === "'" || quote === "`") {
      const close = findClosingQuote(input, cursor + 1, quote);
      if (close === -1) fail(`unterminated ${quote} quote`, startLine);
      const inner = input.slice(cursor + 1, close);
      value = quote === '"' ? unescapeDouble(inner) : inner;
      line += countNewlines(input, position, close);
      const restEnd = input.indexOf("\n", close);
      const rest = input.slice(close + 1, restEnd === -1 ? input.length : restEnd).trim();
      if (rest !== "" && !rest.startsWith("#")) fail("unexpected text after the closing quote");
      position = restEnd === -1 ? input.length : restEnd + 1;
      line++;
    } else {
      const rawValue = input.slice(cursor, lineEnd);
      const comment = rawValue.search(/\s#/);
      value = (comment === -1 ? rawValue : rawValue.slice(0, comment)).trim();
      position = lineEnd + 1;
      line++;
    }
    values[key] = value;
  }
  return values;
}

function findClosingQuote(input: string, from: number, quote: string): number {
  for (let index = from; index < input.length; index++) {
    const char = input[index];
    if (quote === '"' && char === "\\") {
      index++;
      continue;
    }
    if (char === quote) return index;
  }
  return -1;
}

function unescapeDouble(inner: string): string {
  return inner.replace(/\\([nrt"\\])/g, (_, char: string) => {
    switch (char) {
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      default:
        return char;
    }
  });
}

function countNewlines(input: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) if (input[index] === "\n") count++;
  return count;
}
