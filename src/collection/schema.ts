/**
 * The collection format, version 1, as one valibot schema. `parseCollection` validates with it and
 * `scripts/generate-schema.ts` turns it into `collections/collection.schema.json`, so editors and
 * the validator never disagree. Folders and request items are told apart by their `items` or
 * `request` key; objects are strict (unknown fields are issues).
 */
import * as v from "valibot";
import { compilePattern } from "../assert/regex.ts";
import { BLOCKED_HEADERS_TEXT, isBlockedHeader } from "./blocked-headers.ts";
import { HEADER_TOKEN_PATTERN, isHeaderToken } from "./header-name.ts";
import { isJsonObject, isPlainObject, jsonValueProblem } from "./json-value.ts";
import { closestMatch, describeValue, quote } from "./messages.ts";
import {
  ASSERTION_OPERATORS,
  type Assertion,
  type Collection,
  type Folder,
  type HttpMethod,
  type Item,
  type JsonValue,
  type RequestItem,
  type VariableValue,
} from "./model.ts";
import { boolean, integerIn, mustBe, oneOf, record, strictObject, text } from "./schema-parts.ts";
import { SELECTOR_FORMS, selectorProblem, variableNameProblem } from "./selector-syntax.ts";

/** The HTTP methods a request may use. */
export const HTTP_METHODS = [
  "GET",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "HEAD",
  "OPTIONS",
] as const satisfies readonly HttpMethod[];

/** The JSON types the `type` operator knows. */
export const JSON_TYPE_NAMES = ["string", "number", "boolean", "object", "array", "null"] as const;

/** Deepest folder nesting allowed (a top-level folder is at depth 1). */
export const MAX_FOLDER_DEPTH = 8;

/** Longest timeout or delay, in ms (10 minutes). */
const MAX_MS = 600_000;

// ---------------------------------------------------------------------------------------------
// Values

function jsonValue(field: string, description: string) {
  return v.pipe(
    v.custom<JsonValue>(
      (input) => jsonValueProblem(input) === null,
      (issue) => `${field} must be JSON data: ${jsonValueProblem(issue.input)}`,
    ),
    v.description(description),
  );
}

function variableName(label: string) {
  return v.pipe(
    v.string(),
    v.check(
      (name) => variableNameProblem(name) === null,
      (issue) =>
        `${quote(String(issue.input))} cannot be ${label}: ${variableNameProblem(String(issue.input))}`,
    ),
  );
}

const VariableValueSchema = v.pipe(
  v.custom<VariableValue>(
    (input) =>
      typeof input === "string" ||
      typeof input === "boolean" ||
      (typeof input === "number" && Number.isFinite(input)),
    mustBe("a variable", "a string, a number or a boolean"),
  ),
  v.metadata({ type: ["string", "number", "boolean"] }),
);

const VariablesSchema = v.pipe(
  record("variables", variableName("a variable name"), VariableValueSchema),
  v.description("Collection defaults for variables (lowest precedence): strings, numbers or booleans."),
);

// ---------------------------------------------------------------------------------------------
// Selectors and assertions

const SELECTOR_PATTERN = String.raw`^\s*(status|duration|body|header\s+\S+|var\s+\S.*|\$.*)\s*$`;

function selector(field: string, description: string) {
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

const TEMPLATE = /\{\{[^}]+\}\}/g;

