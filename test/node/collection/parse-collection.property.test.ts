import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/collection/parse.ts";

/** The value a JSON Pointer designates, or undefined when it goes nowhere. */
function resolvePointer(root: unknown, pointer: string): { found: boolean; value?: unknown } {
  if (pointer === "") return { found: true, value: root };
  let current: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key))
      return { found: false };
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true, value: current };
}

/** Every issue points into the input: at an existing field, or at a missing field of an existing object. */
function expectIssuesPointIntoInput(input: unknown): void {
  const result = parseCollection(input);
  if (result.ok) return;
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(issue.message.length).toBeGreaterThan(0);
    if (issue.path === "") continue;
    expect(issue.path.startsWith("/")).toBe(true);
    const parent = issue.path.slice(0, issue.path.lastIndexOf("/"));
    expect(resolvePointer(input, issue.path).found || resolvePointer(input, parent).found).toBe(true);
  }
}

const KEYS = [
  "name",
  "request",
  "items",
  "method",
  "url",
  "headers",
  "json",
  "assert",
  "that",
  "equals",
  "capture",
  "skipIf",
  "poll",
  "until",
  "formatVersion",
  "variables",
  "options",
  "retry",
  "timeoutMs",
  "description",
];
const scalar = fc.oneof(
  fc.constantFrom(
    "GET",
    "POST",
    "FETCH",
    "/x",
    "",
    "status",
    "$.a",
    "var x",
    "header Host",
    "$[",
    1,
    0,
    -1,
    8.5,
    true,
    null,
  ),
  fc.string(),
);

/** Objects shaped roughly like collections: the right keys with random, often wrong, values. */
const collectionLike = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalar, tie("object"), fc.array(tie("value"), { maxLength: 3 })),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 6 }),
})).object;

const method = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
const name = fc.string({ minLength: 1, maxLength: 40 });
const assertion = fc.oneof(
  fc.record({ that: fc.constant("status"), equals: fc.integer({ min: 100, max: 599 }) }),
  fc.record({ that: fc.constantFrom("$.id", "$['a b'][0]", "$..x", "body"), exists: fc.boolean() }),
  fc.record({ that: fc.constant("duration"), lessThan: fc.integer() }),
  fc.record({
    that: fc.constant("header content-type"),
    matches: fc.constantFrom("json", "/JSON/i", "^a{{v}}$"),
  }),
  fc.record({ that: fc.constant("$.tags"), oneOf: fc.array(fc.jsonValue(), { minLength: 1, maxLength: 3 }) }),
);
const requestItem = fc.record(
  {
    name,
    request: fc.record(
      {
        method,
        url: fc.string({ minLength: 1 }),
        headers: fc.dictionary(fc.constantFrom("Accept", "X-Id", "Content-Type"), fc.string()),
        json: fc.jsonValue({ maxDepth: 4 }),
      },
      { requiredKeys: ["method", "url"] },
    ),
    assert: fc.array(assertion, { maxLength: 3 }),
    capture: fc.dictionary(
      fc.constantFrom("id", "token"),
      fc.constantFrom("$.id", "status", "header location"),
    ),
    auth: fc.constantFrom("certn", "none"),
    skip: fc.boolean(),
  },
  { requiredKeys: ["name", "request"] },
);
const validItems = fc.letrec((tie) => ({
  item: fc.oneof({ depthSize: "small", maxDepth: 4 }, requestItem, tie("folder")),
  folder: fc.record({ name, items: fc.array(tie("item"), { minLength: 1, maxLength: 3 }) }),
})).item;
const validCollection = fc.record({
  formatVersion: fc.constant(1),
  name,
  variables: fc.dictionary(
    fc
      .string({ minLength: 1 })
      .filter(
        (k) => !/[{}]/.test(k) && k.trim() !== "" && !["__proto__", "constructor", "prototype"].includes(k),
      ),
    fc.oneof(fc.string(), fc.integer(), fc.boolean()),
  ),
  items: fc.array(validItems, { minLength: 1, maxLength: 4 }),
});

describe("parseCollection properties", () => {
  it("never throws on arbitrary JSON values, and its issues point into the input", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectIssuesPointIntoInput(value)),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const result = parseCollection(text);
        if (!result.ok) expect(result.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on collection-like objects, and its issues point into the input", () => {
    fc.assert(
      fc.property(collectionLike, (object) => expectIssuesPointIntoInput({ formatVersion: 1, ...object })),
      { numRuns: 1000 },
    );
  });

  it("accepts generated valid collections unchanged, as values and as text", () => {
    fc.assert(
      fc.property(validCollection, (collection) => {
        expect(parseCollection(collection)).toEqual({ ok: true, collection });
        const text = JSON.stringify(collection);
        expect(parseCollection(text)).toEqual({ ok: true, collection: JSON.parse(text) });
      }),
      { numRuns: 300 },
    );
  });
});
