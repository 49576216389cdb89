/**
 * Text from a collection or a response, made safe to print to a terminal: a name holding an
 * escape sequence, a carriage return or a bidi override could otherwise rewrite what the reader
 * sees (https://trojansource.codes).
 */

/**
 * C0 and C1 controls and DEL (`\p{Cc}`), invisible format characters (`\p{Cf}`: bidi embeddings,
 * overrides, isolates and marks, zero-width spaces, the byte order mark, soft hyphens), and the
 * line and paragraph separators some terminals and editors break lines at. Kept: the zero-width
 * joiner and the tag characters, which emoji sequences (👩‍💻, flags) are made of.
 */
const HIDDEN = /(?![\u200d\u{e0020}-\u{e007f}])[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * `text` with every control character (line breaks and tabs included) and every bidi control
 * written as a visible escape (`\x1b`, `\x0a`, `\u{202e}`); all other characters, ordinary
 * Unicode included, are kept as they are.
 */
export function printable(text: string): string {
  return text.replace(HIDDEN, (hidden) => {
    const code = hidden.codePointAt(0) ?? 0;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

/** What {@link printable} escapes that `JSON.stringify` leaves as it is (all but C0 controls). */
const HIDDEN_IN_JSON = /(?![\u200d\u{e0020}-\u{e007f}])[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/**
 * JSON text (from `JSON.stringify`, which escapes only C0 controls) with the other characters
 * {@link printable} escapes written as `\uXXXX`: the same JSON value, safe to print to a terminal.
 *
 * @example
 * ```ts
 * printableJson(JSON.stringify({ name: "a\u202eb" })); // '{"name":"a\\u202eb"}'
 * ```
 */
export function printableJson(json: string): string {
  // A character beyond U+FFFF is written as its two UTF-16 halves, as JSON spells it.
  return json.replace(HIDDEN_IN_JSON, (hidden) =>
    Array.from(
      { length: hidden.length },
      (_, index) => `\\u${hidden.charCodeAt(index).toString(16).padStart(4, "0")}`,
    ).join(""),
  );
}
