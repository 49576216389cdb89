/**
 * Translates Postman test scripts into assertions and captures by reading them, statement by
 * statement; nothing is ever run. Recognised: `pm.test` wrappers, `pm.response.to...`,
 * `pm.expect(...)` chains, legacy `tests["..."] = ...`, bindings of the response JSON
 * (`const json = pm.response.json()`), and variable setters fed from the response. Every other
 * statement is returned untranslated, for a warning.
 */

import { type Chain, parseChain, stringLiteral } from "./expressions.ts";
import type { Binding, Context, ScriptTranslation } from "./script-context.ts";
import { pmExpect, pmResponse } from "./script-expect.ts";
import { legacyTest } from "./script-legacy.ts";
import { warningPieces } from "./script-quote.ts";
import { isProp, resolveExpected, resolveSubject, selectorOf } from "./script-values.ts";
import { matchingBracket, type Statement, splitStatements } from "./statements.ts";
import { type Token, tokenize } from "./tokens.ts";

export type { ScriptTranslation } from "./script-context.ts";

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
