/**
 * RFC 9535's function extensions (§2.4.4–2.4.8) with their declared types, which the parser uses
 * to reject ill-typed calls. Value arguments arrive as a value or NOTHING, node lists as arrays.
 */
import { type FunctionDef, NOTHING } from "./ast.ts";
import { iRegexpTest, iRegexpWork } from "./iregexp.ts";

function length(value: unknown): unknown {
  if (typeof value === "string") {
    let count = value.length;
    // A surrogate pair is one Unicode scalar value.
    for (let i = 0; i < value.length - 1; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0xd800 && code <= 0xdbff) {
        const next = value.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          count--;
          i++;
        }
      }
    }
    return count;
  }
  if (Array.isArray(value)) return value.length;
  if (typeof value === "object" && value !== null) return Object.keys(value).length;
  return NOTHING;
}

/** The function extensions by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map<string, FunctionDef>([
  ["length", { name: "length", params: ["value"], result: "value", call: length }],
  [
    "count",
    { name: "count", params: ["nodes"], result: "value", call: (nodes) => (nodes as unknown[]).length },
  ],
  [
    "match",
    {
      name: "match",
      params: ["value", "value"],
      result: "logical",
      call: (s, re) => iRegexpTest(s, re, true),
      work: (s, re) => iRegexpWork(s, re, true),
    },
  ],
  [
    "search",
    {
      name: "search",
      params: ["value", "value"],
      result: "logical",
      call: (s, re) => iRegexpTest(s, re, false),
      work: (s, re) => iRegexpWork(s, re, false),
    },
  ],
  [
    "value",
    {
      name: "value",
      params: ["nodes"],
      result: "value",
      call: (nodes) => ((nodes as unknown[]).length === 1 ? (nodes as unknown[])[0] : NOTHING),
    },
  ],
]);
