/**
 * Chai-style checks: `pm.response.to.have.status(200)`, `pm.response.to.be.ok`,
 * `pm.expect(SUBJECT).to.eql(x)` and their relatives, as assertions.
 */
import type { Assertion } from "../model.ts";
import { type Chain, jsonPath, parseChain, parseLiteral, stringLiteral } from "./expressions.ts";
import type { Context } from "./script-context.ts";
import { isProp, named, resolveExpected, resolveSubject, selectorOf } from "./script-values.ts";

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

export function pmExpect(chain: Chain, context: Context): boolean {
  const [expect, call, ...rest] = chain.segments;
  if (chain.base !== "pm" || !isProp(expect, "expect") || call?.kind !== "call" || call.args.length !== 1)
    return false;
  const subjectChain = parseChain(call.args[0]!);
  const resolved = subjectChain === null ? null : resolveSubject(subjectChain, context);
  if (resolved === null) return false;
  const assertions: Assertion[] = [];
  let subject = resolved.subject;
  let lengthOf = resolved.length;
  let negated = false;
  // A `.property("k")` not followed by another check asserts that the property exists.
  let pendingExists: Assertion | undefined;
  const push = (assertion: Assertion) => {
    pendingExists = undefined;
    assertions.push(assertion);
  };
  for (let index = 0; index < rest.length; index++) {
    const segment = rest[index]!;
    if (segment.kind !== "prop") return false;
    const next = rest[index + 1];
    const args = next?.kind === "call" ? next.args : undefined;
    if (args !== undefined) index++;
    const name = segment.name;
    if (args === undefined && (LANGUAGE_WORDS.has(name) || name === "not")) {
      if (name === "not") negated = !negated;
      continue;
    }
    const that = selectorOf(subject);
    if (lengthOf && !(EQUALS.has(name) && args?.length === 1 && !negated)) return false;
    if (args === undefined) {
      const terminal = terminalAssertion(name, negated, that);
      if (terminal === null) return false;
      push(terminal);
      continue;
    }
    if (name === "property" || name === "haveOwnProperty" || name === "ownProperty") {
      const key = stringLiteral(args[0]);
      if (key === undefined || subject.kind !== "json" || args.length > 2) return false;
      const propertyPath = [...subject.path, key];
      if (args.length === 2) {
        const value = resolveExpected(args[1]!, context);
        if (value === null || value.value === undefined) return false;
        push({ that: jsonPath(propertyPath), [negated ? "notEquals" : "equals"]: value.value });
      } else if (negated) {
        push({ that: jsonPath(propertyPath), exists: false });
      } else {
        pendingExists = { that: jsonPath(propertyPath), exists: true };
        subject = { kind: "json", path: propertyPath };
      }
      continue;
    }
    if (args.length !== 1) return false;
    const argument = args[0]!;
    if (EQUALS.has(name)) {
      const value = resolveExpected(argument, context);
      if (value === null) return false;
      if (lengthOf) {
        if (typeof value.value !== "number" || !Number.isInteger(value.value) || value.value < 0)
          return false;
        push({ that, length: value.value });
        lengthOf = false;
      } else if (value.value === undefined) push({ that, exists: negated });
      else push({ that, [negated ? "notEquals" : "equals"]: value.value });
      continue;
    }
    if (CONTAINS.has(name)) {
      const value = resolveExpected(argument, context);
      if (value === null || value.value === undefined) return false;
      push({ that, [negated ? "notContains" : "contains"]: value.value });
      continue;
    }
    if (negated) return false;
    if (name === "a" || name === "an") {
      const type = stringLiteral(args[0])?.toLowerCase();
      if (type === "undefined") push({ that, exists: false });
      else if (type !== undefined && JSON_TYPES.has(type))
        push({ that, type: type as Assertion["type"] & string });
      else return false;
      continue;
    }
    if (name === "oneOf") {
      const value = resolveExpected(argument, context);
      if (value === null || !Array.isArray(value.value) || value.value.length === 0) return false;
      push({ that, oneOf: value.value });
      continue;
    }
    const comparison = COMPARE[name];
    if (comparison !== undefined) {
      const value = resolveExpected(argument, context);
      if (value === null || typeof value.value !== "number") return false;
      push({ that, [comparison]: value.value });
      continue;
    }
    if (name === "lengthOf" || name === "length") {
      const value = parseLiteral(argument);
      if (
        value === null ||
        typeof value.value !== "number" ||
        !Number.isInteger(value.value) ||
        value.value < 0
      )
        return false;
      push({ that, length: value.value });
      continue;
    }
    if (name === "match") {
      const value = parseLiteral(argument);
      const pattern = typeof value?.value === "string" ? regexPattern(value.value) : null;
      if (pattern === null) return false;
      push({ that, matches: pattern });
      continue;
    }
    return false;
  }
  if (pendingExists !== undefined) assertions.push(pendingExists);
  if (assertions.length === 0) return false;
  for (const assertion of assertions) context.out.assertions.push(named(assertion, context));
  return true;
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
