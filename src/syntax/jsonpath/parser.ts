/**
 * Parser for RFC 9535 JSONPath: a hand-written recursive descent over the ABNF, with the
 * well-typedness rules of §2.4.3 checked as it goes (singular queries in comparisons, function
 * argument and result types, literals that must be compared). Nesting is capped so a hostile
 * expression cannot exhaust the stack.
 */
import type {
  Argument,
  CallExpr,
  CompareOp,
  LogicalExpr,
  Query,
  Segment,
  Selector,
  ValueExpr,
} from "./ast.ts";
import { JsonPathSyntaxError } from "./errors.ts";
import { FUNCTIONS } from "./functions.ts";

/** Deepest nesting of filters, parentheses and function arguments. */
export const MAX_NESTING = 64;
const MAX_INT = 9007199254740991;
const WILDCARD: Selector = { kind: "wildcard" };

/** What a basic expression parses to before its context decides its type. */
type Parsed = ValueExpr | LogicalExpr;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
/** name-first, except that a surrogate pair is checked by the caller. */
const isNameFirst = (c: number): boolean =>
  (c >= 0x41 && c <= 0x5a) ||
  isLower(c) ||
  c === 0x5f ||
  (c >= 0x80 && c <= 0xd7ff) ||
  (c >= 0xe000 && c <= 0xffff);

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", "/": "/", "\\": "\\" };

