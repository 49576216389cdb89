/**
 * Splits script tokens into statements: on `;` and on line breaks outside brackets, the way
 * JavaScript's automatic semicolon insertion mostly does (a line that continues an expression,
 * such as one starting with `.and.equal(...)`, stays with the statement before it).
 */
import type { Token } from "./tokens.ts";

/** A statement: its tokens and its source text. */
export interface Statement {
  tokens: Token[];
  text: string;
}

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSERS = new Set([")", "]", "}"]);
/** Operators and separators that join what stands on either side of them. */
const JOINING = [
  ",",
  ".",
  "?.",
  "=",
  "=>",
  "+",
  "*",
  "/",
  "%",
  "&&",
  "||",
  "??",
  "?",
  ":",
  "==",
  "===",
  "!=",
  "!==",
  "<",
  ">",
  "<=",
  ">=",
  "&",
  "|",
  "^",
];
/**
 * Tokens after which a line break never ends a statement. `-` and `!` join only forwards: at the
 * start of a line they may begin a new statement (`-1`, `!ok`).
 */
const CONTINUES_AFTER = new Set([...JOINING, "-", "!", "+=", "-="]);
/** Tokens before which a line break never ends a statement. */
const CONTINUES_BEFORE = new Set([...JOINING, ...CLOSERS]);
const JOINS_BEFORE = new Set(["else", "catch", "finally"]);
const NEEDS_BODY = new Set(["if", "for", "while", "else", "do", "try", "with"]);

/** Splits tokens (of one script or one block body) into statements. */
export function splitStatements(tokens: readonly Token[], source: string): Statement[] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (depth === 0 && current.length > 0 && token.newlineBefore && endsStatement(current, token)) {
      statements.push(current);
      current = [];
    }
    if (depth === 0 && token.text === ";" && token.kind === "punct") {
      if (current.length > 0) statements.push(current);
      current = [];
      continue;
    }
    if (token.kind === "punct") {
      if (OPENERS[token.text] !== undefined) depth++;
      else if (CLOSERS.has(token.text) && depth > 0) depth--;
    }
    current.push(token);
  }
  if (current.length > 0) statements.push(current);
  return statements.map((group) => ({
    tokens: group,
    text: source.slice(group[0]!.start, group.at(-1)!.end),
  }));
}

function endsStatement(current: readonly Token[], next: Token): boolean {
  const last = current.at(-1)!;
  if (last.kind === "punct" && CONTINUES_AFTER.has(last.text)) return false;
  if (next.kind === "punct" && CONTINUES_BEFORE.has(next.text)) return false;
  if (next.kind === "name" && JOINS_BEFORE.has(next.text)) return false;
  // `if (x)` on its own line governs the next statement; keep them together.
  const first = current[0]!;
  if (first.kind === "name" && NEEDS_BODY.has(first.text) && !(last.kind === "punct" && last.text === "}"))
    return false;
  return true;
}

/** Index of the bracket closing the one at `open`, or -1. */
export function matchingBracket(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind !== "punct") continue;
    if (OPENERS[token.text] !== undefined) depth++;
    else if (CLOSERS.has(token.text)) {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/** Splits tokens at top-level commas (function arguments, array elements). */
export function splitArguments(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === "punct") {
      if (OPENERS[token.text] !== undefined) depth++;
      else if (CLOSERS.has(token.text)) depth--;
      else if (token.text === "," && depth === 0) {
        parts.push(current);
        current = [];
        continue;
      }
    }
    current.push(token);
  }
  if (current.length > 0 || parts.length > 0) parts.push(current);
  return parts;
}
