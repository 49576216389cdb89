/** Schemas of selectors and assertions (`{ "that": SELECTOR, OPERATOR: VALUE }`). */
import * as v from "valibot";
import { isRecord } from "../core/json.ts";
import { forEachSubschema, type SchemaPath, schemaPatterns } from "../syntax/json-schema-walk.ts";
import { JSON_TYPE_NAMES } from "../syntax/json-type.ts";
import { compilePattern, compileSchemaPattern } from "../syntax/regex.ts";
import { boundedArray } from "./issue-budget.ts";
import { isJsonObject, isPlainObject } from "./json-value.ts";
import { quote } from "./messages.ts";
import { ASSERTION_OPERATORS, type JsonValue } from "./model.ts";
import { boolean, integerIn, type Message, mustBe, oneOf, strictObject, text } from "./schema-parts.ts";
import { jsonValue } from "./schema-values.ts";
import { SELECTOR_FORMS, selectorProblem } from "./selector-syntax.ts";
import { replaceTemplates } from "./template.ts";

const SELECTOR_PATTERN = String.raw`^\s*(status|duration|body|header\s+\S+|var\s+\S.*|\$.*)\s*$`;

/** A selector string (`status`, `duration`, `body`, `header NAME`, `var NAME`, `$...`), syntax-checked. */
export function selector(field: string, description: string) {
  return v.pipe(
    v.string(mustBe(field, `a selector: ${SELECTOR_FORMS}`)),
    v.check(
      (input) => selectorProblem(input) === null,
      (issue) => `${field}: ${selectorProblem(String(issue.input))}`,
    ),
    v.metadata({ pattern: SELECTOR_PATTERN }),
    v.description(description),
  );
}

const VAR_PATTERN = String.raw`^\s*var\s+\S.*$`;

const VariableSelectorSchema = v.pipe(
  v.string(mustBe("that", 'a variable selector "var NAME"')),
  v.check(
    (input) => /^\s*var(\s|$)/.test(input) && selectorProblem(input) === null,
    (issue) => {
      const input = String(issue.input);
      if (!/^\s*var(\s|$)/.test(input)) {
        return `skipIf runs before the request, so it can only test variables: "that" must be "var NAME" (got ${quote(input)})`;
      }
      return `that: ${selectorProblem(input)}`;
    },
  ),
  v.metadata({ pattern: VAR_PATTERN }),
  v.description('A variable selector: "var NAME".'),
);

/** Why a `matches` value cannot be used; templates count as one character, as they are expanded first. */
function patternProblem(pattern: string): string | null {
  const compiled = compilePattern(replaceTemplates(pattern, "x"));
  return compiled.ok ? null : compiled.message;
}

/** One problem with a `schema` value, and where it is inside the schema. */
interface SchemaProblem {
  path: SchemaPath;
  message: string;
}

/**
 * What in a `schema` value cannot run: a pattern RE2 cannot express (each named, with its JSON
 * Pointer), or a `$ref` into `patternProperties`, whose names the assertion rewrites.
 */
function schemaProblems(schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const { pattern, path } of schemaPatterns(schema)) {
    const compiled = compileSchemaPattern(pattern);
    if (!compiled.ok) problems.push({ path, message: compiled.message });
  }
  forEachSubschema(schema, (subschema, path) => {
    const ref = subschema.$ref;
    if (typeof ref === "string" && /\/patternProperties(\/|$)/.test(ref)) {
      problems.push({
        path: [...path, "$ref"],
        message: `$ref "${ref}" points into patternProperties, which is not supported: move that schema under $defs and refer to it there`,
      });
    }
  });
  return problems;
}

/** Valibot path items for a path inside `root`, so an issue's JSON Pointer reaches the offending field. */
function pathItems(root: unknown, path: SchemaPath): v.IssuePathItem[] {
  const items: v.IssuePathItem[] = [];
  let input: unknown = root;
  for (const key of path) {
    if (Array.isArray(input) && typeof key === "number") {
      items.push({ type: "array", origin: "value", input, key, value: input[key] });
      input = input[key];
    } else if (isRecord(input)) {
      const name = String(key);
      items.push({ type: "object", origin: "value", input, key: name, value: input[name] });
      input = input[name];
    }
  }
  return items;
}