/** Parses a whole JSONPath query (it must start with `$`). */
export function parseJsonPath(source: string): Query {
  return new Parser(source).parseRoot();
}

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly src: string) {}

  parseRoot(): Query {
    if (this.code() !== 0x24) this.fail('a JSONPath must start with "$"');
    this.pos = 1;
    const query = makeQuery(false, this.parseSegments());
    if (this.pos < this.src.length) {
      const rest = this.src.slice(this.pos);
      if (rest.trim() === "") this.fail("whitespace is not allowed at the end");
      this.fail(`unexpected ${this.describe()}; expected ".", ".." or "["`);
    }
    return query;
  }

  private code(offset = 0): number {
    return this.src.charCodeAt(this.pos + offset);
  }

  private describe(): string {
    const c = this.src.codePointAt(this.pos);
    if (c === undefined) return "end of the expression";
    const ch = String.fromCodePoint(c);
    return c < 0x21 || c === 0x7f
      ? `character U+${c.toString(16).toUpperCase().padStart(4, "0")}`
      : `"${ch}"`;
  }

  private fail(message: string, at = this.pos): never {
    throw new JsonPathSyntaxError(message, this.src, at);
  }

  private skipSpace(): void {
    while (isSpace(this.code())) this.pos++;
  }

  private expect(code: number, what: string): void {
    if (this.code() !== code) this.fail(`expected ${what} but found ${this.describe()}`);
    this.pos++;
  }

  /** `*(S segment)`: whitespace before something that is not a segment belongs to the caller. */
  private parseSegments(): Segment[] {
    const segments: Segment[] = [];
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const c = this.code();
      if (c === 0x5b) {
        segments.push({ descendant: false, selectors: this.parseBracketed() });
      } else if (c === 0x2e && this.code(1) === 0x2e) {
        this.pos += 2;
        const selectors = this.code() === 0x5b ? this.parseBracketed() : [this.parseDotSelector("..")];
        segments.push({ descendant: true, selectors });
      } else if (c === 0x2e) {
        this.pos++;
        segments.push({ descendant: false, selectors: [this.parseDotSelector(".")] });
      } else {
        this.pos = before;
        return segments;
      }
    }
  }

  private parseDotSelector(after: string): Selector {
    const c = this.code();
    if (c === 0x2a) {
      this.pos++;
      return WILDCARD;
    }
    if (isNameFirst(c) || (isHigh(c) && isLow(this.code(1)))) return { kind: "name", name: this.parseName() };
    const hint = isDigit(c) ? `; use [${this.src.slice(this.pos).match(/^\d+/)?.[0]}] for an index` : "";
    return this.fail(`expected a member name or "*" after "${after}" but found ${this.describe()}${hint}`);
  }

  /** member-name-shorthand; the first character is already known to be valid. */
  private parseName(): string {
    const start = this.pos;
    for (;;) {
      const c = this.code();
      if (isNameFirst(c) || isDigit(c)) this.pos++;
      else if (isHigh(c) && isLow(this.code(1))) this.pos += 2;
      else if (isHigh(c) || isLow(c)) this.fail("unpaired surrogate in a member name");
      else return this.src.slice(start, this.pos);
    }
  }

  /** `[` S selector *(S `,` S selector) S `]` */
  private parseBracketed(): Selector[] {
    this.pos++;
    const selectors: Selector[] = [];
    for (;;) {
      this.skipSpace();
      selectors.push(this.parseSelector());
      this.skipSpace();
      const c = this.code();
      if (c !== 0x5d && c !== 0x2c) this.fail(`expected "," or "]" but found ${this.describe()}`);
      this.pos++;
      if (c === 0x5d) return selectors;
    }
  }

  private parseSelector(): Selector {
    const c = this.code();
    if (c === 0x27 || c === 0x22) return { kind: "name", name: this.parseString() };
    if (c === 0x2a) {
      this.pos++;
      return WILDCARD;
    }
    if (c === 0x3f) {
      this.pos++;
      this.skipSpace();
      const at = this.pos;
      return { kind: "filter", test: this.toLogical(this.parseOr(), at) };
    }
    if (c === 0x3a || c === 0x2d || isDigit(c)) return this.parseIndexOrSlice();
    const hint = c === 0x40 || c === 0x24 ? '; a query inside brackets needs "?", as in [?@.a]' : "";
    return this.fail(
      `expected a selector (name, index, slice, "*" or "?" filter) but found ${this.describe()}${hint}`,
    );
  }

  /** index-selector, or slice-selector: [start S] ":" S [end S] [":" [S step]] */
  private parseIndexOrSlice(): Selector {
    const start = this.code() === 0x3a ? undefined : this.parseInt();
    const before = this.pos;
    this.skipSpace();
    if (this.code() !== 0x3a && start !== undefined) {
      this.pos = before;
      return { kind: "index", index: start };
    }
    this.pos++;
    this.skipSpace();
    const end = this.code() === 0x2d || isDigit(this.code()) ? this.parseInt() : undefined;
    this.skipSpace();
    let step = 1;
    if (this.code() === 0x3a) {
      this.pos++;
      this.skipSpace();
      if (this.code() === 0x2d || isDigit(this.code())) step = this.parseInt();
    }
    return { kind: "slice", start, end, step };
  }

  /** int = "0" / ["-"] DIGIT1 *DIGIT, within ±(2^53-1). */
  private parseInt(): number {
    const start = this.pos;
    if (this.code() === 0x2d) this.pos++;
    if (!isDigit(this.code())) this.fail(`expected a digit but found ${this.describe()}`);
    if (this.code() === 0x30) {
      this.pos++;
      if (isDigit(this.code())) this.fail("an integer must not have leading zeros", start);
      if (this.pos - start === 2) this.fail('"-0" is not a valid integer', start);
      return 0;
    }
    while (isDigit(this.code())) this.pos++;
    const value = Number(this.src.slice(start, this.pos));
    if (Math.abs(value) > MAX_INT)
      this.fail("integer out of range; at most ±9007199254740991 (2^53-1)", start);
    return value;
  }

  /** number = (int / "-0") [frac] [exp], any magnitude. */
  private parseNumber(): number {
    const start = this.pos;
    if (this.code() === 0x2d) this.pos++;
    if (!isDigit(this.code())) this.fail(`expected a digit but found ${this.describe()}`);
    if (this.code() === 0x30 && isDigit(this.code(1)))
      this.fail("a number must not have leading zeros", start);
    while (isDigit(this.code())) this.pos++;
    if (this.code() === 0x2e) {
      this.pos++;
      if (!isDigit(this.code())) this.fail(`expected a digit after "." but found ${this.describe()}`);
      while (isDigit(this.code())) this.pos++;
    }
    if ((this.code() | 0x20) === 0x65) {
      this.pos++;
      if (this.code() === 0x2b || this.code() === 0x2d) this.pos++;
      if (!isDigit(this.code())) this.fail(`expected a digit in the exponent but found ${this.describe()}`);
      while (isDigit(this.code())) this.pos++;
    }
    return Number(this.src.slice(start, this.pos));
  }

  /** string-literal in single or double quotes, with RFC 9535's escapes. */
  private parseString(): string {
    const quote = this.code();
    const open = this.pos++;
    let out = "";
    let chunk = this.pos;
    for (;;) {
      const c = this.code();
      if (Number.isNaN(c)) this.fail("unterminated string", open);
      if (c === quote) {
        out += this.src.slice(chunk, this.pos++);
        return out;
      }
      if (c === 0x5c) {
        out += this.src.slice(chunk, this.pos);
        out += this.parseEscape(quote);
        chunk = this.pos;
      } else if (c < 0x20) {
        this.fail(`${this.describe()} must be escaped in a string`);
      } else if (isHigh(c) && isLow(this.code(1))) {
        this.pos += 2;
      } else if (isHigh(c) || isLow(c)) {
        this.fail("unpaired surrogate in a string");
      } else {
        this.pos++;
      }
    }
  }

  private parseEscape(quote: number): string {
    const at = this.pos++;
    const c = this.src[this.pos];
    const simple = c === undefined ? undefined : ESCAPES[c];
    if (simple !== undefined || this.code() === quote) {
      this.pos++;
      return simple ?? String.fromCharCode(quote);
    }
    if (c !== "u") return this.fail(`invalid escape "\\${c ?? ""}"`, at);
    this.pos++;
    const unit = this.parseHex4();
    if (isLow(unit)) this.fail("a \\u escape of a low surrogate must follow one of a high surrogate", at);
    if (!isHigh(unit)) return String.fromCharCode(unit);
    if (this.code() !== 0x5c || this.code(1) !== 0x75)
      this.fail("a high surrogate must be followed by \\u and a low surrogate", at);
    this.pos += 2;
    const low = this.parseHex4();
    if (!isLow(low)) this.fail("a high surrogate must be followed by \\u and a low surrogate", at);
    return String.fromCharCode(unit, low);
  }

  private parseHex4(): number {
    for (let i = 0; i < 4; i++)
      if (!isHex(this.code(i))) this.fail("expected four hex digits after \\u", this.pos + i);
    this.pos += 4;
    return Number.parseInt(this.src.slice(this.pos - 4, this.pos), 16);
  }

  /** logical-or-expr; returns a bare primary when there is no operator, so callers can type it. */
  private parseOr(): Parsed {
    if (++this.depth > MAX_NESTING) this.fail(`expression nested more than ${MAX_NESTING} levels deep`);
    const result = this.parseChain(0x7c, "or", () => this.parseChain(0x26, "and", () => this.parseBasic()));
    this.depth--;
    return result;
  }

  /** `operand *(S op S operand)` for `||` (0x7c) or `&&` (0x26). */
  private parseChain(op: number, kind: "or" | "and", operand: () => Parsed): Parsed {
    const firstAt = this.pos;
    const first = operand();
    let operands: LogicalExpr[] | undefined;
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      if (this.code() !== op || this.code(1) !== op) {
        this.pos = before;
        return operands === undefined ? first : { kind, operands };
      }
      this.pos += 2;
      this.skipSpace();
      operands ??= [this.toLogical(first, firstAt)];
      const at = this.pos;
      operands.push(this.toLogical(operand(), at));
    }
  }

  /** paren-expr, `!` test, comparison, or a bare primary (query, literal, function call). */
  private parseBasic(): Parsed {
    const at = this.pos;
    if (this.code() === 0x21) {
      this.pos++;
      this.skipSpace();
      const operandAt = this.pos;
      const operand =
        this.code() === 0x28 ? this.parseParen() : this.toLogical(this.parsePrimary(), operandAt);
      return { kind: "not", operand };
    }
    if (this.code() === 0x28) return this.parseParen();
    const left = this.parsePrimary();
    const before = this.pos;
    this.skipSpace();
    const op = this.parseOperator();
    if (op === undefined) {
      this.pos = before;
      return left;
    }
    this.skipSpace();
    const rightAt = this.pos;
    const right = this.parsePrimary();
    return {
      kind: "compare",
      op,
      left: this.toComparable(left, at),
      right: this.toComparable(right, rightAt),
    };
  }

  private parseParen(): LogicalExpr {
    this.pos++;
    this.skipSpace();
    const at = this.pos;
    const inner = this.toLogical(this.parseOr(), at);
    this.skipSpace();
    this.expect(0x29, '")"');
    return inner;
  }

  private parseOperator(): CompareOp | undefined {
    const c = this.code();
    const eq = this.code(1) === 0x3d;
    let op: CompareOp | undefined;
    if (c === 0x3d) {
      if (!eq) this.fail('"=" is not an operator; use "==" to compare');
      op = "==";
    } else if (c === 0x21 && eq) op = "!=";
    else if (c === 0x3c) op = eq ? "<=" : "<";
    else if (c === 0x3e) op = eq ? ">=" : ">";
    if (op !== undefined) this.pos += op.length;
    return op;
  }

  /** A query, literal or function call. */
  private parsePrimary(): ValueExpr {
    const at = this.pos;
    const c = this.code();
    if (c === 0x40 || c === 0x24) {
      this.pos++;
      return { kind: "query", query: makeQuery(c === 0x40, this.parseSegments()) };
    }
    if (c === 0x27 || c === 0x22) return { kind: "literal", value: this.parseString() };
    if (c === 0x2d || isDigit(c)) return { kind: "literal", value: this.parseNumber() };
    if (isLower(c)) {
      while (isLower(this.code()) || isDigit(this.code()) || this.code() === 0x5f) this.pos++;
      const name = this.src.slice(at, this.pos);
      if (this.code() === 0x28) return this.parseCall(name, at);
      if (name === "true" || name === "false" || name === "null") {
        return { kind: "literal", value: name === "null" ? null : name === "true" };
      }
      const hint = FUNCTIONS.has(name) ? ` (a call needs "(" right after "${name}")` : "";
      return this.fail(`unknown name "${name}"${hint}; expected true, false, null or a function call`, at);
    }
    return this.fail(`expected a query (@ or $), a literal or a function call but found ${this.describe()}`);
  }

  private parseCall(name: string, at: number): CallExpr {
    const fn = FUNCTIONS.get(name);
    if (fn === undefined)
      this.fail(`unknown function "${name}()"; known: ${[...FUNCTIONS.keys()].join(", ")}`, at);
    this.pos++;
    this.skipSpace();
    const parsed: Parsed[] = [];
    const positions: number[] = [];
    if (this.code() !== 0x29) {
      for (;;) {
        positions.push(this.pos);
        parsed.push(this.parseOr());
        this.skipSpace();
        if (this.code() !== 0x2c) break;
        this.pos++;
        this.skipSpace();
      }
    }
    this.expect(0x29, `"," or ")" in the arguments of ${name}()`);
    if (parsed.length !== fn.params.length) {
      const wanted = `${fn.params.length} argument${fn.params.length === 1 ? "" : "s"}`;
      this.fail(`${name}() takes ${wanted}, not ${parsed.length}`, at);
    }
    const args = fn.params.map((type, i): Argument => {
      const arg = parsed[i] as Parsed;
      const argAt = positions[i] as number;
      if (type === "nodes") {
        if (arg.kind !== "query") this.fail(`argument ${i + 1} of ${name}() must be a query`, argAt);
        return { type, query: arg.query };
      }
      if (arg.kind !== "literal" && arg.kind !== "query" && arg.kind !== "call") {
        this.fail(`argument ${i + 1} of ${name}() must be a value, not a logical expression`, argAt);
      }
      return { type, expr: this.toComparable(arg, argAt) };
    });
    return { kind: "call", fn, args };
  }

  /** Types an expression used as a test (LogicalType). */
  private toLogical(e: Parsed, at: number): LogicalExpr {
    switch (e.kind) {
      case "literal":
        return this.fail("a literal cannot be a test on its own; compare it with ==, !=, <, <=, > or >=", at);
      case "query":
        return { kind: "exists", query: e.query };
      case "call":
        if (e.fn.result !== "logical")
          this.fail(`the result of ${e.fn.name}() is a value and must be compared`, at);
        return { kind: "test", call: e };
      default:
        return e;
    }
  }

  /** Types an expression used as a value (ValueType): a query must be singular. */
  private toComparable(e: ValueExpr, at: number): ValueExpr {
    if (e.kind === "query" && e.query.keys === undefined) {
      this.fail(
        "a query used as a value must be singular (only single names and indexes, no *, .., slices or filters)",
        at,
      );
    }
    if (e.kind === "call" && e.fn.result !== "value") {
      this.fail(`${e.fn.name}() returns a logical value, which cannot be compared or used as a value`, at);
    }
    return e;
  }
}

function makeQuery(relative: boolean, segments: Segment[]): Query {
  const keys: (string | number)[] = [];
  for (const segment of segments) {
    const selector = segment.selectors[0];
    if (segment.descendant || segment.selectors.length !== 1 || selector === undefined) {
      return { relative, segments, keys: undefined };
    }
    if (selector.kind === "name") keys.push(selector.name);
    else if (selector.kind === "index") keys.push(selector.index);
    else return { relative, segments, keys: undefined };
  }
  return { relative, segments, keys };
}
