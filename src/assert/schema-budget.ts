/**
 * The work budget of one JSON Schema validation. The validator is a library whose loops we cannot
 * instrument, and a small schema can make it exponential (`allOf` of two `$ref`s to the next level,
 * thirty levels deep) or quadratic (`uniqueItems` on a long array). So the work is counted where
 * the validator touches things: every subschema it applies (see `schema-prepare.ts`) and every
 * read of the value, which it sees through a counting proxy. Past the budget, validation stops
 * with {@link SchemaBudgetError}.
 */

/**
 * Most steps one validation may take: {@link STEPS_PER_APPLICATION} plus its size for each
 * subschema applied, one per property or element of the value read, one per 32 characters a
 * format reads, and what a pattern test may cost (`Pattern.work`: the text's length times the
 * pattern's program size). A few tenths of a second of CPU at worst on a quiet machine;
 * validating a list of 10,000 records against a schema for its items takes about a quarter of it.
 */
export const MAX_SCHEMA_STEPS = 2_000_000;

/** Steps one application of a subschema costs beside its size: about as much as four reads. */
export const STEPS_PER_APPLICATION = 4;

/** Characters a format check reads that count as one step. */
const CHARACTERS_PER_STEP = 32;

/** A validation that exceeded {@link MAX_SCHEMA_STEPS}. */
export class SchemaBudgetError extends Error {
  constructor(readonly limit: number) {
    super(
      `JSON Schema validation took more than ${limit.toLocaleString("en-US")} steps; simplify the schema (nested $ref, anyOf and uniqueItems on long arrays multiply the work)`,
    );
    this.name = "SchemaBudgetError";
  }
}

/** What is left of one validation's budget. */
export class SchemaBudget {
  #left: number;

  constructor(readonly limit: number = MAX_SCHEMA_STEPS) {
    this.#left = limit;
  }

  /** Spends `steps`; throws {@link SchemaBudgetError} once the budget is gone. */
  spend(steps = 1): void {
    this.#left -= steps;
    if (this.#left < 0) throw new SchemaBudgetError(this.limit);
  }

  /** Spends the steps for reading a string of `length` characters. */
  spendText(length: number): void {
    this.spend(1 + Math.floor(length / CHARACTERS_PER_STEP));
  }
}

/**
 * The value as the validator sees it: objects and arrays are read-only proxies that spend one step
 * per property read, key test and key listed. Scalars pass through unchanged.
 */
export function countingView(value: unknown, budget: SchemaBudget): unknown {
  const views = new WeakMap<object, object>();
  const handler: ProxyHandler<object> = {
    get(target, key) {
      budget.spend();
      return wrap(Reflect.get(target, key));
    },
    has(target, key) {
      budget.spend();
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      budget.spend();
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target);
      budget.spend(1 + keys.length);
      return keys;
    },
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  };
  const wrap = (inner: unknown): unknown => {
    if (typeof inner !== "object" || inner === null) return inner;
    let view = views.get(inner);
    if (view === undefined) {
      view = new Proxy(inner, handler);
      views.set(inner, view);
    }
    return view;
  };
  return wrap(value);
}
