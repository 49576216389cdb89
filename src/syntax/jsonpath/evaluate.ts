/**
 * The interpreter: applies a parsed query to a JSON value (RFC 9535 §2.3–2.5). Node lists are plain
 * arrays; singular queries in filters walk the value directly without building lists, and `..`
 * walks the document with an explicit stack so deep documents cannot overflow the call stack.
 * Every node visit is charged to the evaluation's {@link Budget}, so no query can hold the CPU.
 */

import { isRecord as isObject } from "../../core/json.ts";
import {
  type Argument,
  type CallExpr,
  type LogicalExpr,
  NOTHING,
  type Query,
  type Selector,
  type ValueExpr,
} from "./ast.ts";
import { Budget } from "./budget.ts";
import { compare } from "./compare.ts";

/** Where a node is: the member names and indexes leading to it, innermost last; null is the root. */
export interface Location {
  readonly parent: Location | null;
  readonly key: string | number;
}

type Loc = Location | null;
type Json = Record<string, unknown>;

/** What every step of one evaluation shares: the document's root and the work budget. */
interface Evaluation {
  readonly root: unknown;
  readonly budget: Budget;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Selects the nodes a query yields, in order. `current` is the filter's `@` (for a relative query).
 * When `locations` is given, the location of every selected node is appended to it.
 * @throws JsonPathBudgetError when the evaluation does more work than `budget` allows.
 */
export function selectNodes(
  query: Query,
  current: unknown,
  root: unknown,
  locations?: Loc[],
  budget: Budget = new Budget(),
): unknown[] {
  return nodesOf(query, current, { root, budget }, locations);
}

/** Selects the nodes of `query`; `current` is the filter's `@` (for a relative query). */
function nodesOf(query: Query, current: unknown, ev: Evaluation, locations?: Loc[]): unknown[] {
  const start = query.relative ? current : ev.root;
  if (query.keys !== undefined && locations === undefined) {
    const value = walk(query.keys, start, ev.budget);
    return value === NOTHING ? [] : [value];
  }
  let nodes: unknown[] = [start];
  let locs: Loc[] | undefined = locations === undefined ? undefined : [null];
  for (const segment of query.segments) {
    const out: unknown[] = [];
    const outLocs: Loc[] | undefined = locs === undefined ? undefined : [];
    for (let n = 0; n < nodes.length; n++) {
      const node = nodes[n];
      const at = locs === undefined ? null : (locs[n] as Loc);
      if (segment.descendant) descend(node, at, segment.selectors, out, outLocs, ev);
      else for (const selector of segment.selectors) select(node, at, selector, out, outLocs, ev);
    }
    nodes = out;
    locs = outLocs;
    if (nodes.length === 0) break;
  }
  if (locations !== undefined && locs !== undefined) for (const loc of locs) locations.push(loc);
  return nodes;
}

/**
 * Follows a singular query's names and indexes; NOTHING when a step is missing. Given `resolved`,
 * it also records each step's key there as the node's location has it (a negative index as the
 * index it resolved to), for a normalized path. Most assertions and captures are such paths
 * (`$.results[0].id`): they are followed directly, without the node lists the general
 * interpreter builds at every segment.
 */
export function walk(
  keys: readonly (string | number)[],
  start: unknown,
  budget: Budget,
  resolved?: (string | number)[],
): unknown {
  let value = start;
  budget.spend(1 + keys.length);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string | number;
    if (typeof key === "string") {
      if (!isObject(value) || !hasOwn.call(value, key)) return NOTHING;
      value = value[key];
      resolved?.push(key);
    } else {
      if (!Array.isArray(value)) return NOTHING;
      const index = key < 0 ? value.length + key : key;
      if (index < 0 || index >= value.length) return NOTHING;
      value = value[index];
      resolved?.push(index);
    }
  }
  return value;
}

function emit(
  out: unknown[],
  locs: Loc[] | undefined,
  value: unknown,
  parent: Loc,
  key: string | number,
): void {
  out.push(value);
  if (locs !== undefined) locs.push({ parent, key });
}

function select(
  node: unknown,
  at: Loc,
  selector: Selector,
  out: unknown[],
  locs: Loc[] | undefined,
  ev: Evaluation,
): void {
  switch (selector.kind) {
    case "name":
      ev.budget.spend();
      if (isObject(node) && hasOwn.call(node, selector.name))
        emit(out, locs, node[selector.name], at, selector.name);
      return;
    case "index":
      ev.budget.spend();
      if (Array.isArray(node)) {
        const index = selector.index < 0 ? node.length + selector.index : selector.index;
        if (index >= 0 && index < node.length) emit(out, locs, node[index], at, index);
      }
      return;
    case "wildcard":
      if (Array.isArray(node)) {
        ev.budget.spend(node.length);
        for (let i = 0; i < node.length; i++) emit(out, locs, node[i], at, i);
      } else if (isObject(node)) {
        for (const key in node) {
          if (!hasOwn.call(node, key)) continue;
          ev.budget.spend();
          emit(out, locs, node[key], at, key);
        }
      }
      return;
    case "slice":
      if (Array.isArray(node)) slice(node, at, selector.start, selector.end, selector.step, out, locs, ev);
      return;
    case "filter":
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          ev.budget.spend();
          if (test(selector.test, node[i], ev)) emit(out, locs, node[i], at, i);
        }
      } else if (isObject(node)) {
        for (const key in node) {
          if (!hasOwn.call(node, key)) continue;
          ev.budget.spend();
          if (test(selector.test, node[key], ev)) emit(out, locs, node[key], at, key);
        }
      }
      return;
  }
}

