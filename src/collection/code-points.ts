/**
 * Character counts as the format means them: Unicode code points, as JSON Schema's `maxLength`
 * and JSONPath's `length()` count, not UTF-16 units (an emoji is one character, not two).
 */

/**
 * How many code points `text` holds (a lone surrogate counts as one).
 * @example
 * codePointLength("héllo 😀"); // 7 (its `length` is 8)
 */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let index = 0; index < text.length - 1; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count -= 1;
        index += 1;
      }
    }
  }
  return count;
}
