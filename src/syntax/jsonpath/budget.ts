/**
 * The work budget of one JSONPath evaluation. Descendant segments inside nested filters multiply
 * (`$..[?@..[?@..a]]` over a deep document is cubic), so every node visit, comparison step and
 * character a function reads is counted, and an evaluation that would do more stops with
 * {@link JsonPathBudgetError} instead of holding the CPU.
 */

/**
 * Most work units one evaluation may spend: one per node a step looks at (a child a selector or
 * the `..` walk examines, a pair deep equality compares, a key a singular query follows), one per
 * {@link CHARACTERS_PER_UNIT} characters that `length()` or `<` reads, and what `match()` and
 * `search()` may cost (`Pattern.work`: the text's length times the pattern's program size).
 * `$..*` over a full 5 MB response needs about half of it; the worst nestings stop within a few
 * tenths of a second.
 */
export const MAX_JSONPATH_VISITS = 2_000_000;

/**
 * Most work units all the evaluations on one document may spend together, when they share a
 * {@link Budget} (the runner's selections on one response: captures, assertions, poll
 * conditions). Four whole-document scans of a full 5 MB response fit; a hundred of them, each
 * within its own budget, held the CPU for seconds.
 */
export const MAX_JSONPATH_SHARED_VISITS = 8_000_000;

/** Characters of a string argument that count as one unit. */
export const CHARACTERS_PER_UNIT = 32;

/** A JSONPath evaluation that exceeded its budget ({@link MAX_JSONPATH_VISITS}, or a shared one). */
export class JsonPathBudgetError extends Error {
  /** The budget that was exceeded. */
  readonly limit: number;

  constructor(limit: number, shared = false) {
    super(
      shared
        ? `the JSONPath selections on this response visited more than ${limit.toLocaleString("en-US")} nodes in all; select fewer times over the whole body (each ".." walks all of it), or test a whole object at once with "equals" or "schema"`
        : `JSONPath evaluation visited more than ${limit.toLocaleString("en-US")} nodes; simplify the path (nested ".." inside filters multiply the work)`,
    );
    this.name = "JsonPathBudgetError";
    this.limit = limit;
  }
}

/**
 * What is left of a work budget: one evaluation's, or one that several evaluations share
 * (`shared`), each of which also stops at its own {@link MAX_JSONPATH_VISITS}.
 *
 * @example
 * ```ts
 * const budget = new Budget(MAX_JSONPATH_SHARED_VISITS, true);
 * for (const path of paths) compileJsonPath(path).locate(body, budget);
 * ```
 */
export class Budget {
  #left: number;
  #evaluationLeft = 0;

  constructor(
    readonly limit: number = MAX_JSONPATH_VISITS,
    readonly shared = false,
  ) {
    this.#left = limit;
  }

  /** Starts one evaluation: from here it may spend at most {@link MAX_JSONPATH_VISITS} of what is left. */
  startEvaluation(): void {
    this.#evaluationLeft = MAX_JSONPATH_VISITS;
  }

  /** Spends `units`; throws {@link JsonPathBudgetError} once the budget is gone. */
  spend(units = 1): void {
    this.#left -= units;
    if (this.#left < 0) throw new JsonPathBudgetError(this.limit, this.shared);
    if (this.shared) {
      this.#evaluationLeft -= units;
      if (this.#evaluationLeft < 0) throw new JsonPathBudgetError(MAX_JSONPATH_VISITS);
    }
  }

  /** Spends the units for reading a string argument of `length` characters. */
  spendText(length: number): void {
    this.spend(1 + Math.floor(length / CHARACTERS_PER_UNIT));
  }
}
