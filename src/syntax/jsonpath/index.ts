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
 * Longest JSONPath compiled: its syntax tree takes up to about 80 times its length (a `.a` step is
 * some 170 bytes), and compiled paths are cached, so a 900 KB selector in a collection held 145 MB.
 * The RFC's compliance suite's longest is 89 characters.
 */
export const MAX_JSONPATH_LENGTH = 4096;

/**
 * Parses a JSONPath expression (RFC 9535, including filters and the functions `length`, `count`,
 * `match`, `search` and `value`). Throws {@link JsonPathSyntaxError}, saying what is wrong and at
 * which position, when the expression is not a valid, well-typed query.
 */
export function compileJsonPath(expression: string): CompiledJsonPath {
  if (typeof expression !== "string") throw new JsonPathSyntaxError("a JSONPath must be a string", "", 0);
  if (expression.length > MAX_JSONPATH_LENGTH) {
    throw new JsonPathSyntaxError(
      `a JSONPath is at most ${MAX_JSONPATH_LENGTH.toLocaleString("en-US")} characters (got ${expression.length.toLocaleString("en-US")})`,
      expression,
      MAX_JSONPATH_LENGTH,
    );
  }
  return new Compiled(expression, parseJsonPath(expression));
}

/** Most expressions the cache of {@link compileJsonPathCached} holds, and most characters in all. */
const CACHE_SIZE = 256;
const CACHE_CHARACTERS = 64 * 1024;
const cache = new Map<string, CompiledJsonPath>();
let cachedCharacters = 0;

/**
 * {@link compileJsonPath}, reusing the paths compiled lately: a cache of at most
 * {@link CACHE_SIZE} expressions and 65,536 of their characters in all (a syntax tree takes up to
 * about 80 times its expression, so the cache stays within a few MB whatever the selectors).
 * Throws {@link JsonPathSyntaxError} for an invalid expression, which is not kept.
 * @example
 * const compiled = compileJsonPathCached("$.items[0].id");
 */
export function compileJsonPathCached(expression: string): CompiledJsonPath {
  // A hit is one lookup (this runs for every selection of every request); the oldest compiled go first.
  const known = cache.get(expression);
  if (known !== undefined) return known;
  const compiled = compileJsonPath(expression);
  cache.set(expression, compiled);
  cachedCharacters += expression.length;
  while (cache.size > CACHE_SIZE || cachedCharacters > CACHE_CHARACTERS) {
    const oldest = cache.keys().next().value as string;
    cache.delete(oldest);
    cachedCharacters -= oldest.length;
  }
  return compiled;
}

/**
 * Queries `value` with `expression` ({@link compileJsonPathCached}). Throws
 * {@link JsonPathSyntaxError} for an invalid expression.
 */
export function queryJsonPath(value: unknown, expression: string): unknown[] {
  return compileJsonPathCached(expression).query(value);
}
