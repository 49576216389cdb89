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
  return new JsonScanner(text).scan();
}

/** A one-pass JSON syntax check: a stack of open brackets and what may come next, no recursion. */
class JsonScanner {
  readonly #text: string;
  readonly #stack: ("array" | "object")[] = [];
  #expect: Expect = "value";
  #index = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** The first syntax error, or null when the text is one JSON value. */
  scan(): JsonSyntaxError | null {
    for (;;) {
      this.#skipWhitespace();
      if (this.#index >= this.#text.length) return this.#endOfInput();
      const error = this.#step(this.#text[this.#index]!);
      if (error !== null) return error;
    }
  }

  #skipWhitespace(): void {
    while (this.#index < this.#text.length && " \t\n\r".includes(this.#text[this.#index]!)) this.#index++;
  }

  #fail(reason: string, offset = this.#index): JsonSyntaxError {
    return { offset, reason };
  }

  #endOfInput(): JsonSyntaxError | null {
    if (this.#expect === "end") return null;
    return this.#fail(
      this.#stack.length > 0
        ? `unexpected end of input (${this.#stack.length} unclosed bracket(s))`
        : "unexpected end of input",
    );
  }

  /** Reads what starts at `char`, as the state allows: an error, or null to go on. */
  #step(char: string): JsonSyntaxError | null {
    switch (this.#expect) {
      case "end":
        return this.#fail(`unexpected ${show(char)} after the end of the JSON value`);
      case "colon":
        return this.#colon(char);
      case "comma-or-close":
        return this.#commaOrClose(char);
      case "key-or-close":
      case "key":
        return this.#key(char);
      case "value-or-close":
      case "value":
        return this.#value(char);
    }
  }

  #afterValue(): void {
    this.#expect = this.#stack.length > 0 ? "comma-or-close" : "end";
  }

  #close(): null {
    this.#index++;
    this.#stack.pop();
    this.#afterValue();
    return null;
  }

  #colon(char: string): JsonSyntaxError | null {
    if (char !== ":") return this.#fail(`expected ":" after a property name, found ${show(char)}`);
    this.#index++;
    this.#expect = "value";
    return null;
  }

  #commaOrClose(char: string): JsonSyntaxError | null {
    const inArray = this.#stack.at(-1) === "array";
    const closer = inArray ? "]" : "}";
    if (char === closer) return this.#close();
    if (char !== ",") return this.#fail(`expected "," or "${closer}", found ${show(char)}`);
    this.#index++;
    this.#expect = inArray ? "value" : "key";
    return null;
  }

  #key(char: string): JsonSyntaxError | null {
    if (char === "}" && this.#expect === "key-or-close") return this.#close();
    if (char !== '"') {
      return this.#fail(
        char === "}"
          ? 'a comma before "}" (trailing commas are not JSON)'
          : `expected a property name in double quotes, found ${show(char)}`,
      );
    }
    const error = this.#skipString();
    if (error) return error;
    this.#expect = "colon";
    return null;
  }

  #value(char: string): JsonSyntaxError | null {
    if (char === "]" && this.#expect === "value-or-close") return this.#close();
    if (char === "{" || char === "[") {
      this.#stack.push(char === "{" ? "object" : "array");
      this.#index++;
      this.#expect = char === "{" ? "key-or-close" : "value-or-close";
      return null;
    }
    if (char === '"') {
      const error = this.#skipString();
      if (error) return error;
      this.#afterValue();
      return null;
    }
    if (this.#skipLiteralOrNumber()) {
      this.#afterValue();
      return null;
    }
    if (char === "]") return this.#fail('a comma before "]" (trailing commas are not JSON)');
    if (char === "'") return this.#fail("strings must use double quotes");
    return this.#fail(`unexpected ${show(char)}; expected a value`);
  }

  /** Moves past `true`, `false`, `null` or a number; false when none starts here. */
  #skipLiteralOrNumber(): boolean {
    for (const literal of ["true", "false", "null"]) {
      if (this.#text.startsWith(literal, this.#index)) {
        this.#index += literal.length;
        return true;
      }
    }
    NUMBER.lastIndex = this.#index;
    const number = NUMBER.exec(this.#text);
    if (!number) return false;
    this.#index += number[0].length;
    return true;
  }

  /** Moves past a string starting at the current `"`; an error for a bad escape or an unclosed one. */
  #skipString(): JsonSyntaxError | null {
    const text = this.#text;
    const start = this.#index;
    this.#index++;
    while (this.#index < text.length) {
      const code = text.charCodeAt(this.#index);
      if (code === 0x22) {
        this.#index++;
        return null;
      }
      if (code === 0x5c) {
        const error = this.#skipEscape();
        if (error) return error;
        continue;
      }
      if (code < 0x20)
        return this.#fail("a control character (such as a line break) inside a string; escape it");
      this.#index++;
    }
    return this.#fail("unterminated string", start);
  }

  /** Moves past the escape at the current backslash. */
  #skipEscape(): JsonSyntaxError | null {
    const text = this.#text;
    const next = text[this.#index + 1];
    if (next === "u") {
      if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.#index + 2, this.#index + 6)))
        return this.#fail("invalid \\u escape in a string");
      this.#index += 6;
      return null;
    }
    if (next !== undefined && '"\\/bfnrt'.includes(next)) {
      this.#index += 2;
      return null;
    }
    return this.#fail(`invalid escape ${show(`\\${next ?? ""}`)} in a string`);
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