const OPERATOR_VALUES = {
  equals: jsonValue(
    "equals",
    'Passes when the value deep-equals this (templates expanded); for "status", "2xx" also works.',
  ),
  notEquals: jsonValue("notEquals", "Passes when the value does not deep-equal this."),
  exists: boolean("exists", "true: the selector yields something; false: it yields nothing."),
  type: oneOf("type", JSON_TYPE_NAMES, "The JSON type the value must have."),
  matches: v.pipe(
    v.string(mustBe("matches", "a regular expression, as a string")),
    v.check(
      (input) => patternProblem(input) === null,
      (issue) => `matches: ${patternProblem(String(issue.input))}`,
    ),
    v.description(
      'A regular expression (at most 256 characters, JavaScript syntax without backreferences or lookaround, run on a linear-time engine) the string value must match. Write "/pattern/i" to ignore case; no other flag exists.',
    ),
  ),
  contains: jsonValue("contains", "A substring of the string value, or an element of the array value."),
  notContains: jsonValue(
    "notContains",
    "Must not be a substring of the string value, nor an element of the array value.",
  ),
  startsWith: v.pipe(
    v.string(mustBe("startsWith", "a string")),
    v.description("A prefix of the string value."),
  ),
  endsWith: v.pipe(v.string(mustBe("endsWith", "a string")), v.description("A suffix of the string value.")),
  oneOf: v.pipe(
    boundedArray(jsonValue("a oneOf value", "A candidate value."), mustBe("oneOf", "an array of values")),
    v.minLength(1, "oneOf must list at least one value"),
    v.description("Passes when the value deep-equals one of these."),
  ),
  lessThan: finiteNumber("lessThan", "The value must be a number below this."),
  lessThanOrEqual: finiteNumber("lessThanOrEqual", "The value must be a number at most this."),
  greaterThan: finiteNumber("greaterThan", "The value must be a number above this."),
  greaterThanOrEqual: finiteNumber("greaterThanOrEqual", "The value must be a number at least this."),
  length: integerIn("length", 0, Number.MAX_SAFE_INTEGER, "The length the string or array value must have."),
  schema: v.pipe(
    v.custom<{ [key: string]: JsonValue } | boolean>(
      (input) => typeof input === "boolean" || isJsonObject(input),
      mustBe("schema", "a JSON Schema (an object, or true / false)"),
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const schema: unknown = dataset.value;
      for (const problem of schemaProblems(schema)) {
        const [first, ...rest] = pathItems(schema, problem.path);
        const message = `schema: ${problem.message}`;
        addIssue(first === undefined ? { message } : { message, path: [first, ...rest] });
      }
    }),
    v.metadata({ type: ["object", "boolean"] }),
    v.description(
      "A JSON Schema (draft 2020-12 or 7) the value must validate against; remote $refs are never fetched. Its patterns run on a linear-time engine: no backreferences or lookaround.",
    ),
  ),
} as const;

function finiteNumber(field: string, description: string) {
  return v.pipe(
    v.number(mustBe(field, "a number")),
    v.finite(mustBe(field, "a finite number")),
    v.description(description),
  );
}

const OPERATOR_LIST = ASSERTION_OPERATORS.join(", ");

function isOperator(key: string): boolean {
  return (ASSERTION_OPERATORS as readonly string[]).includes(key);
}

function assertion(that: v.GenericSchema<unknown, string>) {
  return v.pipe(
    strictObject(
      { label: "an assertion", requiredHints: { that: `the selector to test: ${SELECTOR_FORMS}` } },
      {
        that,
        name: v.exactOptional(text("name", 1, 200, "A name for this assertion in reports.")),
        ...Object.fromEntries(ASSERTION_OPERATORS.map((op) => [op, v.exactOptional(OPERATOR_VALUES[op])])),
      } as {
        that: typeof that;
        name: v.ExactOptionalSchema<ReturnType<typeof text>, undefined>;
      } & {
        [K in keyof typeof OPERATOR_VALUES]: v.ExactOptionalSchema<(typeof OPERATOR_VALUES)[K], undefined>;
      },
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      const value: unknown = dataset.value;
      if (!isPlainObject(value)) return;
      const operators = Object.keys(value).filter(isOperator);
      const second = operators[1];
      if (second !== undefined) {
        addIssue({
          message: `an assertion has exactly one operator, but this one has ${operators.map((op) => `"${op}"`).join(" and ")}: split it into one assertion per operator`,
          path: [{ type: "object", origin: "key", input: value, key: second, value: value[second] }],
        });
      } else if (operators.length === 0 && !dataset.issues?.some((issue) => issue.expected === "never")) {
        addIssue({ message: `an assertion needs one operator: ${OPERATOR_LIST}` });
      }
    }),
    v.metadata({ oneOf: ASSERTION_OPERATORS.map((op) => ({ required: [op] })) }),
    v.description(
      `{ "that": SELECTOR, OPERATOR: VALUE, "name"?: "..." } with exactly one operator: ${OPERATOR_LIST}.`,
    ),
  );
}

/** An assertion on the response (`assert`, `poll.until`, `poll.failIf`). */
export const AssertionSchema = assertion(selector("that", `What to test: ${SELECTOR_FORMS}.`));
/** An assertion on a variable (`skipIf`), tested before the request. */
export const SkipIfAssertionSchema = assertion(VariableSelectorSchema);

/**
 * Most assertions one list (`assert`, `poll.until`, `poll.failIf`, `skipIf`) may hold. A JSONPath's
 * work budget holds for one evaluation only, and poll conditions run again at every attempt, so
 * without this count an item's CPU had no bound. A hundred is far more than a hand-written item
 * needs.
 */
export const MAX_ASSERTIONS = 100;

/** The issue for a list of assertions longer than {@link MAX_ASSERTIONS}. */
export function tooManyAssertions(field: string): Message {
  return (issue) => {
    const count = Array.isArray(issue.input) ? issue.input.length : 0;
    return `${field} holds at most ${MAX_ASSERTIONS} assertions (got ${count}): test a whole object at once with "equals" or "schema", or split the item`;
  };
}

/** A list of at most {@link MAX_ASSERTIONS} assertions. */
export function assertions(field: string, schema: typeof AssertionSchema, description: string) {
  return v.pipe(
    boundedArray(schema, mustBe(field, "an array of assertions")),
    v.maxLength(MAX_ASSERTIONS, tooManyAssertions(field)),
    v.description(description),
  );
}
