/**
 * RFC 9535 JSONPath: `compileJsonPath` parses an expression once into a small AST, and the
 * compiled path queries any number of JSON values with an interpreter. No code is generated
 * (no eval, no Function), so it runs in Cloudflare Workers; only web-standard JavaScript is used.
 */
import { NOTHING, type Query } from "./ast.ts";
import { Budget, JsonPathBudgetError, MAX_JSONPATH_SHARED_VISITS, MAX_JSONPATH_VISITS } from "./budget.ts";
import { JsonPathSyntaxError } from "./errors.ts";
import { type Location, selectNodes, walk } from "./evaluate.ts";
import { normalizedPath } from "./normalized-path.ts";
import { parseJsonPath } from "./parser.ts";

export { JsonPathSyntaxError } from "./errors.ts";
export { MAX_PATTERN_LENGTH, MAX_TEXT_LENGTH } from "./iregexp.ts";
export { MAX_NESTING } from "./parser.ts";
export { Budget, JsonPathBudgetError, MAX_JSONPATH_SHARED_VISITS, MAX_JSONPATH_VISITS };

/**
 * A parsed JSONPath, reusable for any number of queries. Each query does at most
 * {@link MAX_JSONPATH_VISITS} units of work and throws {@link JsonPathBudgetError} past it.
 */
export interface CompiledJsonPath {
  /** The expression as written. */
  readonly source: string;
  /** True when the path can select at most one node (only single names and indexes). */
  readonly singular: boolean;
  /** The values of the selected nodes, in order; an empty array when nothing matches. */
  query(value: unknown): unknown[];
  /** The normalized paths (RFC 9535 §2.7, e.g. `$['a'][0]`) of the selected nodes, in order. */
  paths(value: unknown): string[];
  /**
   * The selected nodes' values and normalized paths, in order, from one evaluation; it spends
   * from `budget` when given (a budget several evaluations share), else from its own.
   */
  locate(value: unknown, budget?: Budget): { values: unknown[]; paths: string[] };
}

class Compiled implements CompiledJsonPath {
  readonly singular: boolean;
  /**
   * The normalized path of the one node an absolute singular path without negative indexes
   * selects: the same whatever the value, so it is formatted once.
   */
  private readonly fixedPath: string | undefined;

  constructor(
    readonly source: string,
    private readonly ast: Query,
  ) {
    const keys = ast.keys;
    this.singular = keys !== undefined;
    if (keys !== undefined && !ast.relative && keys.every((key) => typeof key === "string" || key >= 0)) {
      this.fixedPath = normalizedPath(locationOf(keys));
    }
  }

  query(value: unknown): unknown[] {
    return selectNodes(this.ast, value, value);
  }

  paths(value: unknown): string[] {
    const locations: (Location | null)[] = [];
    const budget = new Budget();
    selectNodes(this.ast, value, value, locations, budget);
    return locations.map((location) => normalizedPath(location, budget));
  }

  locate(value: unknown, shared?: Budget): { values: unknown[]; paths: string[] } {
    // Formatting the paths spends from the same budget as finding the nodes.
    const budget = shared ?? new Budget();
    budget.startEvaluation();
    const keys = this.ast.keys;
    if (keys !== undefined && !this.ast.relative) {
      // The steps are recorded only when the path has to be formatted for this value.
      const resolved = this.fixedPath === undefined ? [] : undefined;
      const found = walk(keys, value, budget, resolved);
      if (found === NOTHING) return { values: [], paths: [] };
      return {
        values: [found],
        paths: [this.fixedPath ?? normalizedPath(locationOf(resolved ?? []), budget)],
      };
    }
    const locations: (Location | null)[] = [];
    const values = selectNodes(this.ast, value, value, locations, budget);
    return { values, paths: locations.map((location) => normalizedPath(location, budget)) };
  }
}

/** The location a list of names and indexes leads to, from the root. */
function locationOf(keys: readonly (string | number)[]): Location | null {
  let location: Location | null = null;
  for (const key of keys) location = { parent: location, key };
  return location;
}

/**
 * Parses a JSONPath expression (RFC 9535, including filters and the functions `length`, `count`,
 * `match`, `search` and `value`). Throws {@link JsonPathSyntaxError}, saying what is wrong and at
 * which position, when the expression is not a valid, well-typed query.
 */
export function compileJsonPath(expression: string): CompiledJsonPath {
  if (typeof expression !== "string") throw new JsonPathSyntaxError("a JSONPath must be a string", "", 0);
  return new Compiled(expression, parseJsonPath(expression));
}

const CACHE_SIZE = 256;
const cache = new Map<string, CompiledJsonPath>();

/**
 * Queries `value` with `expression`, reusing compiled paths from a small LRU cache of the last
 * {@link CACHE_SIZE} expressions. Throws {@link JsonPathSyntaxError} for an invalid expression.
 */
export function queryJsonPath(value: unknown, expression: string): unknown[] {
  let compiled = cache.get(expression);
  if (compiled === undefined) {
    compiled = compileJsonPath(expression);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  } else {
    cache.delete(expression);
  }
  cache.set(expression, compiled);
  return compiled.query(value);
}
