/** How untranslated statements are quoted in warnings. */
import { matchingBracket, splitStatements } from "./statements.ts";
import type { Token } from "./tokens.ts";

/** Longest statement text quoted in full in a warning. */
const MAX_QUOTED = 200;

/** A statement as quoted in warnings: whole when short, else split at its blocks (or lines). */
export function warningPieces(tokens: readonly Token[], source: string): string[] {
  if (tokens.length === 0) return [];
  const text = statementText(tokens, source);
  if (text.length <= MAX_QUOTED) return isPunctuation(text) ? [] : [text];
  const open = tokens.findIndex((token) => token.kind === "punct" && token.text === "{");
  const close = open === -1 ? -1 : matchingBracket(tokens, open);
  if (close === -1) return lines(tokens, source);
  const headTokens = tokens.slice(0, open + 1);
  const headText = statementText(headTokens, source);
  const head = headText.length <= MAX_QUOTED ? [headText] : lines(headTokens, source);
  const body = splitStatements(tokens.slice(open + 1, close), source).flatMap((statement) =>
    warningPieces(statement.tokens, source),
  );
  return [...head, ...body, ...warningPieces(tokens.slice(close + 1), source)];
}

/** The statement as written, without comments, its whitespace collapsed to single spaces. */
function statementText(tokens: readonly Token[], source: string): string {
  let text = "";
  for (const [index, token] of tokens.entries()) {
    const previous = tokens[index - 1];
    if (previous !== undefined && token.start > previous.end) text += " ";
    text += source.slice(token.start, token.end).replace(/\s+/g, " ");
  }
  return text;
}

/** A long statement without blocks, one piece per source line. */
function lines(tokens: readonly Token[], source: string): string[] {
  const pieces: string[] = [];
  let line: Token[] = [];
  const flush = () => {
    const text = statementText(line, source);
    if (!isPunctuation(text)) pieces.push(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
    line = [];
  };
  for (const token of tokens) {
    if (token.newlineBefore && line.length > 0) flush();
    line.push(token);
  }
  if (line.length > 0) flush();
  return pieces;
}

function isPunctuation(text: string): boolean {
  return /^[\s{}()[\];,.]*$/.test(text);
}
