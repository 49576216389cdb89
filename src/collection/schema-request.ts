/** Schemas of a request item's parts: the request, polling, retries and captures (also a wait item's). */
import * as v from "valibot";
import { BLOCKED_HEADERS_TEXT, isBlockedHeader } from "../core/blocked-headers.ts";
import { HEADER_TOKEN_PATTERN, isHeaderToken } from "./header-name.ts";
import { boundedArray } from "./issue-budget.ts";
import { isPlainObject } from "./json-value.ts";
import { describeValue, quote } from "./messages.ts";
import type { HttpMethod } from "./model.ts";
import {
  AssertionSchema,
  assertions,
  MAX_ASSERTIONS,
  SkipIfAssertionSchema,
  selector,
  tooManyAssertions,
} from "./schema-assertion.ts";
import { boolean, integerIn, MAX_MS, mustBe, oneOf, record, strictObject, text } from "./schema-parts.ts";
import { jsonValue, variableName } from "./schema-values.ts";
import { WakeOnSchema } from "./schema-webhook.ts";
import { SELECTOR_FORMS } from "./selector-syntax.ts";

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

/**
 * A header value: a string without CR, LF or NUL, which Fetch refuses in any header value
 * ("contains no 0x00 (NUL) or HTTP newline bytes"), so the run would error the item with
 * `CERTN_INVALID_REQUEST`; refused here instead, at the header's JSON Pointer. A template may still
 * expand to one, which the run then errors.
 */
const HeaderValueSchema = v.pipe(
  stringValue("a header value"),
  v.check(
    (value) => !/[\r\n\0]/.test(value),
    // The value is not shown: a header may carry a key.
    "a header value cannot hold a line break (CR or LF) or a NUL character: an HTTP header is one line",
  ),
  v.metadata({ pattern: "^[^\\r\\n\\u0000]*$" }),
);

const QueryNameSchema = v.pipe(v.string(), v.minLength(1, "a query parameter name cannot be empty"));
const BODY_KEYS = ["json", "form", "text"] as const;

/** The `request` of a request item. */
export const RequestSchema = v.pipe(
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
          record("headers", HeaderNameSchema, HeaderValueSchema),
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

/** Longest `poll.intervalMs`: 24 hours (a durable run sleeps that long without holding anything open). */
export const MAX_POLL_INTERVAL_MS = 86_400_000;

/** `poll`: re-send until a condition holds. */
export const PollSchema = v.pipe(
  strictObject(
    { label: "poll", requiredHints: { until: "the assertions that end polling when they all pass" } },
    {
      until: v.pipe(
        boundedArray(AssertionSchema, mustBe("until", "an array of assertions")),
        v.minLength(1, "until must hold at least one assertion"),
        v.maxLength(MAX_ASSERTIONS, tooManyAssertions("until")),
        v.description("Re-send until every one of these passes."),
      ),
      failIf: v.exactOptional(
        assertions("failIf", AssertionSchema, "Fail at once when any of these passes."),
      ),
      intervalMs: v.exactOptional(
        integerIn(
          "intervalMs",
          0,
          MAX_POLL_INTERVAL_MS,
          "Wait between attempts, in ms, at most 24 h (a longer Retry-After wins; a wakeOn webhook cuts it short).",
        ),
      ),
      maxAttempts: v.exactOptional(
        integerIn("maxAttempts", 1, 1000, "Give up (the item fails) after this many attempts."),
      ),
      wakeOn: v.exactOptional(WakeOnSchema),
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

/** Most selectors one capture may try. */
export const MAX_CAPTURE_SELECTORS = 8;

const CAPTURE_LIST_SIZE = `capture must list 1 to ${MAX_CAPTURE_SELECTORS} selectors, tried in order`;

const CaptureSelectorSchema = selector("capture", "What to capture.");

const CaptureSelectorListSchema = v.pipe(
  boundedArray(selector("capture", "A selector to try."), mustBe("capture", "an array of selectors")),
  v.minLength(1, `${CAPTURE_LIST_SIZE} (got an empty array)`),
  v.maxLength(MAX_CAPTURE_SELECTORS, (issue) => {
    const count = Array.isArray(issue.input) ? issue.input.length : 0;
    return `${CAPTURE_LIST_SIZE} (got ${count})`;
  }),
  v.description("Selectors tried in order: the first that selects something is captured."),
);

/** What one capture takes: a selector, or a list meaning "the first that selects something". */
export const CaptureSelectorsSchema = v.pipe(
  v.union(
    [CaptureSelectorSchema, CaptureSelectorListSchema],
    mustBe(
      "capture",
      `a selector (${SELECTOR_FORMS}) or an array of 1 to ${MAX_CAPTURE_SELECTORS} selectors`,
    ),
  ),
  v.description(
    `A selector (${SELECTOR_FORMS}), or an array of 1 to ${MAX_CAPTURE_SELECTORS} selectors of which the first that selects something is captured.`,
  ),
);

// Picks the form by the value's type, so an issue points into the array (the union is what the
// JSON Schema shows: its lazy getter is called without input there).
const CaptureValueSchema: v.GenericSchema<unknown, string | string[]> = v.lazy(
  (input): v.GenericSchema<unknown, string | string[]> => {
    if (Array.isArray(input)) return CaptureSelectorListSchema;
    if (typeof input === "string") return CaptureSelectorSchema;
    return CaptureSelectorsSchema;
  },
);

/**
 * Most variables one item's `capture` sets: each selection is masked and copied whole, so their
 * number bounds an item's work as {@link MAX_ASSERTIONS} does its assertions'.
 */
export const MAX_CAPTURES = 100;

/** An item's `capture`: variable name to selector (or selectors, the first that selects wins). */
export const CaptureSchema = v.pipe(
  record("capture", variableName("a capture variable name"), CaptureValueSchema),
  v.maxEntries(
    MAX_CAPTURES,
    (issue) =>
      `capture sets at most ${MAX_CAPTURES} variables (got ${Object.keys(issue.input as object).length}): capture a whole object once, or split the item`,
  ),
  v.description(
    `Variables to set from the response: name to selector (${SELECTOR_FORMS}), or to an array of selectors of which the first that selects something is captured.`,
  ),
);

/** An item's or folder's name. */
export const ItemNameSchema = text("name", 1, 200, "The item's name, shown in results.");
/** An optional free-text description. */
export const DescriptionSchema = v.exactOptional(
  v.pipe(v.string(mustBe("description", "a string")), v.description("Free text.")),
);

/** A request item. */
export const RequestItemSchema = v.pipe(
  strictObject(
    {
      label: "a request item",
      requiredHints: { name: "1 to 200 characters" },
      unknownKey: (key) =>
        key === "wakeOn"
          ? 'wakeOn belongs inside "poll": "poll": { "until": [...], "wakeOn": {...} }'
          : undefined,
    },
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
