/**
 * The page cursors of the Worker's listings: base64url of a text naming the last row of a page.
 * One codec and one refusal for every listing, so a cursor is read as it was written.
 */
import { base64ToUtf8, utf8ToBase64 } from "../../core/base64.ts";
import { invalidInput } from "../errors.ts";

/**
 * The cursor of `text` (UTF-8, base64url without padding).
 * @example
 * encodeCursor(JSON.stringify(["alice", "nightly"])); // "WyJhbGljZSIsIm5pZ2h0bHkiXQ"
 */
export function encodeCursor(text: string): string {
  return utf8ToBase64(text).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/**
 * What `read` makes of a cursor's text.
 * @throws WorkerError 400 `INVALID_INPUT` at `/cursor` when it is not base64url or `read` gives undefined
 * @example
 * const [owner, id] = decodeCursor(cursor, (text) => JSON.parse(text));
 */
export function decodeCursor<T>(cursor: string, read: (text: string) => T | undefined): T {
  let value: T | undefined;
  try {
    value = read(base64ToUtf8(cursor.replaceAll("-", "+").replaceAll("_", "/")));
  } catch {
    value = undefined;
  }
  if (value !== undefined) return value;
  throw invalidInput("INVALID_INPUT", "the cursor is not one this API gave", [
    { path: "/cursor", message: "pass the cursor of the previous page as it was given" },
  ]);
}
