/**
 * The parsed form of an RFC 9535 JSONPath query. The parser builds it once; the interpreter in
 * `evaluate.ts` walks it for every document. Function calls are already type-checked here.
 */

/** RFC 9535's special result "Nothing": a value-typed expression that has no value. */
export const NOTHING: unique symbol = Symbol("Nothing");

/** One selector inside a segment. */
export type Selector =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "wildcard" }
  | { readonly kind: "index"; readonly index: number }
  | {
      readonly kind: "slice";
      readonly start: number | undefined;
      readonly end: number | undefined;
      readonly step: number;
    }
  | { readonly kind: "filter"; readonly test: LogicalExpr };

/** A child segment (`.x`, `[...]`) or a descendant segment (`..x`, `..[...]`). */
export interface Segment {
  readonly descendant: boolean;
  readonly selectors: readonly Selector[];
}

/** A query rooted at `$` or, inside a filter, at `@`. */
export interface Query {
  /** Starts at `@` (the filter's current node) rather than `$`. */
  readonly relative: boolean;
  readonly segments: readonly Segment[];
  /**
   * For a singular query (only single names and indexes), the member names and indexes to walk;
   * undefined otherwise. Lets filters read a value without building node lists.
   */
  readonly keys: readonly (string | number)[] | undefined;
}

/** The declared type of a function parameter (RFC 9535 §2.4.1). */
export type ParamType = "value" | "nodes";

/** A function extension: its signature and implementation. */
export interface FunctionDef {
  readonly name: string;
  readonly params: readonly ParamType[];
  readonly result: "value" | "logical";
  /** Called with the evaluated arguments: a value (or NOTHING), or a node list for `nodes`. */
  readonly call: (first: unknown, second: unknown) => unknown;
  /** Work units a call with these arguments may cost, when more than reading its strings. */
  readonly work?: (first: unknown, second: unknown) => number;
}

/** A literal, a singular query or a value-typed function call. */
export type ValueExpr =
  | { readonly kind: "literal"; readonly value: unknown }
  | { readonly kind: "query"; readonly query: Query }
  | CallExpr;

/** A call of a function extension with its checked arguments. */
export interface CallExpr {
  readonly kind: "call";
  readonly fn: FunctionDef;
  readonly args: readonly Argument[];
}

/** An argument, converted to its parameter's declared type. */
export type Argument =
  | { readonly type: "value"; readonly expr: ValueExpr }
  | { readonly type: "nodes"; readonly query: Query };

/** The comparison operators. */
export type CompareOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/** A filter's logical expression. */
export type LogicalExpr =
  | { readonly kind: "or"; readonly operands: readonly LogicalExpr[] }
  | { readonly kind: "and"; readonly operands: readonly LogicalExpr[] }
  | { readonly kind: "not"; readonly operand: LogicalExpr }
  | { readonly kind: "exists"; readonly query: Query }
  | { readonly kind: "test"; readonly call: CallExpr }
  | {
      readonly kind: "compare";
      readonly op: CompareOp;
      readonly left: ValueExpr;
      readonly right: ValueExpr;
    };
