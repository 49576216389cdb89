/**
 * Postman headers (an array of `{ key, value, disabled }`, or v2.0's "Name: value" lines) as a
 * collection's headers. Blocked headers (Authorization, Cookie, Host...) and names that are not
 * literal tokens are dropped; a name the format reserves as a key ("constructor") is kept in
 * another letter case ("Constructor"); values are never repeated in warnings.
 */
import { isBlockedHeader } from "../../core/blocked-headers.ts";
import { isHeaderToken } from "../header-name.ts";
import { enabledRows, isReservedKey, stringOf, textOf } from "./values.ts";

/** Headers in order, looked up without regard to letter case. */
export class HeaderList {
  readonly entries: [string, string][] = [];

  /** The value of a header, any letter case. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    return this.entries.find(([key]) => key.toLowerCase() === lower)?.[1];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Adds a header unless one of that name exists; says whether it was added. */
  add(name: string, value: string): boolean {
    if (this.has(name)) return false;
    this.entries.push([name, value]);
    return true;
  }

  /** Removes a header, any letter case. */
  delete(name: string): void {
    const lower = name.toLowerCase();
    const index = this.entries.findIndex(([key]) => key.toLowerCase() === lower);
    if (index !== -1) this.entries.splice(index, 1);
  }
}

/** What happened to the headers of one request. */
export interface ConvertedHeaders {
  headers: HeaderList;
  /** Names of blocked headers that were dropped (as written). */
  blocked: string[];
  /** Names that are not valid literal header names (dropped). */
  invalid: string[];
  /** Names that appeared more than once (the first value is kept). */
  duplicates: string[];
  /** Names the format reserves as keys, kept with their first letter upper-cased: `[as written, as kept]`. */
  respelled: [string, string][];
}

/** Converts Postman headers. */
export function convertHeaders(input: unknown, mapValue: (value: string) => string): ConvertedHeaders {
  const result: ConvertedHeaders = {
    headers: new HeaderList(),
    blocked: [],
    invalid: [],
    duplicates: [],
    respelled: [],
  };
  for (const [rawName, value] of rows(input)) {
    const name = rawName.trim();
    if (name === "") continue;
    if (!isHeaderToken(name)) result.invalid.push(name);
    else if (isBlockedHeader(name)) result.blocked.push(name);
    else {
      // Header names ignore letter case (RFC 9110, 5.1), so "Constructor" is the same header.
      const kept = isReservedKey(name) ? name.replace(/[a-z]/, (letter) => letter.toUpperCase()) : name;
      if (!result.headers.add(kept, mapValue(value))) result.duplicates.push(name);
      else if (kept !== name) result.respelled.push([name, kept]);
    }
  }
  return result;
}

function rows(input: unknown): [string, string][] {
  const text = stringOf(input);
  if (text !== undefined) {
    return text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "" && !line.trim().startsWith("//"))
      .map((line) => {
        const colon = line.indexOf(":");
        return colon === -1 ? [line, ""] : [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
  }
  return enabledRows(input).map(({ key, value }) => [key, textOf(value) ?? ""]);
}
