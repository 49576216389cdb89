/**
 * Comparisons in filters (RFC 9535 §2.3.5.2.2): Nothing equals only Nothing, numbers compare
 * numerically, strings by Unicode scalar values, arrays and objects by deep equality, and `<` is
 * defined only between two numbers or two strings.
 */
import type { CompareOp } from "./ast.ts";
import type { Budget } from "./budget.ts";

const hasOwn = Object.prototype.hasOwnProperty;

/** Applies `op` to two values, either of which may be NOTHING; deep equality spends from `budget`. */
export function compare(op: CompareOp, left: unknown, right: unknown, budget?: Budget): boolean {
  switch (op) {
    case "==":
      return equal(left, right, budget);
    case "!=":
      return !equal(left, right, budget);
    case "<":
      return less(left, right, budget);
    case "<=":
      return less(left, right, budget) || equal(left, right, budget);
    case ">":
      return less(right, left, budget);
    case ">=":
      return less(right, left, budget) || equal(left, right, budget);
  }
}

function less(a: unknown, b: unknown, budget: Budget | undefined): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  if (typeof a === "string" && typeof b === "string") {
    budget?.spendText(Math.min(a.length, b.length));
    return lessString(a, b);
  }
  return false;
}

/** Orders by code point; plain `<` compares UTF-16 units, which puts U+10000.. before U+E000..U+FFFF. */
function lessString(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x += x >= 0xe000 ? -0x800 : 0x2000;
        y += y >= 0xe000 ? -0x800 : 0x2000;
      }
      return x < y;
    }
  }
  return a.length < b.length;
}

/**
 * Deep equality of JSON values; iterative, so deeply nested documents cannot overflow the stack.
 * Each pair of values compared spends one unit of `budget`, when given.
 */
export function equal(a: unknown, b: unknown, budget?: Budget): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const pending: unknown[] = [a, b];
  while (pending.length > 0) {
    budget?.spend();
    const y = pending.pop();
    const x = pending.pop();
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) pending.push(x[i], y[i]);
      continue;
    }
    if (Array.isArray(y)) return false;
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    let size = 0;
    for (const key in xo) {
      if (!hasOwn.call(xo, key)) continue;
      if (!hasOwn.call(yo, key)) return false;
      size++;
      pending.push(xo[key], yo[key]);
    }
    for (const key in yo) if (hasOwn.call(yo, key)) size--;
    if (size !== 0) return false;
  }
  return true;
}
