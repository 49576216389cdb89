/**
 * How much of one response's selected values reports may redact. A reported value is cut to
 * 1 KB, but it is redacted whole first (a secret must be found before the cut can split it), and
 * redacting a whole 5 MB body takes about 200 ms: a hundred assertions on `$` held the CPU for
 * 11 s. Past this budget a value is reported as {@link NOT_SHOWN} instead; what the assertion
 * decided, and what a capture holds, are unchanged.
 */

/**
 * Characters of selected values (strings, keys, and a few per number or node) that the reports of
 * one response may redact in all: two whole bodies at the runner's 5 MiB cap.
 */
export const MAX_REPORTED_SOURCE_CHARACTERS = 10 * 1024 * 1024;

/** What a value past the budget is reported as. */
export const NOT_SHOWN = `[not shown: the values reported from this response passed ${MAX_REPORTED_SOURCE_CHARACTERS.toLocaleString("en-US")} characters in all]`;

/** Characters a number, boolean, null or container counts for (its punctuation and digits). */
const NODE_CHARACTERS = 8;

/**
 * A value this small is always shown: it costs next to nothing to redact, and a `status` after a
 * huge `$` still says what it was.
 */
const ALWAYS_SHOWN_CHARACTERS = 4096;

/**
 * What is left to redact of one response's values.
 *
 * @example
 * ```ts
 * const budget = new ReportBudget();
 * const shown = budget.afford(value) ? redactAssertionValue(value, selector, redactor) : NOT_SHOWN;
 * ```
 */
export class ReportBudget {
  #left: number;

  constructor(readonly limit: number = MAX_REPORTED_SOURCE_CHARACTERS) {
    this.#left = limit;
  }

  /**
   * Spends what redacting `value` costs and says whether it fit. Counting stops as soon as the
   * value passes what is left, so all the counting on one response costs at most the budget
   * however large or many the values are: a value that does not fit spends the rest, and from
   * then on only values of a few KB are shown.
   */
  afford(value: unknown): boolean {
    const cost = boundedSize(value, Math.max(this.#left, ALWAYS_SHOWN_CHARACTERS));
    if (cost <= ALWAYS_SHOWN_CHARACTERS) return true;
    const fits = cost <= this.#left;
    this.#left = fits ? this.#left - cost : 0;
    return fits;
  }
}

/** The value's size in characters, or any number above `bound` once it passes it. */
function boundedSize(value: unknown, bound: number): number {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && size <= bound) {
    const node = pending.pop();
    if (typeof node === "string") size += node.length;
    else {
      size += NODE_CHARACTERS;
      // Entries are counted as they are queued, so a long array stops the count part way too.
      if (Array.isArray(node)) {
        for (const entry of node) {
          if (size > bound) break;
          size += 1;
          pending.push(entry);
        }
      } else if (node !== null && typeof node === "object") {
        for (const key in node) {
          if (size > bound) break;
          if (!Object.hasOwn(node, key)) continue;
          size += key.length + 1;
          pending.push((node as Record<string, unknown>)[key]);
        }
      }
    }
  }
  return size;
}
