/**
 * Reading the expressions of Postman scripts: property chains (`pm.response.json().a[0]`),
 * literals (`'x'`, `[200, 201]`, `{ a: 1 }`) and what they mean for a response (a selector) or as
 * an expected value. Anything not understood yields null, and the statement is reported instead.
 */
import type { JsonValue } from "../model.ts";
import { matchingBracket, splitArguments } from "./statements.ts";
import type { Token } from "./tokens.ts";

/** One step of a property chain. */
export type Segment =
  | { kind: "prop"; name: string }
  | { kind: "index"; key: string | number }
  | { kind: "call"; args: Token[][]; open: number; close: number };

/** `base.segment...`: a name followed by property accesses and calls. */
export interface Chain {
  base: string;
  segments: Segment[];
}

/** Parses tokens that form exactly one property chain (outer parentheses allowed). */
export function parseChain(tokens: readonly Token[]): Chain | null {
  const inner = unwrapParens(tokens);
  const first = inner[0];
  if (first?.kind !== "name") return null;
  const segments: Segment[] = [];
  let index = 1;
  while (index < inner.length) {
    const token = inner[index]!;
    if (token.kind === "punct" && (token.text === "." || token.text === "?.")) {
      const name = inner[index + 1];
      if (name?.kind !== "name") return null;
      segments.push({ kind: "prop", name: name.text });
      index += 2;
      continue;
    }
    if (token.kind === "punct" && (token.text === "[" || token.text === "(")) {
      const close = matchingBracket(inner, index);
      if (close === -1) return null;
      const content = inner.slice(index + 1, close);
      if (token.text === "(") {
        segments.push({
          kind: "call",
          args: content.length === 0 ? [] : splitArguments(content),
          open: index,
          close,
        });
      } else {
        const key = content.length === 1 ? content[0]! : undefined;
        if (key?.kind === "string" && !isTemplateLiteral(key))
          segments.push({ kind: "index", key: key.value ?? "" });
        else if (key?.kind === "number" && /^\d+$/.test(key.text))
          segments.push({ kind: "index", key: Number(key.text) });
        else return null;
      }
      index = close + 1;
      continue;
    }
    return null;
  }
  return { base: first.text, segments };
}

/** Tokens without the parentheses wrapping all of them. */
export function unwrapParens(tokens: readonly Token[]): readonly Token[] {
  let current = tokens;
  while (
    current.length >= 2 &&
    current[0]!.text === "(" &&
    matchingBracket(current, 0) === current.length - 1
  ) {
    current = current.slice(1, -1);
  }
  return current;
}

function isTemplateLiteral(token: Token): boolean {
  return token.text.startsWith("`") && token.text.includes("${");
}

/** A parsed literal; `undefined` stands for JavaScript's `undefined`. */
export type Literal = { value: JsonValue | undefined } | null;

/** Parses a JavaScript literal made of JSON-compatible parts (plus `undefined` and regexes as strings). */
export function parseLiteral(tokens: readonly Token[]): Literal {
  const inner = unwrapParens(tokens);
  const [first, second] = inner;
  if (first === undefined) return null;
  if (inner.length === 1) {
    if (first.kind === "string") return isTemplateLiteral(first) ? null : { value: first.value ?? "" };
    if (first.kind === "number") return finite(Number(first.text));
    if (first.kind === "regex") return { value: first.value ?? "" };
    if (first.kind === "name") {
      if (first.text === "true") return { value: true };
      if (first.text === "false") return { value: false };
      if (first.text === "null") return { value: null };
      if (first.text === "undefined") return { value: undefined };
    }
    return null;
  }
  if (inner.length === 2 && first.text === "-" && second?.kind === "number")
    return finite(-Number(second.text));
  const close = matchingBracket(inner, 0);
  if (close !== inner.length - 1) return null;
  if (first.text === "[") return parseArray(inner.slice(1, -1));
  if (first.text === "{") return parseObject(inner.slice(1, -1));
  return null;
}

function finite(value: number): Literal {
  return Number.isFinite(value) ? { value } : null;
}

function parseArray(content: readonly Token[]): Literal {
  const values: JsonValue[] = [];
  const parts = content.length === 0 ? [] : splitArguments(content);
  for (const [index, part] of parts.entries()) {
    if (part.length === 0 && index === parts.length - 1) break;
    const element = parseLiteral(part);
    if (element === null || element.value === undefined) return null;
    values.push(element.value);
  }
  return { value: values };
}

function parseObject(content: readonly Token[]): Literal {
  const object: { [key: string]: JsonValue } = {};
  const parts = content.length === 0 ? [] : splitArguments(content);
  for (const [index, part] of parts.entries()) {
    if (part.length === 0 && index === parts.length - 1) break;
    const [key, colon, ...rest] = part;
    if (colon?.text !== ":" || key === undefined) return null;
    const name =
      key.kind === "string" && !isTemplateLiteral(key)
        ? key.value
        : key.kind === "name" || key.kind === "number"
          ? key.text
          : undefined;
    if (name === undefined) return null;
    const value = parseLiteral(rest);
    if (value === null || value.value === undefined) return null;
    object[name] = value.value;
  }
  return { value: object };
}

/** A string literal's value, or undefined. */
export function stringLiteral(tokens: readonly Token[] | undefined): string | undefined {
  if (tokens === undefined) return undefined;
  const literal = parseLiteral(tokens);
  return literal !== null && typeof literal.value === "string" ? literal.value : undefined;
}

/** `.name` or `['key']` JSONPath member notation. */
function member(key: string | number): string {
  if (typeof key === "number") return `[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `.${key}`;
  let escaped = "";
  for (const char of key) {
    const code = char.charCodeAt(0);
    if (char === "\\" || char === "'") escaped += `\\${char}`;
    else if (code < 0x20) escaped += `\\u${code.toString(16).padStart(4, "0")}`;
    else escaped += char;
  }
  return `['${escaped}']`;
}

/** The JSONPath of a path from the root of the body. */
export function jsonPath(path: readonly (string | number)[]): string {
  return `$${path.map(member).join("")}`;
}
