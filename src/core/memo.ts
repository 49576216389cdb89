/**
 * A bounded cache for pure functions of one string: a run asks the same few questions (is this
 * key personal, what does this selector end in) for every response, and the answer never changes.
 */

/** Longest input whose answer is kept; longer ones are computed every time. */
export const MAX_MEMO_INPUT = 256;

/**
 * Wraps `compute` so each distinct input is computed once. At most `max` answers, of inputs up to
 * {@link MAX_MEMO_INPUT} characters, are kept; past that the cache starts over, so hostile inputs
 * cannot grow it without bound.
 *
 * @example
 * ```ts
 * const lower = memoizeString((text) => text.toLowerCase());
 * lower("Email"); // computed
 * lower("Email"); // from the cache
 * ```
 */
export function memoizeString<T>(compute: (input: string) => T, max = 1000): (input: string) => T {
  const cache = new Map<string, T>();
  return (input) => {
    if (input.length > MAX_MEMO_INPUT) return compute(input);
    const known = cache.get(input);
    if (known !== undefined || cache.has(input)) return known as T;
    const answer = compute(input);
    if (cache.size >= max) cache.clear();
    cache.set(input, answer);
    return answer;
  };
}