/** Why a `matches` value cannot be used; templates count as one character, as they are expanded first. */
function patternProblem(pattern: string): string | null {
  const compiled = compilePattern(pattern.replace(TEMPLATE, "x"));
  return compiled.ok ? null : compiled.message;
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
      'A regular expression (at most 256 characters) the string value must match. Write "/pattern/i" to ignore case; no other flag exists.',
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
    v.array(jsonValue("a oneOf value", "A candidate value."), mustBe("oneOf", "an array of values")),
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
    v.metadata({ type: ["object", "boolean"] }),
    v.description(
      "A JSON Schema (draft 2020-12 or 7) the value must validate against; remote $refs are never fetched.",
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

const AssertionSchema = assertion(selector("that", `What to test: ${SELECTOR_FORMS}.`));
const SkipIfAssertionSchema = assertion(VariableSelectorSchema);

function assertions(field: string, schema: typeof AssertionSchema, description: string) {
  return v.pipe(v.array(schema, mustBe(field, "an array of assertions")), v.description(description));
}

// ---------------------------------------------------------------------------------------------
// Requests

function headerNameProblem(name: string): string | null {
  if (name.includes("{{"))
    return `header names are literal (never templated): ${quote(name)} cannot be a header name`;
  if (!isHeaderToken(name))
    return `${quote(name)} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`;
  if (isBlockedHeader(name)) {
    if (name.toLowerCase() === "authorization") {
      return `collections cannot set "${name}": the runner attaches the Certn credential itself; use "auth": "certn" or "none"`;
    }
    return `collections cannot set the header "${name}" (blocked in any letter case: ${BLOCKED_HEADERS_TEXT})`;
  }
  return null;
}

const HeaderNameSchema = v.pipe(
  v.string(),
  v.check(
    (name) => headerNameProblem(name) === null,
    (issue) => headerNameProblem(String(issue.input)) ?? "invalid header name",
  ),
  v.metadata({ pattern: HEADER_TOKEN_PATTERN }),
);

function stringValue(field: string) {
  return v.string((issue) => {
    const input = issue.input;
    const hint =
      typeof input === "number" || typeof input === "boolean" ? `; quote it: "${String(input)}"` : "";
    return `${field} must be a string (got ${describeValue(input)})${hint}`;
  });
}

const QueryNameSchema = v.pipe(v.string(), v.minLength(1, "a query parameter name cannot be empty"));
const BODY_KEYS = ["json", "form", "text"] as const;

const RequestSchema = v.pipe(
  strictObject(
    {
      label: "a request",
      requiredHints: {
        method: `one of ${HTTP_METHODS.join(", ")}`,
        url: "a path such as /api/v1/... (resolved against the base URL) or an absolute URL on the same origin",
      },
    },
    {
      method: oneOf("method", HTTP_METHODS, "The HTTP method."),
      url: v.pipe(
        v.string(mustBe("url", "a string")),
        v.minLength(1, "url must not be empty: give a path such as /api/v1/... or an absolute URL"),
        v.description(
          "A path (/api/...) resolved against the base URL, or an absolute URL with exactly the base URL's origin. Templates allowed.",
        ),
      ),
      query: v.exactOptional(
        v.pipe(
          record("query", QueryNameSchema, stringValue("a query value")),
          v.description("Query parameters (values are strings and may hold templates)."),
        ),
      ),
      headers: v.exactOptional(
        v.pipe(
          record("headers", HeaderNameSchema, stringValue("a header value")),
          v.description(
            "Request headers. Names are literal and cannot be Authorization, Cookie, Host, Content-Length, Proxy-*, X-Forwarded-* and similar; values may hold templates.",
          ),
        ),
      ),
      json: v.exactOptional(jsonValue("json", "A JSON body; templates inside strings are expanded.")),
      form: v.exactOptional(
        v.pipe(
          record("form", v.string(), stringValue("a form value")),
          v.description("A body sent as application/x-www-form-urlencoded (values are strings)."),
        ),
      ),
      text: v.exactOptional(v.pipe(v.string(mustBe("text", "a string")), v.description("A text body."))),
    },
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    const value: unknown = dataset.value;
    if (!isPlainObject(value)) return;
    const bodies = BODY_KEYS.filter((key) => Object.hasOwn(value, key));
    const second = bodies[1];
    if (second === undefined) return;
    addIssue({
      message: `a request has at most one body, but this one has ${bodies.map((key) => `"${key}"`).join(" and ")}: keep one of json, form or text`,
      path: [{ type: "object", origin: "key", input: value, key: second, value: value[second] }],
    });
  }),
  v.metadata({
    not: {
      anyOf: [{ required: ["json", "form"] }, { required: ["json", "text"] }, { required: ["form", "text"] }],
    },
  }),
  v.description(
    "The HTTP request: method, url, optional query and headers, and at most one body (json, form or text).",
  ),
);

const PollSchema = v.pipe(
  strictObject(
    { label: "poll", requiredHints: { until: "the assertions that end polling when they all pass" } },
    {
      until: v.pipe(
        v.array(AssertionSchema, mustBe("until", "an array of assertions")),
        v.minLength(1, "until must hold at least one assertion"),
        v.description("Re-send until every one of these passes."),
      ),
      failIf: v.exactOptional(
        assertions("failIf", AssertionSchema, "Fail at once when any of these passes."),
      ),
      intervalMs: v.exactOptional(
        integerIn("intervalMs", 0, MAX_MS, "Wait between attempts, in ms (a longer Retry-After wins)."),
      ),
      maxAttempts: v.exactOptional(
        integerIn("maxAttempts", 1, 1000, "Give up (the item fails) after this many attempts."),
      ),
    },
  ),
  v.description("Re-send the request until `until` passes, `failIf` passes or `maxAttempts` is reached."),
);

const RetrySchema = v.pipe(
  strictObject(
    { label: "retry" },
    {
      retries: v.exactOptional(
        integerIn("retries", 0, 10, "How many times a failed attempt may be retried (0: never)."),
      ),
      retryNonIdempotent: v.exactOptional(
        boolean(
          "retryNonIdempotent",
          "Allow retrying a POST or PATCH after an ambiguous failure (off by default: a POST may order a paid check).",
        ),
      ),
    },
  ),
  v.description("Overrides the transport's retry policy for this item."),
);

const CaptureSchema = v.pipe(
  record("capture", variableName("a capture variable name"), selector("capture", "What to capture.")),
  v.description(`Variables to set from the response: name to selector (${SELECTOR_FORMS}).`),
);

const ItemNameSchema = text("name", 1, 200, "The item's name, shown in results.");
const DescriptionSchema = v.exactOptional(
  v.pipe(v.string(mustBe("description", "a string")), v.description("Free text.")),
);

const RequestItemSchema = v.pipe(
  strictObject(
    { label: "a request item", requiredHints: { name: "1 to 200 characters" } },
    {
      name: ItemNameSchema,
      description: DescriptionSchema,
      request: RequestSchema,
      auth: v.exactOptional(
        oneOf(
          "auth",
          ["certn", "none"],
          '"certn" (default): attach the run\'s Certn credential; "none": send without it.',
        ),
      ),
      capture: v.exactOptional(CaptureSchema),
      assert: v.exactOptional(
        assertions(
          "assert",
          AssertionSchema,
          "Assertions on the response; with no status assertion, a status of 400 or above fails the item.",
        ),
      ),
      poll: v.exactOptional(PollSchema),
      retry: v.exactOptional(RetrySchema),
      timeoutMs: v.exactOptional(
        integerIn("timeoutMs", 1, MAX_MS, "Per-attempt timeout for this item, in ms."),
      ),
      skip: v.exactOptional(boolean("skip", "Report the item as skipped without sending it.")),
      skipIf: v.exactOptional(
        assertions(
          "skipIf",
          SkipIfAssertionSchema,
          'Skip the item when all of these pass (selectors "var NAME" only).',
        ),
      ),
    },
  ),
  v.description("A request item: one HTTP request with its captures and assertions."),
);

// ---------------------------------------------------------------------------------------------
// Items and folders

const ITEM_SHAPES = 'a request item { "name", "request", ... } or a folder { "name", "items" }';

/** Tells folders and request items apart by key before validating, so issues land on the right fields. */
const ItemSchema: v.GenericSchema<unknown, Item> = v.lazy((input): v.GenericSchema<unknown, Item> => {
  if (!isPlainObject(input)) return AnyItemSchema;
  const hasItems = Object.hasOwn(input, "items");
  const hasRequest = Object.hasOwn(input, "request");
  if (hasItems && hasRequest) return BothSchema;
  if (hasItems) return FolderSchema;
  if (hasRequest) return RequestItemSchema;
  return NeitherSchema;
});

const ItemsSchema = v.pipe(
  v.array(ItemSchema, mustBe("items", "an array of request items and folders")),
  v.minLength(1, "items must hold at least one request item or folder"),
  v.description("Request items and folders, run in order."),
);

const FolderSchema = v.pipe(
  strictObject(
    { label: "a folder", requiredHints: { name: "1 to 200 characters" } },
    { name: ItemNameSchema, description: DescriptionSchema, items: ItemsSchema },
  ),
  v.description(`A folder: a named group of items, nested at most ${MAX_FOLDER_DEPTH} deep.`),
);

// Also what the JSON Schema shows for an item (the lazy getter is called without input there).
const AnyItemSchema = v.union(
  [RequestItemSchema, FolderSchema],
  mustBe("an item", `an object: ${ITEM_SHAPES}`),
);

const BothSchema = v.custom<never>(
  () => false,
  'an item cannot have both "request" and "items": a request item has "request", a folder has "items"',
);

const NeitherSchema = v.custom<never>(
  () => false,
  (issue) => {
    const keys = isPlainObject(issue.input) ? Object.keys(issue.input) : [];
    const typo = keys.find((key) => closestMatch(key, ["request", "items"]) !== undefined);
    const hint = typo === undefined ? "" : ` (is ${quote(typo)} a misspelling?)`;
    return `an item needs "request" (a request item) or "items" (a folder)${hint}`;
  },
);

// ---------------------------------------------------------------------------------------------
// The collection

const OptionsSchema = v.pipe(
  strictObject(
    { label: "options" },
    {
      bail: v.exactOptional(boolean("bail", "Stop at the first failed or errored item.")),
      timeoutMs: v.exactOptional(integerIn("timeoutMs", 1, MAX_MS, "Per-attempt timeout, in ms.")),
      delayMs: v.exactOptional(integerIn("delayMs", 0, MAX_MS, "Pause between requests, in ms.")),
      iterations: v.exactOptional(
        integerIn("iterations", 1, 10_000, "How many times to run the collection."),
      ),
      // Six, as a Worker may hold at most six connections open at once (the runner caps it there too).
      concurrency: v.exactOptional(integerIn("concurrency", 1, 6, "How many iterations may run at once.")),
    },
  ),
  v.description("Run defaults; each can be overridden per run."),
);

/** The whole collection (format version 1). Use `parseCollection`, which also checks folder depth. */
export const CollectionSchema = v.pipe(
  strictObject(
    {
      label: "a collection",
      requiredHints: {
        formatVersion: 'add "formatVersion": 1',
        name: "1 to 200 characters",
        items: "a non-empty array of request items and folders",
      },
    },
    {
      $schema: v.exactOptional(
        v.pipe(
          v.string(mustBe("$schema", "a string")),
          v.description("The JSON Schema of this file, for editors."),
        ),
      ),
      formatVersion: v.pipe(
        v.literal(1, (issue) =>
          issue.input === "1"
            ? 'formatVersion must be the number 1, not the string "1"'
            : `formatVersion must be 1 (got ${describeValue(issue.input)}): this version of certn-edge reads format version 1 only`,
        ),
        v.description("Always 1."),
      ),
      name: text("name", 1, 200, "The collection's name."),
      description: DescriptionSchema,
      variables: v.exactOptional(VariablesSchema),
      options: v.exactOptional(OptionsSchema),
      items: ItemsSchema,
    },
  ),
  v.title("certn-edge collection"),
  v.description(
    "A certn-edge collection: a named list of HTTP requests with variables, captures and assertions.",
  ),
);

/**
 * Named parts of {@link CollectionSchema}, so the generated JSON Schema refers to each once
 * (`#/$defs/Assertion`...) instead of repeating it.
 */
export const COLLECTION_SCHEMA_PARTS = {
  Item: AnyItemSchema,
  RequestItem: RequestItemSchema,
  Folder: FolderSchema,
  Request: RequestSchema,
  Assertion: AssertionSchema,
  VariableAssertion: SkipIfAssertionSchema,
  Poll: PollSchema,
  Options: OptionsSchema,
};

// ---------------------------------------------------------------------------------------------
// Compile-time proof that the schema produces exactly the model's shape.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesModel: [
  Same<v.InferOutput<typeof CollectionSchema>, Collection>,
  Same<v.InferOutput<typeof RequestItemSchema>, RequestItem>,
  Same<v.InferOutput<typeof FolderSchema>, Folder>,
  Same<v.InferOutput<typeof AssertionSchema>, Assertion>,
  Same<v.InferOutput<typeof SkipIfAssertionSchema>, Assertion>,
] = [true, true, true, true, true];
void schemaMatchesModel;
