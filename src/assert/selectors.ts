/**
 * Selectors: `status`, `duration`, `header NAME`, `body`, `$...` (RFC 9535 JSONPath) and
 * `var NAME`. Selecting never throws: a selector that cannot apply says why.
 */

import type { ExpansionBudget } from "../collection/template.ts";
import {
  Budget,
  compileJsonPathCached,
  JsonPathBudgetError,
  MAX_JSONPATH_SHARED_VISITS,
} from "../syntax/jsonpath/index.ts";
import type { ResponseView } from "./response-view.ts";

/** What a selector reads: the response (absent for `skipIf`) and the variables. */
export interface SelectionContext {
  response?: ResponseView;
  variable(name: string): unknown;
  /** The work budget every JSONPath selection in this context spends from ({@link responseBudget}). */
  budget?: Budget;
  /** What the assertions' values in this context may expand to, all together. */
  expansion?: ExpansionBudget;
  /**
   * Told of each header value a selector reads, before it is used (the runner takes a credential
   * header's value as a secret here); returns why the value cannot be used, when it cannot.
   */
  headerRead?(name: string, value: string): string | undefined;
}

/**
 * A JSONPath work budget for all the selections made on one response (captures, assertions, poll
 * conditions): each evaluation is bounded on its own, and so is their sum, however many the item
 * holds.
 *
 * @example
 * ```ts
 * const context = { response: view, variable: scope.lookup, budget: responseBudget() };
 * ```
 */
export function responseBudget(): Budget {
  return new Budget(MAX_JSONPATH_SHARED_VISITS, true);
}

/**
 * A selected value (`undefined` when nothing was selected), or why the selector cannot apply.
 * A JSONPath selection also gives the normalized paths of its nodes, in order, so redaction can
 * tell which selected values sit under a personal key.
 */
export type Selection =
  | { ok: true; value: unknown; paths?: readonly string[] }
  | { ok: false; message: string };

type CompiledPath = ReturnType<typeof compileJsonPathCached>;

function compileCached(expression: string): CompiledPath | { error: string } {
  try {
    return compileJsonPathCached(expression);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * True for a valid singular JSONPath query (names and indexes only): one that selects at most one
 * node, in a step per name.
 * @example
 * isSingularJsonPath("$.checks[0].status"); // true
 * isSingularJsonPath("$..status"); // false
 */
export function isSingularJsonPath(expression: string): boolean {
  const compiled = compileCached(expression);
  return !("error" in compiled) && compiled.singular;
}

/**
 * Applies a JSONPath to a value: one node yields the node, several an array, none undefined. The
 * evaluation spends from `budget` when given (see {@link responseBudget}).
 */
export function selectJsonPath(expression: string, value: unknown, budget?: Budget): Selection {
  const compiled = compileCached(expression);
  if ("error" in compiled) return { ok: false, message: `invalid JSONPath ${expression}: ${compiled.error}` };
  let located: { values: unknown[]; paths: string[] };
  try {
    located = compiled.locate(value, budget);
  } catch (error) {
    // Past its work budget an evaluation stops, and the assertion fails saying so.
    if (error instanceof JsonPathBudgetError)
      return { ok: false, message: `cannot apply ${expression}: ${error.message}` };
    throw error;
  }
  const { values: nodes, paths } = located;
  if (nodes.length === 0) return { ok: true, value: undefined, paths };
  if (nodes.length === 1) return { ok: true, value: nodes[0], paths };
  return { ok: true, value: nodes, paths };
}

/** Evaluates one selector. */
export function select(selector: string, context: SelectionContext): Selection {
  const trimmed = selector.trim();
  if (trimmed.startsWith("var ")) return { ok: true, value: context.variable(trimmed.slice(4).trim()) };
  const response = context.response;
  if (!response) return { ok: false, message: `"${trimmed}" needs a response, and there is none here` };
  if (trimmed === "status") return { ok: true, value: response.status };
  if (trimmed === "duration") return { ok: true, value: response.durationMs };
  if (trimmed === "body") {
    const body = response.body;
    if (body.withheld !== undefined) return { ok: false, message: `cannot read body: ${body.withheld}` };
    return { ok: true, value: body.json.ok ? body.json.value : body.text };
  }
  if (trimmed.startsWith("header ")) {
    const name = trimmed.slice(7).trim();
    let value: string | null;
    try {
      value = response.headers.get(name);
    } catch {
      return { ok: false, message: `"${name}" is not a valid header name` };
    }
    if (value === null) return { ok: true, value: undefined };
    const problem = context.headerRead?.(name, value);
    return problem === undefined ? { ok: true, value } : { ok: false, message: problem };
  }
  if (trimmed.startsWith("$")) {
    const json = response.body.json;
    if (!json.ok) return { ok: false, message: `cannot apply ${trimmed}: ${json.reason}` };
    return selectJsonPath(trimmed, json.value, context.budget);
  }
  return {
    ok: false,
    message: `unknown selector "${trimmed}": use status, duration, header NAME, body, $... or var NAME`,
  };
}
