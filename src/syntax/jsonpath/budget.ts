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

/** Characters of a string argument that count as one unit. */
export const CHARACTERS_PER_UNIT = 32;

/** A JSONPath evaluation that exceeded {@link MAX_JSONPATH_VISITS}. */
export class JsonPathBudgetError extends Error {
  /** The budget that was exceeded. */
  readonly limit: number;

  constructor(limit: number) {
    super(
      `JSONPath evaluation visited more than ${limit.toLocaleString("en-US")} nodes; simplify the path (nested ".." inside filters multiply the work)`,
    );
    this.name = "JsonPathBudgetError";
    this.limit = limit;
  }
}

/** What is left of one evaluation's budget. */
export class Budget {
  #left: number;

  constructor(readonly limit: number = MAX_JSONPATH_VISITS) {
    this.#left = limit;
  }

  /** Spends `units`; throws {@link JsonPathBudgetError} once the budget is gone. */
  spend(units = 1): void {
    this.#left -= units;
    if (this.#left < 0) throw new JsonPathBudgetError(this.limit);
  }

  /** Spends the units for reading a string argument of `length` characters. */
  spendText(length: number): void {
    this.spend(1 + Math.floor(length / CHARACTERS_PER_UNIT));
  }
}
