/**
 * Chai-style checks: `pm.response.to.have.status(200)`, `pm.response.to.be.ok`,
 * `pm.expect(SUBJECT).to.eql(x)` and their relatives, as assertions.
 */
import type { Assertion } from "../model.ts";
import { type Chain, jsonPath, parseChain, parseLiteral, stringLiteral } from "./expressions.ts";
import type { Context, Subject } from "./script-context.ts";
import { isProp, named, resolveExpected, resolveSubject, selectorOf } from "./script-values.ts";
import type { Token } from "./tokens.ts";

// `pm.response.to.have.status(200)`, `pm.response.to.be.ok`, `pm.response.to.have.header("X")`

const STATUS_WORDS: Record<string, number | string> = {
  ok: 200,
  success: "2xx",
  info: "1xx",
  redirection: "3xx",
  clientError: "4xx",
  serverError: "5xx",
  accepted: 202,
  badRequest: 400,
  unauthorized: 401,
  unauthorised: 401,
  forbidden: 403,
  notFound: 404,
  rateLimited: 429,
};
const LANGUAGE_WORDS = new Set([
  "to",
  "be",
  "been",
  "is",
  "that",
  "which",
  "and",
  "has",
  "have",
  "with",
  "at",
  "of",
  "same",
  "but",
  "does",
  "still",
  "also",
  "deep",
  "own",
  "an",
  "a",
]);

/** `pm.response.to.have.status(200)` and its relatives, as assertions; false when not understood. */
export function pmResponse(chain: Chain, context: Context): boolean {
  const [response, to, ...rest] = chain.segments;
  if (chain.base !== "pm" || !isProp(response, "response") || !isProp(to, "to")) return false;
  let negated = false;
  const words = [...rest];
  while (words.length > 0) {
    const segment = words[0]!;
    if (segment.kind !== "prop") return false;
    if (segment.name === "not") negated = !negated;
    else if (!LANGUAGE_WORDS.has(segment.name) || segment.name === "a" || segment.name === "an") break;
    words.shift();
  }
  const [word, call, ...after] = words;
  if (word?.kind !== "prop" || after.length > 0) return false;
  const op = negated ? "notEquals" : "equals";
  if (call === undefined && STATUS_WORDS[word.name] !== undefined) {
    context.out.assertions.push(named({ that: "status", [op]: STATUS_WORDS[word.name] }, context));
    return true;
  }
  if (call?.kind !== "call") return false;
  if (word.name === "status" && call.args.length === 1) {
    const code = parseLiteral(call.args[0]!);
    if (code === null || typeof code.value !== "number") return false;
    context.out.assertions.push(named({ that: "status", [op]: code.value }, context));
    return true;
  }
  if (word.name === "header" && (call.args.length === 1 || call.args.length === 2)) {
    const name = stringLiteral(call.args[0]);
    if (name === undefined) return false;
    if (call.args.length === 1) {
      context.out.assertions.push(named({ that: `header ${name}`, exists: !negated }, context));
      return true;
    }
    const value = resolveExpected(call.args[1]!, context);
    if (value === null || value.value === undefined) return false;
    context.out.assertions.push(named({ that: `header ${name}`, [op]: value.value }, context));
    return true;
  }
  return false;
}

// `pm.expect(SUBJECT).to.eql(x)` and friends

const EQUALS = new Set(["eql", "eqls", "equal", "equals", "eq"]);
const CONTAINS = new Set(["include", "includes", "contain", "contains"]);
const COMPARE: Record<string, "greaterThan" | "lessThan" | "greaterThanOrEqual" | "lessThanOrEqual"> = {
  above: "greaterThan",
  gt: "greaterThan",
  greaterThan: "greaterThan",
  below: "lessThan",
  lt: "lessThan",
  lessThan: "lessThan",
  least: "greaterThanOrEqual",
  gte: "greaterThanOrEqual",
  greaterThanOrEqual: "greaterThanOrEqual",
  most: "lessThanOrEqual",
  lte: "lessThanOrEqual",
  lessThanOrEqual: "lessThanOrEqual",
};
const JSON_TYPES = new Set(["string", "number", "boolean", "object", "array", "null"]);

/** One `pm.expect(...)` chain while its words are read. */
interface ExpectState {
  readonly context: Context;
  /** What the next check reads; `.property("k")` moves it to the property. */
  subject: Subject;
  /** `pm.expect(x.length)`: the next check must be an equality, which becomes a `length` check. */
  lengthOf: boolean;
  negated: boolean;
  assertions: Assertion[];
  /** A `.property("k")` not followed by another check asserts that the property exists. */
  pendingExists: Assertion | undefined;
}

/** `pm.expect(SUBJECT)` followed by words and checks, as assertions; false when not understood. */
export function pmExpect(chain: Chain, context: Context): boolean {
  const [expect, call, ...rest] = chain.segments;
  if (chain.base !== "pm" || !isProp(expect, "expect") || call?.kind !== "call" || call.args.length !== 1)
    return false;
  const subjectChain = parseChain(call.args[0]!);
  const resolved = subjectChain === null ? null : resolveSubject(subjectChain, context);
  if (resolved === null) return false;
  const state: ExpectState = {
    context,
    subject: resolved.subject,
    lengthOf: resolved.length,
    negated: false,
    assertions: [],
    pendingExists: undefined,
  };
  for (let index = 0; index < rest.length; index++) {
    const segment = rest[index]!;
    if (segment.kind !== "prop") return false;
    const next = rest[index + 1];
    const args = next?.kind === "call" ? next.args : undefined;
    if (args !== undefined) index++;
    if (!readWord(state, segment.name, args)) return false;
  }
  if (state.pendingExists !== undefined) state.assertions.push(state.pendingExists);
  if (state.assertions.length === 0) return false;
  for (const assertion of state.assertions) context.out.assertions.push(named(assertion, context));
  return true;
}

