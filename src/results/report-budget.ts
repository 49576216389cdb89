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
 * Characters each key of a large object counts for besides its own: redaction rebuilds every
 * object key by key, and past about a thousand keys an object is a hash table, where each key
 * costs ten times more (a flat object of 300,000 keys: 0.75 s a pass, four passes per value).
 */
const LARGE_OBJECT_KEYS = 1_000;
const LARGE_OBJECT_KEY_CHARACTERS = 128;

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
  /** The size of every object and array measured so far: each is measured once per response. */
  // Made at the first object: most responses report only strings and numbers, and every item
  // of every run builds a budget.
  #sizes: WeakMap<object, number> | undefined;

  constructor(readonly limit: number = MAX_REPORTED_SOURCE_CHARACTERS) {
    this.#left = limit;
  }

  /**
   * Spends what redacting `value` costs and says whether it fit; a value that does not fit spends
   * the rest, and from then on only values of a few KB are shown. Sizes are remembered for every
   * object and array inside what was measured, so a hundred selections of the same body (or of
   * parts of it) measure it once: enumerating a flat object's keys costs all of them, whatever
   * bound a count would stop at.
   */
  afford(value: unknown): boolean {
    let cost = NODE_CHARACTERS;
    if (typeof value === "string") cost = value.length;
    else if (typeof value === "object" && value !== null) {
      this.#sizes ??= new WeakMap();
      cost = sizeOf(value, this.#sizes);
    }
    if (cost <= ALWAYS_SHOWN_CHARACTERS) return true;
    const fits = cost <= this.#left;
    this.#left = fits ? this.#left - cost : 0;
    return fits;
  }
}

/** An open container while measuring: its children, the next one, and the size so far. */
interface Frame {
  node: object;
  children: unknown[];
  next: number;
  size: number;
}

/** A container's frame: its own characters (punctuation, keys) counted, its children to visit. */
function open(node: object): Frame {
  if (Array.isArray(node)) return { node, children: node, next: 0, size: NODE_CHARACTERS + node.length };
  const keys = Object.keys(node);
  let size = NODE_CHARACTERS;
  const perKey = keys.length > LARGE_OBJECT_KEYS ? LARGE_OBJECT_KEY_CHARACTERS + 1 : 1;
  for (const key of keys) size += key.length + perKey;
  return { node, children: keys.map((key) => (node as Record<string, unknown>)[key]), next: 0, size };
}

/** The value's size in characters, remembering it for every container inside (an explicit stack: JSON nests deep). */
function sizeOf(value: object, sizes: WeakMap<object, number>): number {
  const known = sizes.get(value);
  if (known !== undefined) return known;
  // A container counts 0 while it is open, so a value that holds itself cannot loop.
  sizes.set(value, 0);
  const stack: Frame[] = [open(value)];
  for (;;) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next];
      frame.next += 1;
      if (typeof child === "string") frame.size += child.length;
      else if (child === null || typeof child !== "object") frame.size += NODE_CHARACTERS;
      else {
        const size = sizes.get(child);
        if (size === undefined) {
          sizes.set(child, 0);
          stack.push(open(child));
        } else frame.size += size;
      }
      continue;
    }
    stack.pop();
    sizes.set(frame.node, frame.size);
    const parent = stack[stack.length - 1];
    if (parent === undefined) return frame.size;
    parent.size += frame.size;
  }
}
