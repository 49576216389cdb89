/**
 * Translates Postman test scripts into assertions and captures by reading them, statement by
 * statement; nothing is ever run. Recognised: `pm.test` wrappers, `pm.response.to...`,
 * `pm.expect(...)` chains, legacy `tests["..."] = ...`, bindings of the response JSON
 * (`const json = pm.response.json()`), and variable setters fed from the response. Every other
 * statement is returned untranslated, for a warning.
 */
import type { Assertion, JsonValue } from "../model.ts";
import {
  type Chain,
  jsonPath,
  parseChain,
  parseLiteral,
  type Segment,
  stringLiteral,
  unwrapParens,
} from "./expressions.ts";
import { matchingBracket, type Statement, splitStatements } from "./statements.ts";
import { type Token, tokenize } from "./tokens.ts";

/** What a script became. */
export interface ScriptTranslation {
  assertions: Assertion[];
  /** Variable name to selector, in the order they were set. */
  captures: [string, string][];
  /** Statements (or, for long ones, their parts) that were not translated, as written. */
  untranslated: string[];
}

type Path = (string | number)[];
type Subject =
  | { kind: "status" }
  | { kind: "duration" }
  | { kind: "header"; name: string }
  | { kind: "json"; path: Path };
/**
 * A name bound to part of the response or to a value. It is `used` once a translated statement
 * reads it (directly or through bindings made from it, its `sources`).
 */
type Binding = ({ kind: "json"; path: Path } | { kind: "value"; value: JsonValue }) & {
  statement: string[];
  used: boolean;
  sources: Binding[];
};

interface Context {
  source: string;
  bindings: Map<string, Binding>;
  /** Bindings read while translating the current statement. */
  touched: Set<Binding>;
  testName: string | undefined;
  out: ScriptTranslation;
}

/** Longest statement text quoted in full in a warning. */
const MAX_QUOTED = 200;

/** Translates one script (its `exec` lines joined). */
export function translateTestScript(source: string): ScriptTranslation {
  const out: ScriptTranslation = { assertions: [], captures: [], untranslated: [] };
  const context: Context = { source, bindings: new Map(), touched: new Set(), testName: undefined, out };
  translateStatements(splitStatements(tokenize(source), source), context);
  // A binding no translated statement reads yields nothing, so it is reported like any other statement.
  for (const binding of new Set(context.bindings.values()))
    if (!binding.used) out.untranslated.push(...binding.statement);
  return out;
}

/** Lists a script's statements for warnings without translating any (pre-request scripts). */
export function listStatements(source: string): string[] {
  const pieces: string[] = [];
  for (const statement of splitStatements(tokenize(source), source))
    pieces.push(...warningPieces(statement.tokens, source));
  return pieces;
}

function translateStatements(statements: readonly Statement[], context: Context): void {
  for (const statement of statements) {
    context.touched.clear();
    const first = statement.tokens[0]?.text ?? "";
    if (!translateStatement(statement.tokens, context)) {
      context.out.untranslated.push(...warningPieces(statement.tokens, context.source));
    } else if (!["var", "let", "const"].includes(first)) {
      for (const binding of context.touched) markUsed(binding);
    }
  }
}

function markUsed(binding: Binding): void {
  if (binding.used) return;
  binding.used = true;
  for (const source of binding.sources) markUsed(source);
}

function translateStatement(tokens: readonly Token[], context: Context): boolean {
  const first = tokens[0];
  if (first === undefined) return true;
  if (first.kind === "name" && ["var", "let", "const"].includes(first.text)) return bind(tokens, context);
  if (first.text === "tests" && tokens[1]?.text === "[") return legacyTest(tokens, context);
  const chain = parseChain(tokens);
  if (chain === null) return false;
  return (
    pmTest(chain, context) || pmExpect(chain, context) || pmResponse(chain, context) || setter(chain, context)
  );
}

// ---------------------------------------------------------------------------------------------
// Bindings: `const json = pm.response.json()`, `var body = JSON.parse(responseBody).data`,
// `let codes = [200, 201]`, `var token = pm.environment.get("token")`.

