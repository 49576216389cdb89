/** The legacy sandbox: `tests["name"] = responseCode.code === 200;` and similar boolean tests. */
import type { Assertion } from "../model.ts";
import { jsonPath, parseChain, stringLiteral, unwrapParens } from "./expressions.ts";
import type { Context } from "./script-context.ts";
import { isProp, named, resolveExpected, resolveSubject, selectorOf, subjectOf } from "./script-values.ts";
import { matchingBracket } from "./statements.ts";
import type { Token } from "./tokens.ts";

// `tests["name"] = responseCode.code === 200;` (the legacy sandbox)

const COMPARISONS: Record<
  string,
  "equals" | "notEquals" | "greaterThan" | "lessThan" | "greaterThanOrEqual" | "lessThanOrEqual"
> = {
  "===": "equals",
  "==": "equals",
  "!==": "notEquals",
  "!=": "notEquals",
  ">": "greaterThan",
  "<": "lessThan",
  ">=": "greaterThanOrEqual",
  "<=": "lessThanOrEqual",
};
const FLIPPED: Record<string, string> = { ">": "<", "<": ">", ">=": "<=", "<=": ">=" };

export function legacyTest(tokens: readonly Token[], context: Context): boolean {
  const close = matchingBracket(tokens, 1);
  const name = stringLiteral(tokens.slice(2, close));
  if (close === -1 || name === undefined || tokens[close + 1]?.text !== "=") return false;
  const inner: Context = { ...context, testName: name.slice(0, 200) || undefined };
  const assertion = booleanExpression(unwrapParens(tokens.slice(close + 2)), inner);
  if (assertion === null) return false;
  context.out.assertions.push(named(assertion, inner));
  return true;
}

/** An assertion equivalent to a boolean expression on the response, or null. */
function booleanExpression(tokens: readonly Token[], context: Context): Assertion | null {
  if (tokens[0]?.text === "!") {
    const negatedExists = existsExpression(unwrapParens(tokens.slice(1)), context);
    return negatedExists === null ? null : { that: negatedExists, exists: false };
  }
  const exists = existsExpression(tokens, context);
  if (exists !== null) return { that: exists, exists: true };
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.text === "(" || token.text === "[" || token.text === "{") depth++;
    else if (token.text === ")" || token.text === "]" || token.text === "}") depth--;
    else if (depth === 0 && token.kind === "punct" && ["&&", "||", "?"].includes(token.text)) return null;
    else if (depth === 0 && token.kind === "punct" && COMPARISONS[token.text] !== undefined) {
      return comparison(tokens.slice(0, index), token.text, tokens.slice(index + 1), context);
    }
  }
  return null;
}

function comparison(
  left: readonly Token[],
  operator: string,
  right: readonly Token[],
  context: Context,
): Assertion | null {
  let subjectTokens = left;
  let valueTokens = right;
  let op = operator;
  let subject = subjectOf(subjectTokens, context);
  if (subject === null) {
    subjectTokens = right;
    valueTokens = left;
    op = FLIPPED[operator] ?? operator;
    subject = subjectOf(subjectTokens, context);
  }
  if (subject === null) return null;
  const value = resolveExpected(valueTokens, context);
  if (value === null) return null;
  const kind = COMPARISONS[op]!;
  const that = selectorOf(subject.subject);
  if (subject.length) {
    return kind === "equals" &&
      typeof value.value === "number" &&
      Number.isInteger(value.value) &&
      value.value >= 0
      ? { that, length: value.value }
      : null;
  }
  if (value.value === undefined) {
    if (kind === "equals") return { that, exists: false };
    if (kind === "notEquals") return { that, exists: true };
    return null;
  }
  if (kind === "equals" || kind === "notEquals") return { that, [kind]: value.value };
  return typeof value.value === "number" ? { that, [kind]: value.value } : null;
}

/** The selector tested for existence by `'k' in X`, `X.hasOwnProperty('k')` or a header read, or null. */
function existsExpression(tokens: readonly Token[], context: Context): string | null {
  if (tokens.length >= 3 && tokens[1]?.text === "in") {
    const key = stringLiteral(tokens.slice(0, 1));
    const subject = subjectOf(tokens.slice(2), context);
    if (key === undefined || subject?.subject.kind !== "json" || subject.length) return null;
    return jsonPath([...subject.subject.path, key]);
  }
  const chain = parseChain(tokens);
  if (chain === null) return null;
  const last = chain.segments.at(-1);
  const method = chain.segments.at(-2);
  if (last?.kind === "call" && isProp(method, "hasOwnProperty") && last.args.length === 1) {
    const key = stringLiteral(last.args[0]);
    const subject = resolveSubject({ base: chain.base, segments: chain.segments.slice(0, -2) }, context);
    if (key === undefined || subject?.subject.kind !== "json" || subject.length) return null;
    return jsonPath([...subject.subject.path, key]);
  }
  const subject = resolveSubject(chain, context);
  return subject?.subject.kind === "header" ? selectorOf(subject.subject) : null;
}