/** RFC 9535 §2.3.4.2.2: bounds are normalized, then clamped; a zero step selects nothing. */
function slice(
  array: readonly unknown[],
  at: Loc,
  start: number | undefined,
  end: number | undefined,
  step: number,
  out: unknown[],
  locs: Loc[] | undefined,
  ev: Evaluation,
): void {
  const len = array.length;
  if (step > 0) {
    const lower = Math.min(Math.max(start === undefined ? 0 : start < 0 ? len + start : start, 0), len);
    const upper = Math.min(Math.max(end === undefined ? len : end < 0 ? len + end : end, 0), len);
    for (let i = lower; i < upper; i += step) {
      ev.budget.spend();
      emit(out, locs, array[i], at, i);
    }
  } else if (step < 0) {
    const upper = Math.min(
      Math.max(start === undefined ? len - 1 : start < 0 ? len + start : start, -1),
      len - 1,
    );
    const lower = Math.min(Math.max(end === undefined ? -1 : end < 0 ? len + end : end, -1), len - 1);
    for (let i = upper; i > lower; i += step) {
      ev.budget.spend();
      emit(out, locs, array[i], at, i);
    }
  }
}

/** Applies selectors to `start` and each of its descendants, in document order (pre-order). */
function descend(
  start: unknown,
  startAt: Loc,
  selectors: readonly Selector[],
  out: unknown[],
  locs: Loc[] | undefined,
  ev: Evaluation,
): void {
  if (typeof start !== "object" || start === null) return;
  const stack: unknown[] = [start];
  const atStack: Loc[] | undefined = locs === undefined ? undefined : [startAt];
  while (stack.length > 0) {
    const node = stack.pop();
    const at = atStack === undefined ? null : (atStack.pop() as Loc);
    ev.budget.spend();
    for (const selector of selectors) select(node, at, selector, out, locs, ev);
    // Children are pushed last-first so they are visited first-first; scalars have nothing to select.
    if (Array.isArray(node)) {
      ev.budget.spend(node.length);
      for (let i = node.length - 1; i >= 0; i--) {
        const child: unknown = node[i];
        if (typeof child !== "object" || child === null) continue;
        stack.push(child);
        atStack?.push({ parent: at, key: i });
      }
    } else {
      const object = node as Json;
      const keys = Object.keys(object);
      ev.budget.spend(keys.length);
      for (let k = keys.length - 1; k >= 0; k--) {
        const key = keys[k] as string;
        const child = object[key];
        if (typeof child !== "object" || child === null) continue;
        stack.push(child);
        atStack?.push({ parent: at, key });
      }
    }
  }
}

/** Evaluates a filter's logical expression with `current` as `@`. */
function test(expr: LogicalExpr, current: unknown, ev: Evaluation): boolean {
  switch (expr.kind) {
    case "compare":
      return compare(expr.op, value(expr.left, current, ev), value(expr.right, current, ev), ev.budget);
    case "exists":
      if (expr.query.keys !== undefined)
        return walk(expr.query.keys, expr.query.relative ? current : ev.root, ev.budget) !== NOTHING;
      return nodesOf(expr.query, current, ev).length > 0;
    case "and":
      for (const operand of expr.operands) if (!test(operand, current, ev)) return false;
      return true;
    case "or":
      for (const operand of expr.operands) if (test(operand, current, ev)) return true;
      return false;
    case "not":
      return !test(expr.operand, current, ev);
    case "test":
      return call(expr.call, current, ev) === true;
  }
}

function value(expr: ValueExpr, current: unknown, ev: Evaluation): unknown {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "query":
      return walk(expr.query.keys ?? [], expr.query.relative ? current : ev.root, ev.budget);
    case "call":
      return call(expr, current, ev);
  }
}

function call(expr: CallExpr, current: unknown, ev: Evaluation): unknown {
  const first = expr.args[0];
  const second = expr.args[1];
  const a = first === undefined ? undefined : argument(first, current, ev);
  const b = second === undefined ? undefined : argument(second, current, ev);
  if (expr.fn.work !== undefined) {
    ev.budget.spend(expr.fn.work(a, b));
  } else {
    // length() reads its string argument whole.
    if (typeof a === "string") ev.budget.spendText(a.length);
    if (typeof b === "string") ev.budget.spendText(b.length);
  }
  return expr.fn.call(a, b);
}

function argument(arg: Argument, current: unknown, ev: Evaluation): unknown {
  return arg.type === "nodes" ? nodesOf(arg.query, current, ev) : value(arg.expr, current, ev);
}
