/**
 * Template expansion: `{{name}}` in strings, with the JSON rule that a string which is exactly one
 * template keeps the variable's type. Pure data substitution; nothing is ever evaluated.
 *
 * A variable's value is inserted as it is: templates inside it are never expanded, so expansion is
 * one pass over the field's own text, with no chain of variables to follow and no depth. What one
 * pass can produce is still unbounded (a large variable repeated thousands of times), so every
 * expansion spends from an {@link ExpansionBudget} and stops, before building the text, once it
 * would pass {@link MAX_EXPANDED_LENGTH}.
 */
import { setOwn, toJsonPointer } from "../core/json.ts";
import type { JsonValue } from "./model.ts";

/** One template found in a text: where it starts and ends, and the name as written (untrimmed). */
interface TemplateMatch {
  index: number;
  end: number;
  name: string;
}

/**
 * The templates of `text`, in order: "`{{`, then one or more characters other than `}`, then
 * `}}`" (collection format, Templates), leftmost first as the regular expression
 * `/\{\{([^}]+)\}\}/g` finds them, so `{{a{b}}` names `a{b` and `{{{x}}}` names `{x`. Scanned
 * with `indexOf`, in linear time: that expression is quadratic on a text of many `{{` without a
 * `}}` (each start scans to the end), while here a failed start skips past the `}` it ran into,
 * which every start before it would run into too.
 */
function* scanTemplates(text: string): Generator<TemplateMatch> {
  let from = 0;
  for (;;) {
    const index = text.indexOf("{{", from);
    if (index === -1) return;
    const close = text.indexOf("}", index + 2);
    if (close === -1) return;
    if (close > index + 2 && text[close + 1] === "}") {
      yield { index, end: close + 2, name: text.slice(index + 2, close) };
      from = close + 2;
    } else {
      from = close + 1;
    }
  }
}

/**
 * The name of the one template `text` is made of (`"{{pageSize}}"`), untrimmed; undefined when it
 * is anything else.
 * @example
 * exactTemplateName("{{ id }}"); // " id "
 */
export function exactTemplateName(text: string): string | undefined {
  if (!text.startsWith("{{") || !text.endsWith("}}")) return undefined;
  const name = text.slice(2, -2);
  return name !== "" && !name.includes("}") ? name : undefined;
}

/**
 * Most characters the templated fields of one request may expand to, all together (and the
 * assertion values on one response, together): 5 MiB, the largest response the runner reads, so a
 * captured body can still be sent back whole. Counted in UTF-16 units before encoding: what is
 * sent can be larger by its encoding, at most 6 times as JSON text (`\u0001` for a control
 * character) and 9 times percent-encoded (`%E2%82%AC` for `€`), a bound all the same.
 */
export const MAX_EXPANDED_LENGTH = 5 * 1024 * 1024;

/** Looks a variable up; `undefined` means it does not exist. */
export type VariableLookup = (name: string) => JsonValue | undefined;

/** Thrown by the expanders when a template names a variable that does not exist. */
export class UnknownVariableError extends Error {
  /** Stable code, reported as the item's error code. */
  readonly code = "CERTN_UNKNOWN_VARIABLE";
  /** The variable's name as written in the template (trimmed). */
  readonly variable: string;

  constructor(variable: string) {
    super(
      `unknown variable "${variable}": define it in the collection, the run's variables, a data row or a capture`,
    );
    this.name = "UnknownVariableError";
    this.variable = variable;
  }
}

/** Thrown by the expanders when templates would expand past their {@link ExpansionBudget}. */
export class TemplateTooLargeError extends Error {
  /** Stable code, reported as the item's error code. */
  readonly code = "CERTN_TEMPLATE_TOO_LARGE";
  /** JSON Pointer of the field whose expansion passed the limit ("" when the caller named none). */
  readonly pointer: string;
  /** The limit, in characters. */
  readonly limit: number;

  constructor(pointer: string, limit: number) {
    const where = pointer === "" ? "templates" : `the templates at ${pointer}`;
    super(
      `${where} expand to more than ${limit.toLocaleString("en-US")} characters (the limit for one request's templates together, or for one assertion value's): a large variable or capture is repeated too often`,
    );
    this.name = "TemplateTooLargeError";
    this.pointer = pointer;
    this.limit = limit;
  }
}

/**
 * What templated fields may still expand to. One budget is shared by every field of a request, so
 * many fields cannot each take the whole limit.
 */
export class ExpansionBudget {
  #left: number;

  constructor(readonly limit: number = MAX_EXPANDED_LENGTH) {
    this.#left = limit;
  }

