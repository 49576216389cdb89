/**
 * A tokenizer for the small part of JavaScript that Postman test scripts are read for. Scripts
 * are never run: they are read, statement by statement, and the common patterns are translated
 * into assertions and captures. The tokenizer never throws: anything it does not know becomes a
 * one-character punctuation token.
 */

/** One token, with its place in the source. */
export interface Token {
  kind: "name" | "number" | "string" | "regex" | "punct";
  /** The token as written (for strings: with quotes). */
  text: string;
  /** For strings: the decoded value; for regexes: `/source/flags`. */
  value?: string;
  start: number;
  end: number;
  /** Whether a line break separates this token from the previous one. */
  newlineBefore: boolean;
}

const PUNCTUATORS = [
  "===",
  "!==",
  "...",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "??",
  "?.",
  "++",
  "--",
  "+=",
  "-=",
];
const NAME_START = /[A-Za-z_$\u00A0-\uFFFF]/;
const NAME_PART = /[A-Za-z0-9_$\u00A0-\uFFFF]/;

/** Splits script text into tokens, skipping whitespace and comments. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  let newline = false;
  while (index < source.length) {
    const char = source[index]!;
    if (char === "\n" || char === "\r" || char === "\u2028" || char === "\u2029") {
      newline = true;
      index++;
      continue;
    }
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === "/" && source[index + 1] === "/") {
      while (index < source.length && source[index] !== "\n") index++;
      continue;
    }
    if (char === "/" && source[index + 1] === "*") {
      const close = source.indexOf("*/", index + 2);
      const end = close === -1 ? source.length : close + 2;
      if (source.slice(index, end).includes("\n")) newline = true;
      index = end;
      continue;
    }
    const start = index;
    let token: Omit<Token, "start" | "end" | "newlineBefore">;
    if (NAME_START.test(char)) {
      while (index < source.length && NAME_PART.test(source[index]!)) index++;
      token = { kind: "name", text: source.slice(start, index) };
    } else if (/[0-9]/.test(char) || (char === "." && /[0-9]/.test(source[index + 1] ?? ""))) {
      const match = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(
        source.slice(index, index + 64),
      );
      index += match ? match[0].length : 1;
      token = { kind: "number", text: source.slice(start, index) };
    } else if (char === '"' || char === "'" || char === "`") {
      const { end, value } = readString(source, index);
      index = end;
      token = { kind: "string", text: source.slice(start, index), value };
    } else if (char === "/" && regexAllowed(tokens.at(-1))) {
      index = readRegex(source, index);
      token = { kind: "regex", text: source.slice(start, index), value: source.slice(start, index) };
    } else {
      const punct = PUNCTUATORS.find((candidate) => source.startsWith(candidate, index)) ?? char;
      index += punct.length;
      token = { kind: "punct", text: punct };
    }
    tokens.push({ ...token, start, end: index, newlineBefore: newline });
    newline = false;
  }
  return tokens;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f", v: "\v", "0": "\0" };

/** Reads a quoted string from `start` (its opening quote); an unterminated one runs to the line end. */
function readString(source: string, start: number): { end: number; value: string } {
  const quote = source[start]!;
  let value = "";
  let index = start + 1;
  while (index < source.length) {
    const char = source[index]!;
    if (char === quote) return { end: index + 1, value };
    if (char === "\n" && quote !== "`") return { end: index, value };
    if (char === "\\") {
      const next = source[index + 1] ?? "";
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(source.slice(index + 2, index + 6))) {
        value += String.fromCharCode(Number.parseInt(source.slice(index + 2, index + 6), 16));
        index += 6;
        continue;
      }
      value += ESCAPES[next] ?? next;
      index += 2;
      continue;
    }
    value += char;
    index++;
  }
  return { end: index, value };
}

/** Whether a `/` after this token starts a regular expression rather than a division. */
function regexAllowed(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.kind === "number" || previous.kind === "string" || previous.kind === "regex") return false;
  if (previous.kind === "name")
    return ["return", "typeof", "case", "in", "of", "new", "delete", "void"].includes(previous.text);
  return ![")", "]", "}"].includes(previous.text);
}

function readRegex(source: string, start: number): number {
  let index = start + 1;
  let inClass = false;
  while (index < source.length) {
    const char = source[index]!;
    if (char === "\n") return index;
    if (char === "\\") {
      index += 2;
      continue;
    }
    if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    else if (char === "/" && !inClass) {
      index++;
      while (index < source.length && /[a-z]/i.test(source[index]!)) index++;
      return index;
    }
    index++;
  }
  return index;
}
