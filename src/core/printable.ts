/**
 * Text from a collection or a response, made safe to print to a terminal: a name holding an
 * escape sequence, a carriage return or a bidi override could otherwise rewrite what the reader
 * sees (https://trojansource.codes).
 */

/** C0 and C1 controls and DEL (`\p{Cc}`), bidi embeddings and overrides, bidi isolates. */
const HIDDEN = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/**
 * `text` with every control character (line breaks and tabs included) and every bidi control
 * written as a visible escape (`\x1b`, `\x0a`, `\u{202e}`); all other characters, ordinary
 * Unicode included, are kept as they are.
 */
export function printable(text: string): string {
  return text.replace(HIDDEN, (hidden) => {
    const code = hidden.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}
