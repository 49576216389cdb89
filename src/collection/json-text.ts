/**
 * Parses collection text. When `JSON.parse` fails, the error is located by a small scanner of our
 * own, because engines word (and position) their syntax errors differently: V8 gives a position,
 * JavaScriptCore does not.
 */

/** Parsed JSON, or a message locating the syntax error. */
export type JsonTextResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Parses JSON text (a leading byte-order mark is ignored). Never throws. */
export function parseJsonText(text: string): JsonTextResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (error) {
    const found = findJsonSyntaxError(source);
    if (found === null) {
      return {
        ok: false,
        message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    const { line, column } = lineAndColumn(source, found.offset);
    return {
      ok: false,
      message: `invalid JSON at line ${line}, column ${column} (position ${found.offset}): ${found.reason}`,
    };
  }
}

/** Where a JSON syntax error is and what it is. */
export interface JsonSyntaxError {
  /** Offset of the offending character (UTF-16 code units, 0-based). */
  offset: number;
  reason: string;
}

type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "comma-or-close" | "end";

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Finds the first syntax error in JSON text (without recursion), or null when there is none. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const stack: ("array" | "object")[] = [];
  let expect = "value" as Expect;
  let index = 0;
  const fail = (reason: string, offset = index): JsonSyntaxError => ({ offset, reason });
  const afterValue = () => {
    expect = stack.length > 0 ? "comma-or-close" : "end";
  };
  const close = () => {
    index++;
    stack.pop();
    afterValue();
  };
  for (;;) {
    while (index < text.length && " \t\n\r".includes(text[index]!)) index++;
    if (index >= text.length) {
      if (expect === "end") return null;
      return fail(
        stack.length > 0
          ? `unexpected end of input (${stack.length} unclosed bracket(s))`
          : "unexpected end of input",
      );
    }
    const char = text[index]!;
    switch (expect) {
      case "end":
        return fail(`unexpected ${show(char)} after the end of the JSON value`);
      case "colon":
        if (char !== ":") return fail(`expected ":" after a property name, found ${show(char)}`);
        index++;
        expect = "value";
        continue;
      case "comma-or-close": {
        const closer = stack.at(-1) === "array" ? "]" : "}";
        if (char === ",") {
          index++;
          expect = stack.at(-1) === "array" ? "value" : "key";
        } else if (char === closer) close();
        else return fail(`expected "," or "${closer}", found ${show(char)}`);
        continue;
      }
      case "key-or-close":
      case "key":
        if (char === "}" && expect === "key-or-close") {
          close();
          continue;
        }
        if (char !== '"') {
          return fail(
            char === "}"
              ? 'a comma before "}" (trailing commas are not JSON)'
              : `expected a property name in double quotes, found ${show(char)}`,
          );
        }
        {
          const error = skipString();
          if (error) return error;
        }
        expect = "colon";
        continue;
      case "value-or-close":
      case "value": {
        if (char === "]" && expect === "value-or-close") {
          close();
          continue;
        }
        const error = skipValueStart(char);
        if (error) return error;
      }
    }
  }

  function skipValueStart(char: string): JsonSyntaxError | null {
    if (char === "{" || char === "[") {
      stack.push(char === "{" ? "object" : "array");
      index++;
      expect = char === "{" ? "key-or-close" : "value-or-close";
      return null;
    }
    if (char === '"') {
      const error = skipString();
      if (error) return error;
      afterValue();
      return null;
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, index)) {
        index += literal.length;
        afterValue();
        return null;
      }
    }
    NUMBER.lastIndex = index;
    const number = NUMBER.exec(text);
    if (number) {
      index += number[0].length;
      afterValue();
      return null;
    }
    if (char === "]") return fail('a comma before "]" (trailing commas are not JSON)');
    if (char === "'") return fail("strings must use double quotes");
    return fail(`unexpected ${show(char)}; expected a value`);
  }

  function skipString(): JsonSyntaxError | null {
    const start = index;
    index++;
    while (index < text.length) {
      const code = text.charCodeAt(index);
      if (code === 0x22) {
        index++;
        return null;
      }
      if (code === 0x5c) {
        const next = text[index + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 2, index + 6)))
            return fail("invalid \\u escape in a string");
          index += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) index += 2;
        else return fail(`invalid escape ${show(`\\${next ?? ""}`)} in a string`);
        continue;
      }
      if (code < 0x20) return fail("a control character (such as a line break) inside a string; escape it");
      index++;
    }
    return fail("unterminated string", start);
  }
}

function show(text: string): string {
  return JSON.stringify(text);
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = 0; index < offset && index < text.length; index++) {
    if (text.charCodeAt(index) === 0x0a) {
      line++;
      lineStart = index + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
