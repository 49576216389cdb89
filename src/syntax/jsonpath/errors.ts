/** Longest part of the expression quoted in a message. */
const EXCERPT_LENGTH = 16;

/**
 * A JSONPath expression that RFC 9535 rejects. The message says what is wrong and where;
 * `position` is the 0-based offset (in UTF-16 code units) of the offending character.
 */
export class JsonPathSyntaxError extends Error {
  /** 0-based offset of the offending character; the expression's length when it ended too early. */
  readonly position: number;

  /** Builds the error for `problem` found at `position` in `expression`. */
  constructor(problem: string, expression: string, position: number) {
    super(`${problem} (${describePosition(expression, position)})`);
    this.name = "JsonPathSyntaxError";
    this.position = position;
  }
}

function describePosition(expression: string, position: number): string {
  if (position >= expression.length) return `position ${position}, at the end`;
  const rest = expression.slice(position, position + EXCERPT_LENGTH);
  const more = expression.length - position > EXCERPT_LENGTH ? "…" : "";
  return `position ${position}, at ${JSON.stringify(rest)}${more}`;
}