  /**
   * Spends `length` characters of the field at `pointer`.
   * @throws TemplateTooLargeError once the budget is gone.
   */
  spend(length: number, pointer: string): void {
    this.#left -= length;
    if (this.#left < 0) throw new TemplateTooLargeError(pointer, this.limit);
  }
}

/** Whether a string holds at least one template. */
export function hasTemplate(text: string): boolean {
  return !scanTemplates(text).next().done;
}

/** The variable names a string's templates refer to, in order (trimmed, duplicates kept). */
export function templateNames(text: string): string[] {
  return Array.from(scanTemplates(text), (match) => match.name.trim());
}

/**
 * `text` with each template replaced by `replacement`.
 * @example
 * replaceTemplates("^{{prefix}}-\\d+$", "x"); // "^x-\\d+$"
 */
export function replaceTemplates(text: string, replacement: string): string {
  let out = "";
  let end = 0;
  for (const match of scanTemplates(text)) {
    out += text.slice(end, match.index) + replacement;
    end = match.end;
  }
  return end === 0 ? text : out + text.slice(end);
}

/** How a variable's value reads when it is inserted into text. */
export function valueToText(value: JsonValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return JSON.stringify(value);
}

/** Text lengths of the objects and arrays measured so far: a captured object is measured once. */
const measured = new WeakMap<object, number>();

/** How long a value reads as text, without building the text again for a value seen before. */
function textLength(value: JsonValue): number {
  if (value === null || typeof value !== "object") return valueToText(value).length;
  let length = measured.get(value);
  if (length === undefined) {
    length = JSON.stringify(value).length;
    measured.set(value, length);
  }
  return length;
}

function lookupOrThrow(lookup: VariableLookup, raw: string): JsonValue {
  const name = raw.trim();
  const value = lookup(name);
  if (value === undefined) throw new UnknownVariableError(name);
  return value;
}

/**
 * Expands every template in `text` as text, spending the result's length from `budget` piece by
 * piece, so nothing past the limit is ever built.
 * @param pointer JSON Pointer of the field, named by the error when the budget runs out.
 * @throws UnknownVariableError when a template names a variable `lookup` does not know.
 * @throws TemplateTooLargeError when the expansion would pass the budget.
 */
export function expandText(
  text: string,
  lookup: VariableLookup,
  pointer = "",
  budget: ExpansionBudget = new ExpansionBudget(),
): string {
  if (!text.includes("{{")) return text;
  const parts: string[] = [];
  let end = 0;
  for (const match of scanTemplates(text)) {
    const literal = text.slice(end, match.index);
    const value = valueToText(lookupOrThrow(lookup, match.name));
    budget.spend(literal.length + value.length, pointer);
    parts.push(literal, value);
    end = match.end;
  }
  const rest = text.slice(end);
  budget.spend(rest.length, pointer);
  parts.push(rest);
  return parts.join("");
}

/**
 * Expands a string for a JSON position: exactly one template keeps the variable's type
 * (`"{{pageSize}}"` becomes the number 5); anything longer becomes text. A kept value spends its
 * length as text, as that is what it adds to a body.
 * @throws UnknownVariableError when a template names a variable `lookup` does not know.
 * @throws TemplateTooLargeError when the expansion would pass the budget.
 */
export function expandTypedString(
  text: string,
  lookup: VariableLookup,
  pointer = "",
  budget: ExpansionBudget = new ExpansionBudget(),
): JsonValue {
  const single = exactTemplateName(text);
  if (single === undefined) return expandText(text, lookup, pointer, budget);
  const value = lookupOrThrow(lookup, single);
  budget.spend(textLength(value), pointer);
  return value;
}

/**
 * Expands the templates inside every string of a JSON value (object keys are left literal), all
 * from one budget; the error names the string where it ran out.
 * @param pointer JSON Pointer of the value itself, such as `/request/json`.
 * @throws UnknownVariableError when a template names a variable `lookup` does not know.
 * @throws TemplateTooLargeError when the expansion would pass the budget.
 */
export function expandJson(
  value: JsonValue,
  lookup: VariableLookup,
  pointer = "",
  budget: ExpansionBudget = new ExpansionBudget(),
): JsonValue {
  const path: Array<string | number> = [];
  const visit = (node: JsonValue): JsonValue => {
    if (typeof node === "string") {
      // Only templated strings spend: the others are the collection's own text, copied by reference.
      if (!node.includes("{{")) return node;
      try {
        return expandTypedString(node, lookup, "", budget);
      } catch (error) {
        // The string's pointer is made only when it is named: this runs for every request.
        if (error instanceof TemplateTooLargeError) {
          throw new TemplateTooLargeError(pointer + toJsonPointer(path), error.limit);
        }
        throw error;
      }
    }
    if (Array.isArray(node)) {
      return node.map((element, index) => {
        path.push(index);
        const expanded = visit(element);
        path.pop();
        return expanded;
      });
    }
    if (node === null || typeof node !== "object") return node;
    const result: { [key: string]: JsonValue } = {};
    for (const [key, element] of Object.entries(node)) {
      path.push(key);
      setOwn(result, key, visit(element));
      path.pop();
    }
    return result;
  };
  return visit(value);
}
