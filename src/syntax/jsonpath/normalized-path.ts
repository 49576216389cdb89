/** Normalized paths (RFC 9535 §2.7), such as `$['store']['book'][0]`, for a node's location. */
import type { Budget } from "./budget.ts";
import type { Location } from "./evaluate.ts";

const ESCAPED: Record<string, string> = {
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "'": "\\'",
  "\\": "\\\\",
};

/** Escapes a member name: `'`, `\` and control characters (the rest as `\u00xx`). */
function escapeName(name: string): string {
  let out = "";
  let chunk = 0;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code >= 0x20 && code !== 0x27 && code !== 0x5c) continue;
    out += name.slice(chunk, i) + (ESCAPED[name[i] as string] ?? `\\u${code.toString(16).padStart(4, "0")}`);
    chunk = i + 1;
  }
  return out + name.slice(chunk);
}

/**
 * Formats a location as a normalized path; each step (and each 32 characters of a name) spends
 * one unit of `budget`, when given, as deep paths of many nodes cost as much as the query did.
 */
export function normalizedPath(location: Location | null, budget?: Budget): string {
  const parts: string[] = [];
  for (let at = location; at !== null; at = at.parent) {
    budget?.spendText(typeof at.key === "number" ? 0 : at.key.length);
    parts.push(typeof at.key === "number" ? `[${at.key}]` : `['${escapeName(at.key)}']`);
  }
  return `$${parts.reverse().join("")}`;
}