function push(state: ExpectState, assertion: Assertion): void {
  state.pendingExists = undefined;
  state.assertions.push(assertion);
}

/** Reads one word of the chain (with its call's arguments, if any); false when not understood. */
function readWord(state: ExpectState, name: string, args: Token[][] | undefined): boolean {
  if (args === undefined && (LANGUAGE_WORDS.has(name) || name === "not")) {
    if (name === "not") state.negated = !state.negated;
    return true;
  }
  const that = selectorOf(state.subject);
  if (state.lengthOf && !(EQUALS.has(name) && args?.length === 1 && !state.negated)) return false;
  if (args === undefined) {
    const terminal = terminalAssertion(name, state.negated, that);
    if (terminal === null) return false;
    push(state, terminal);
    return true;
  }
  if (name === "property" || name === "haveOwnProperty" || name === "ownProperty")
    return readProperty(state, args);
  if (args.length !== 1) return false;
  const argument = args[0]!;
  if (EQUALS.has(name)) return readEquals(state, that, argument);
  if (CONTAINS.has(name)) {
    const value = resolveExpected(argument, state.context);
    if (value === null || value.value === undefined) return false;
    push(state, { that, [state.negated ? "notContains" : "contains"]: value.value });
    return true;
  }
  // The remaining checks have no negated form in the format.
  if (state.negated) return false;
  const assertion = positiveCheck(name, that, argument, state.context);
  if (assertion === null) return false;
  push(state, assertion);
  return true;
}

/** `.property("k")`, `.property("k", value)`, and their own-property spellings. */
function readProperty(state: ExpectState, args: Token[][]): boolean {
  const key = stringLiteral(args[0]);
  if (key === undefined || state.subject.kind !== "json" || args.length > 2) return false;
  const propertyPath = [...state.subject.path, key];
  if (args.length === 2) {
    const value = resolveExpected(args[1]!, state.context);
    if (value === null || value.value === undefined) return false;
    push(state, { that: jsonPath(propertyPath), [state.negated ? "notEquals" : "equals"]: value.value });
  } else if (state.negated) {
    push(state, { that: jsonPath(propertyPath), exists: false });
  } else {
    state.pendingExists = { that: jsonPath(propertyPath), exists: true };
    state.subject = { kind: "json", path: propertyPath };
  }
  return true;
}

/** `.eql(x)` and its spellings; on a `.length` subject, a `length` check. */
function readEquals(state: ExpectState, that: string, argument: Token[]): boolean {
  const value = resolveExpected(argument, state.context);
  if (value === null) return false;
  if (state.lengthOf) {
    if (!isCount(value.value)) return false;
    push(state, { that, length: value.value });
    state.lengthOf = false;
  } else if (value.value === undefined) push(state, { that, exists: state.negated });
  else push(state, { that, [state.negated ? "notEquals" : "equals"]: value.value });
  return true;
}

/** The checks with one argument and no negated form: type, oneOf, comparisons, length, match. */
function positiveCheck(name: string, that: string, argument: Token[], context: Context): Assertion | null {
  if (name === "a" || name === "an") {
    const type = stringLiteral(argument)?.toLowerCase();
    if (type === "undefined") return { that, exists: false };
    return type !== undefined && JSON_TYPES.has(type)
      ? { that, type: type as Assertion["type"] & string }
      : null;
  }
  if (name === "oneOf") {
    const value = resolveExpected(argument, context);
    if (value === null || !Array.isArray(value.value) || value.value.length === 0) return null;
    return { that, oneOf: value.value };
  }
  const comparison = COMPARE[name];
  if (comparison !== undefined) {
    const value = resolveExpected(argument, context);
    return value === null || typeof value.value !== "number" ? null : { that, [comparison]: value.value };
  }
  if (name === "lengthOf" || name === "length") {
    const value = parseLiteral(argument);
    return value !== null && isCount(value.value) ? { that, length: value.value } : null;
  }
  if (name === "match") {
    const value = parseLiteral(argument);
    const pattern = typeof value?.value === "string" ? regexPattern(value.value) : null;
    return pattern === null ? null : { that, matches: pattern };
  }
  return null;
}

/** A whole number >= 0. */
function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
}

/** Checks written without arguments: `.to.exist`, `.to.be.true`, `.to.be.null`... */
function terminalAssertion(name: string, negated: boolean, that: string): Assertion | null {
  const op = negated ? "notEquals" : "equals";
  switch (name) {
    case "exist":
      return { that, exists: !negated };
    case "undefined":
      return { that, exists: negated };
    case "true":
      return { that, [op]: true };
    case "false":
      return { that, [op]: false };
    case "null":
      return { that, [op]: null };
    default:
      return null;
  }
}

/** A JavaScript regex literal as a `matches` pattern (`/x/i` keeps its form; no other flag). */
function regexPattern(literal: string): string | null {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(literal);
  if (match === null) return null;
  const [, source = "", flags = ""] = match;
  if (flags === "i") return literal;
  if (flags !== "") return null;
  return source;
}