function bind(tokens: readonly Token[], context: Context): boolean {
  const [, name, equals, ...rest] = tokens;
  if (name?.kind !== "name" || equals?.text !== "=" || rest.length === 0) return false;
  // `x || {}` only guards against a missing value: the path is the same.
  const guarded =
    rest.length > 3 &&
    rest.at(-3)?.text === "||" &&
    ["{}", "[]"].includes(`${rest.at(-2)?.text}${rest.at(-1)?.text}`);
  const value = guarded ? rest.slice(0, -3) : rest;
  const chain = parseChain(value);
  const subject = chain === null ? null : resolveSubject(chain, context);
  const made = () => ({
    statement: warningPieces(tokens, context.source),
    used: false,
    sources: [...context.touched],
  });
  if (subject !== null && subject.subject.kind === "json" && !subject.length) {
    context.bindings.set(name.text, { kind: "json", path: subject.subject.path, ...made() });
    return true;
  }
  const expected = resolveExpected(value, context);
  if (expected !== null && expected.value !== undefined) {
    context.bindings.set(name.text, { kind: "value", value: expected.value, ...made() });
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// `pm.test("name", function () { ... })`

function pmTest(chain: Chain, context: Context): boolean {
  const [test, call] = chain.segments;
  if (chain.base !== "pm" || test?.kind !== "prop" || test.name !== "test" || call?.kind !== "call")
    return false;
  if (chain.segments.length !== 2 || call.args.length !== 2) return false;
  const body = functionBody(call.args[1]!);
  if (body === null) return false;
  const name = stringLiteral(call.args[0]);
  const testName = name === undefined ? undefined : name.slice(0, 200) || undefined;
  translateStatements(splitStatements(body, context.source), { ...context, touched: new Set(), testName });
  return true;
}

/** The body tokens of `function (...) { BODY }` or `(...) => { BODY }`. */
function functionBody(tokens: readonly Token[]): Token[] | null {
  const open = tokens.findIndex((token) => token.text === "{");
  if (open === -1 || matchingBracket(tokens, open) !== tokens.length - 1) return null;
  const head = tokens.slice(0, open).map((token) => token.text);
  const isFunction = head[0] === "function" || (head[0] === "async" && head[1] === "function");
  const isArrow = head.at(-1) === "=>";
  if (!isFunction && !isArrow) return null;
  return tokens.slice(open + 1, -1);
}

// ---------------------------------------------------------------------------------------------
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

function pmResponse(chain: Chain, context: Context): boolean {
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

// ---------------------------------------------------------------------------------------------
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

function pmExpect(chain: Chain, context: Context): boolean {
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

// ---------------------------------------------------------------------------------------------
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

function legacyTest(tokens: readonly Token[], context: Context): boolean {
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

// ---------------------------------------------------------------------------------------------
// Captures: `pm.environment.set("id", json.id)`, `postman.setGlobalVariable("t", ...)`

const SCOPES = new Set(["environment", "collectionVariables", "variables", "globals"]);

function setter(chain: Chain, context: Context): boolean {
  const call = chain.segments.at(-1);
  if (call?.kind !== "call" || call.args.length !== 2) return false;
  const head = chain.segments.slice(0, -1);
  const isPm =
    chain.base === "pm" &&
    head.length === 2 &&
    head[0]?.kind === "prop" &&
    SCOPES.has(head[0].name) &&
    isProp(head[1], "set");
  const isLegacy =
    chain.base === "postman" &&
    head.length === 1 &&
    (isProp(head[0], "setEnvironmentVariable") || isProp(head[0], "setGlobalVariable"));
  if (!isPm && !isLegacy) return false;
  const name = stringLiteral(call.args[0]);
  const valueChain = parseChain(call.args[1]!);
  const subject = valueChain === null ? null : resolveSubject(valueChain, context);
  if (name === undefined || subject === null || subject.length) return false;
  context.out.captures.push([name, selectorOf(subject.subject)]);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Subjects and expected values

function subjectOf(tokens: readonly Token[], context: Context): { subject: Subject; length: boolean } | null {
  const chain = parseChain(tokens);
  return chain === null ? null : resolveSubject(chain, context);
}

/** What a chain reads from the response, if it reads the response at all. */
function resolveSubject(chain: Chain, context: Context): { subject: Subject; length: boolean } | null {
  const { base, segments } = chain;
  const [s0, s1, s2, s3] = segments;
  if (base === "responseCode" && segments.length === 1 && isProp(s0, "code"))
    return plain({ kind: "status" });
  if (base === "responseTime" && segments.length === 0) return plain({ kind: "duration" });
  if (base === "pm" && isProp(s0, "response")) {
    if (segments.length === 2 && isProp(s1, "code")) return plain({ kind: "status" });
    if (segments.length === 2 && isProp(s1, "responseTime")) return plain({ kind: "duration" });
    if (segments.length === 4 && isProp(s1, "headers") && isProp(s2, "get") && s3?.kind === "call") {
      const name = s3.args.length === 1 ? stringLiteral(s3.args[0]) : undefined;
      return name === undefined ? null : plain({ kind: "header", name });
    }
    if (isProp(s1, "json") && s2?.kind === "call" && s2.args.length === 0)
      return jsonSubject([], segments.slice(3));
    return null;
  }
  if (base === "JSON" && isProp(s0, "parse") && s1?.kind === "call" && s1.args.length === 1) {
    const [argument] = s1.args;
    if (argument?.length !== 1 || argument[0]!.text !== "responseBody") return null;
    return jsonSubject([], segments.slice(2));
  }
  if (base === "postman" && segments.length === 2 && isProp(s0, "getResponseHeader") && s1?.kind === "call") {
    const name = s1.args.length === 1 ? stringLiteral(s1.args[0]) : undefined;
    return name === undefined ? null : plain({ kind: "header", name });
  }
  if (base === "responseHeaders" && segments.length === 1) {
    if (s0?.kind === "prop") return plain({ kind: "header", name: s0.name });
    if (s0?.kind === "index" && typeof s0.key === "string") return plain({ kind: "header", name: s0.key });
    return null;
  }
  const binding = context.bindings.get(base);
  if (binding?.kind !== "json") return null;
  context.touched.add(binding);
  return jsonSubject(binding.path, segments);
}

function plain(subject: Subject): { subject: Subject; length: boolean } {
  return { subject, length: false };
}

function jsonSubject(base: Path, segments: readonly Segment[]): { subject: Subject; length: boolean } | null {
  const path = [...base];
  let length = false;
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === "call") return null;
    if (segment.kind === "prop" && segment.name === "length" && index === segments.length - 1) {
      length = true;
      break;
    }
    path.push(segment.kind === "prop" ? segment.name : segment.key);
  }
  return { subject: { kind: "json", path }, length };
}

function selectorOf(subject: Subject): string {
  switch (subject.kind) {
    case "status":
      return "status";
    case "duration":
      return "duration";
    case "header":
      return `header ${subject.name}`;
    case "json":
      return jsonPath(subject.path);
  }
}

const GETTER_SCOPES = new Set([
  "environment",
  "collectionVariables",
  "variables",
  "globals",
  "iterationData",
]);

/** An expected value: a literal, a bound literal, or a variable read (as a `{{template}}`). */
function resolveExpected(
  tokens: readonly Token[],
  context: Context,
): { value: JsonValue | undefined } | null {
  const literal = parseLiteral(tokens);
  if (literal !== null) return literal;
  const inner = unwrapParens(tokens);
  if (inner.length === 1 && inner[0]!.kind === "name") {
    const binding = context.bindings.get(inner[0]!.text);
    if (binding?.kind !== "value") return null;
    context.touched.add(binding);
    return { value: binding.value };
  }
  const chain = parseChain(inner);
  if (chain === null) return null;
  const [s0, s1, s2] = chain.segments;
  let name: string | undefined;
  if (
    chain.base === "pm" &&
    s0?.kind === "prop" &&
    GETTER_SCOPES.has(s0.name) &&
    isProp(s1, "get") &&
    s2?.kind === "call"
  ) {
    if (chain.segments.length === 3 && s2.args.length === 1) name = stringLiteral(s2.args[0]);
  } else if (
    chain.base === "postman" &&
    chain.segments.length === 2 &&
    (isProp(s0, "getEnvironmentVariable") || isProp(s0, "getGlobalVariable")) &&
    s1?.kind === "call" &&
    s1.args.length === 1
  ) {
    name = stringLiteral(s1.args[0]);
  } else if ((chain.base === "environment" || chain.base === "globals") && chain.segments.length === 1) {
    name =
      s0?.kind === "prop" ? s0.name : s0?.kind === "index" && typeof s0.key === "string" ? s0.key : undefined;
  }
  return name === undefined || /[{}]/.test(name) ? null : { value: `{{${name}}}` };
}

function isProp(segment: Segment | undefined, name: string): boolean {
  return segment?.kind === "prop" && segment.name === name;
}

function named(assertion: Assertion, context: Context): Assertion {
  return context.testName === undefined ? assertion : { ...assertion, name: context.testName };
}

// ---------------------------------------------------------------------------------------------
// Warnings

/** A statement as quoted in warnings: whole when short, else split at its blocks (or lines). */
function warningPieces(tokens: readonly Token[], source: string): string[] {
  if (tokens.length === 0) return [];
  const text = statementText(tokens, source);
  if (text.length <= MAX_QUOTED) return isPunctuation(text) ? [] : [text];
  const open = tokens.findIndex((token) => token.kind === "punct" && token.text === "{");
  const close = open === -1 ? -1 : matchingBracket(tokens, open);
  if (close === -1) return lines(tokens, source);
  const headTokens = tokens.slice(0, open + 1);
  const headText = statementText(headTokens, source);
  const head = headText.length <= MAX_QUOTED ? [headText] : lines(headTokens, source);
  const body = splitStatements(tokens.slice(open + 1, close), source).flatMap((statement) =>
    warningPieces(statement.tokens, source),
  );
  return [...head, ...body, ...warningPieces(tokens.slice(close + 1), source)];
}

/** The statement as written, without comments, its whitespace collapsed to single spaces. */
function statementText(tokens: readonly Token[], source: string): string {
  let text = "";
  for (const [index, token] of tokens.entries()) {
    const previous = tokens[index - 1];
    if (previous !== undefined && token.start > previous.end) text += " ";
    text += source.slice(token.start, token.end).replace(/\s+/g, " ");
  }
  return text;
}

/** A long statement without blocks, one piece per source line. */
function lines(tokens: readonly Token[], source: string): string[] {
  const pieces: string[] = [];
  let line: Token[] = [];
  const flush = () => {
    const text = statementText(line, source);
    if (!isPunctuation(text)) pieces.push(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
    line = [];
  };
  for (const token of tokens) {
    if (token.newlineBefore && line.length > 0) flush();
    line.push(token);
  }
  if (line.length > 0) flush();
  return pieces;
}

function isPunctuation(text: string): boolean {
  return /^[\s{}()[\];,.]*$/.test(text);
}
