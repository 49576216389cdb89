import * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { Collection } from "../../../src/collection/model.ts";
import { parseCollection } from "../../../src/collection/parse.ts";
import { CollectionSchema } from "../../../src/collection/schema.ts";

/** The example of collection-format.md, completed into a whole collection. */
const EXAMPLE: Collection = {
  $schema: "./collection.schema.json",
  formatVersion: 1,
  name: "HR quick screen",
  description: "Orders a softcheck for one applicant and waits for the result.",
  variables: { email: "jane.doe@example.com", pageSize: 5, dryRunOnly: false },
  options: { bail: false, timeoutMs: 30000, delayMs: 0, iterations: 1, concurrency: 1 },
  items: [
    {
      name: "Applicants",
      description: "A folder",
      items: [
        {
          name: "Screen an applicant",
          request: {
            method: "POST",
            url: "/api/v1/hr/applications/quick/",
            headers: { "Accept-Language": "en" },
            json: {
              request_softcheck: true,
              owner_id: "{{ownerId}}",
              email: "{{email}}",
              information: { first_name: "{{firstName}}", last_name: "{{lastName}}" },
              position_or_property_location: { city: "Victoria", province_state: "BC", country: "CA" },
            },
          },
          auth: "certn",
          capture: { applicantId: "$.id", location: "header location" },
          assert: [
            { that: "status", equals: 201 },
            { that: "$.status", equals: "Analyzing" },
            { that: "$.information.first_name", equals: "{{firstName}}" },
            { that: "duration", lessThan: 5000 },
          ],
          retry: { retries: 0 },
          timeoutMs: 30000,
          skipIf: [{ that: "var dryRunOnly", equals: true }],
        },
        {
          name: "Wait for the report",
          request: { method: "GET", url: "/api/v1/hr/applicants/{{applicantId}}/", query: { page: "1" } },
          poll: {
            until: [{ that: "$.report_status", equals: "COMPLETE" }],
            failIf: [{ that: "$.report_status", oneOf: ["ERROR", "CANCELLED"] }],
            intervalMs: 2000,
            maxAttempts: 30,
          },
          assert: [
            { that: "body", type: "object", name: "a JSON object" },
            { that: "$.results[?@.status == 'Pending'].id", exists: false },
            { that: "header content-type", matches: "/^application\\/json/i" },
            { that: "$.tags", contains: "x" },
            { that: "$.tags", notContains: "y" },
            { that: "$.id", startsWith: "a" },
            { that: "$.id", endsWith: "z" },
            { that: "$.score", greaterThanOrEqual: 0 },
            { that: "$.score", lessThanOrEqual: 100 },
            { that: "$.score", greaterThan: -1 },
            { that: "$.results", length: 0 },
            { that: "$.id", notEquals: null },
            { that: "body", schema: { type: "object", required: ["id"] } },
            { that: "var pageSize", equals: "{{pageSize}}" },
          ],
        },
      ],
    },
    {
      name: "Form",
      request: { method: "PUT", url: "https://demo-api.certn.co/x", form: { a: "1" } },
      auth: "none",
    },
    { name: "Text", request: { method: "PATCH", url: "/x", text: "hello" }, skip: true },
    { name: "Other methods", request: { method: "OPTIONS", url: "/x" } },
  ],
};

function issuesOf(input: unknown): { path: string; message: string }[] {
  const result = parseCollection(input);
  if (result.ok) throw new Error("expected issues, but the collection was accepted");
  return result.issues;
}

/** A valid collection with one request item, changed by `change`. */
function withItem(change: Record<string, unknown>): Record<string, unknown> {
  return {
    formatVersion: 1,
    name: "c",
    items: [{ name: "r", request: { method: "GET", url: "/x" }, ...change }],
  };
}

function withRequest(change: Record<string, unknown>): Record<string, unknown> {
  return withItem({ request: { method: "GET", url: "/x", ...change } });
}

describe("parseCollection: valid collections", () => {
  it("accepts the complete example and returns the same data", () => {
    const result = parseCollection(EXAMPLE);
    expect(result).toEqual({ ok: true, collection: EXAMPLE });
  });

  it("accepts the same collection as JSON text, with or without a byte-order mark", () => {
    const text = JSON.stringify(EXAMPLE, null, 2);
    expect(parseCollection(text)).toEqual({ ok: true, collection: EXAMPLE });
    expect(parseCollection(`\uFEFF${text}`)).toEqual({ ok: true, collection: EXAMPLE });
  });

  it("accepts folders nested exactly 8 deep", () => {
    let items: unknown[] = [{ name: "leaf", request: { method: "GET", url: "/" } }];
    for (let depth = 8; depth >= 1; depth--) items = [{ name: `f${depth}`, items }];
    expect(parseCollection({ formatVersion: 1, name: "deep", items }).ok).toBe(true);
  });

  it("does not add absent optional fields to the output", () => {
    const result = parseCollection(withItem({}));
    expect(result.ok && result.collection).toEqual(withItem({}));
  });
});

describe("parseCollection: issues point at the deepest field and say how to fix it", () => {
  it.each([
    [
      withRequest({ method: "FETCH" }),
      "/items/0/request/method",
      'method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS (got "FETCH")',
    ],
    [withRequest({ method: "get" }), "/items/0/request/method", 'letter case matters: write "GET"'],
    [withRequest({ url: "" }), "/items/0/request/url", "url must not be empty"],
    [withRequest({ url: 42 }), "/items/0/request/url", "url must be a string (got 42)"],
    [
      withRequest({ query: { page: 2 } }),
      "/items/0/request/query/page",
      'a query value must be a string (got 2); quote it: "2"',
    ],
    [withRequest({ query: ["a"] }), "/items/0/request/query", "query must be an object (got an array)"],
    [
      withRequest({ headers: { "Bad Name": "x" } }),
      "/items/0/request/headers/Bad Name",
      '"Bad Name" is not a valid header name',
    ],
    [
      withRequest({ headers: { "X-{{h}}": "x" } }),
      "/items/0/request/headers/X-{{h}}",
      "header names are literal (never templated)",
    ],
    [
      withRequest({ headers: { authorization: "x" } }),
      "/items/0/request/headers/authorization",
      'use "auth": "certn" or "none"',
    ],
    [withRequest({ json: { a: 1 }, text: "x" }), "/items/0/request/text", 'this one has "json" and "text"'],
    [withRequest({ form: { a: 1 } }), "/items/0/request/form/a", "a form value must be a string (got 1)"],
    [
      withRequest({ body: "x" }),
      "/items/0/request/body",
      'unknown field "body"; a request has: method, url, query, headers, json, form, text',
    ],
    [
      withItem({ reqeust: 1 }),
      "/items/0/reqeust",
      'unknown field "reqeust" (did you mean "request"?); a request item has: name, description, request, auth, capture, assert, poll, retry, timeoutMs, skip, skipIf',
    ],
    [withItem({ auth: "bearer" }), "/items/0/auth", 'auth must be one of certn, none (got "bearer")'],
    [
      withItem({ name: "" }),
      "/items/0/name",
      "name must be a string of 1 to 200 characters (got an empty string)",
    ],
    [withItem({ name: "n".repeat(201) }), "/items/0/name", "(got 201 characters)"],
    [
      withItem({ timeoutMs: 0 }),
      "/items/0/timeoutMs",
      "timeoutMs must be a whole number from 1 to 600000 (got 0)",
    ],
    [withItem({ timeoutMs: 1.5 }), "/items/0/timeoutMs", "whole number"],
    [withItem({ skip: "yes" }), "/items/0/skip", 'skip must be true or false (got "yes")'],
    [
      withItem({ retry: { retries: 11 } }),
      "/items/0/retry/retries",
      "retries must be a whole number from 0 to 10 (got 11)",
    ],
    [
      withItem({ retry: { retryNonIdempotent: 1 } }),
      "/items/0/retry/retryNonIdempotent",
      "must be true or false",
    ],
    [withItem({ poll: {} }), "/items/0/poll/until", 'poll needs "until"'],
    [withItem({ poll: { until: [] } }), "/items/0/poll/until", "until must hold at least one assertion"],
    [
      withItem({ poll: { until: [{ that: "status", equals: 200 }], maxAttempts: 1001 } }),
      "/items/0/poll/maxAttempts",
      "from 1 to 1000",
    ],
    [
      withItem({ poll: { until: [{ that: "status", equals: 200 }], intervalMs: -1 } }),
      "/items/0/poll/intervalMs",
      "from 0 to 86400000",
    ],
    [withItem({ capture: { id: "id" } }), "/items/0/capture/id", 'unknown selector "id"'],
    [
      withItem({ capture: { "{{x}}": "$.id" } }),
      "/items/0/capture/{{x}}",
      "a variable name cannot hold { or }",
    ],
    [
      withItem({ assert: [{ that: "stauts", equals: 200 }] }),
      "/items/0/assert/0/that",
      'unknown selector "stauts" (did you mean "status"?)',
    ],
    [
      withItem({ assert: [{ that: "header", exists: true }] }),
      "/items/0/assert/0/that",
      '"header" needs a header name',
    ],
    [
      withItem({ assert: [{ that: "$.a[", exists: true }] }),
      "/items/0/assert/0/that",
      'invalid JSONPath "$.a["',
    ],
    [
      withItem({ assert: [{ that: "status" }] }),
      "/items/0/assert/0",
      "an assertion needs one operator: equals, notEquals, exists",
    ],
    [
      withItem({ assert: [{ that: "status", equals: 200, exists: true }] }),
      "/items/0/assert/0/exists",
      'this one has "equals" and "exists"',
    ],
    [
      withItem({ assert: [{ that: "status", equal: 200 }] }),
      "/items/0/assert/0/equal",
      'unknown field "equal" (did you mean "equals"?)',
    ],
    [withItem({ assert: [{ equals: 200 }] }), "/items/0/assert/0/that", 'an assertion needs "that"'],
    [
      withItem({ assert: [{ that: "$.a", exists: "yes" }] }),
      "/items/0/assert/0/exists",
      "exists must be true or false",
    ],
    [
      withItem({ assert: [{ that: "$.a", type: "integer" }] }),
      "/items/0/assert/0/type",
      "type must be one of string, number, boolean, object, array, null",
    ],
    [
      withItem({ assert: [{ that: "$.a", matches: "((" }] }),
      "/items/0/assert/0/matches",
      "invalid regular expression",
    ],
    [withItem({ assert: [{ that: "$.a", matches: "/a/g" }] }), "/items/0/assert/0/matches", 'only "i"'],
    [
      withItem({ assert: [{ that: "$.a", matches: "a".repeat(257) }] }),
      "/items/0/assert/0/matches",
      "at most 256",
    ],
    [
      withItem({ assert: [{ that: "$.a", lessThan: "5" }] }),
      "/items/0/assert/0/lessThan",
      'lessThan must be a number (got "5")',
    ],
    [
      withItem({ assert: [{ that: "$.a", length: -1 }] }),
      "/items/0/assert/0/length",
      "length must be a whole number",
    ],
    [
      withItem({ assert: [{ that: "$.a", oneOf: "x" }] }),
      "/items/0/assert/0/oneOf",
      "oneOf must be an array of values",
    ],
    [
      withItem({ assert: [{ that: "$.a", oneOf: [] }] }),
      "/items/0/assert/0/oneOf",
      "oneOf must list at least one value",
    ],
    [
      withItem({ assert: [{ that: "$.a", schema: "string" }] }),
      "/items/0/assert/0/schema",
      "schema must be a JSON Schema",
    ],
    [
      withItem({ assert: [{ that: "$.a", startsWith: 1 }] }),
      "/items/0/assert/0/startsWith",
      "startsWith must be a string",
    ],
    [withItem({ assert: { that: "status" } }), "/items/0/assert", "assert must be an array of assertions"],
    [
      withItem({ skipIf: [{ that: "status", equals: 200 }] }),
      "/items/0/skipIf/0/that",
      'it can only test variables: "that" must be "var NAME" (got "status")',
    ],
    [
      withItem({ skipIf: [{ that: "var ", equals: 1 }] }),
      "/items/0/skipIf/0/that",
      '"var" needs a variable name',
    ],
  ])("%j -> %s", (input, path, message) => {
    const issues = issuesOf(input);
    expect(issues).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it("reports collection-level problems at their fields", () => {
    const issues = issuesOf({
      formatVersion: 2,
      name: "",
      variables: { a: null },
      options: { concurrency: 7 },
      items: [],
      extra: 1,
    });
    expect(issues).toEqual([
      {
        path: "/formatVersion",
        message: "formatVersion must be 1 (got 2): this version of certn-edge reads format version 1 only",
      },
      { path: "/name", message: "name must be a string of 1 to 200 characters (got an empty string)" },
      { path: "/variables/a", message: "a variable must be a string, a number or a boolean (got null)" },
      { path: "/options/concurrency", message: "concurrency must be a whole number from 1 to 6 (got 7)" },
      { path: "/items", message: "items must hold at least one request item, wait item or folder" },
      {
        path: "/extra",
        message:
          'unknown field "extra"; a collection has: $schema, formatVersion, name, description, variables, options, items',
      },
    ]);
  });

  it("says when formatVersion is missing or a string", () => {
    expect(issuesOf({ name: "c", items: [{ name: "r", request: { method: "GET", url: "/" } }] })).toEqual([
      { path: "/formatVersion", message: 'a collection needs "formatVersion": add "formatVersion": 1' },
    ]);
    expect(issuesOf({ ...withItem({}), formatVersion: "1" })).toEqual([
      { path: "/formatVersion", message: 'formatVersion must be the number 1, not the string "1"' },
    ]);
  });

  it("tells folders and request items apart by key", () => {
    const issues = issuesOf({
      formatVersion: 1,
      name: "c",
      items: [
        { name: "both", request: { method: "GET", url: "/" }, items: [] },
        { name: "neither", reqeust: {} },
        { name: "folder", items: [{ name: "r", request: { method: "GET" } }], request: undefined },
        "not an object",
        { name: "empty folder", items: [] },
        { name: "folder", items: [{ name: "inner", request: { method: "GET", url: "/" }, extra: true }] },
      ],
    });
    expect(issues).toEqual([
      {
        path: "/items/0",
        message: expect.stringContaining('an item cannot have both "request" and "items"'),
      },
      {
        path: "/items/1",
        message:
          'an item needs "request" (a request item), "wait" (a wait item) or "items" (a folder) (is "reqeust" a misspelling?)',
      },
      { path: "/items/2", message: expect.stringContaining("cannot have both") },
      {
        path: "/items/3",
        message: expect.stringContaining(
          'an item must be an object: a request item { "name", "request", ... }, a wait item',
        ),
      },
      { path: "/items/4/items", message: "items must hold at least one request item, wait item or folder" },
      {
        path: "/items/5/items/0/extra",
        message: expect.stringContaining('unknown field "extra"; a request item has:'),
      },
    ]);
  });

  it("allows $schema only at the top level and description on items and folders", () => {
    expect(parseCollection({ ...withItem({ description: "d" }), $schema: "x" }).ok).toBe(true);
    expect(issuesOf(withItem({ $schema: "x" }))).toEqual([
      { path: "/items/0/$schema", message: expect.stringContaining('unknown field "$schema"') },
    ]);
  });

  it("refuses every blocked header in any letter case", () => {
    const blocked = [
      "Authorization",
      "PROXY-AUTHORIZATION",
      "cookie",
      "Host",
      "content-length",
      "Transfer-Encoding",
      "connection",
      "Forwarded",
      "x-forwarded-for",
      "X-Forwarded-Host",
      "Proxy-Connection",
      "x-http-method-override",
    ];
    const headers = Object.fromEntries(blocked.map((name) => [name, "v"]));
    const issues = issuesOf(withRequest({ headers }));
    expect(issues.map((issue) => issue.path)).toEqual(
      blocked.map((name) => `/items/0/request/headers/${name}`),
    );
    expect(
      parseCollection(withRequest({ headers: { "X-Forwarded": "ok", Hostname: "ok", Cookies: "ok" } })).ok,
    ).toBe(true);
  });

  it("refuses folders nested deeper than 8, at the folder that is too deep", () => {
    let items: unknown[] = [{ name: "leaf", request: { method: "GET", url: "/" } }];
    for (let depth = 9; depth >= 1; depth--) items = [{ name: `f${depth}`, items }];
    const pointer = `${"/items/0".repeat(9)}`;
    expect(issuesOf({ formatVersion: 1, name: "deep", items })).toEqual([
      {
        path: pointer,
        message: "folders nest at most 8 deep, and this one is at depth 9: move its items up a level",
      },
    ]);
  });

  it("escapes ~ and / in JSON Pointers", () => {
    const issues = issuesOf(withItem({ capture: { "a/b~c": "nope" } }));
    expect(issues).toEqual([
      { path: "/items/0/capture/a~1b~0c", message: expect.stringContaining('unknown selector "nope"') },
    ]);
  });

  it("refuses JSON values that are not data", () => {
    expect(issuesOf(withRequest({ json: { a: undefined } }))).toEqual([
      { path: "/items/0/request/json", message: "json must be JSON data: it holds undefined" },
    ]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(issuesOf(withItem({ assert: [{ that: "body", equals: cyclic }] }))).toEqual([
      {
        path: "/items/0/assert/0/equals",
        message: "equals must be JSON data: it refers to itself (a cycle)",
      },
    ]);
    expect(issuesOf(withItem({ assert: [{ that: "$.n", lessThan: Number.NaN }] }))[0]?.path).toBe(
      "/items/0/assert/0/lessThan",
    );
  });

  it("accepts matches patterns with templates and the /pattern/i form", () => {
    const ok = withItem({
      assert: [
        { that: "$.a", matches: "^{{prefix}}-\\d+$" },
        { that: "$.a", matches: "/^abc$/i" },
      ],
    });
    expect(parseCollection(ok).ok).toBe(true);
  });

  it("refuses names that records would silently drop", () => {
    const variables = JSON.parse('{"__proto__": 1, "ok": 2}') as unknown;
    expect(issuesOf({ ...withItem({}), variables })).toEqual([
      { path: "/variables/__proto__", message: '"__proto__" cannot be used as a name in variables' },
    ]);
  });
});

describe("parseCollection: JSON text and odd inputs", () => {
  it("locates a JSON syntax error with one issue at path ''", () => {
    expect(parseCollection('{\n  "a": 1,\n  "b": [1, 2,]\n}')).toEqual({
      ok: false,
      issues: [
        {
          path: "",
          message:
            'invalid JSON at line 3, column 14 (position 25): a comma before "]" (trailing commas are not JSON)',
        },
      ],
    });
    expect(parseCollection('{"a": 1')).toEqual({
      ok: false,
      issues: [
        {
          path: "",
          message:
            "invalid JSON at line 1, column 8 (position 7): unexpected end of input (1 unclosed bracket(s))",
        },
      ],
    });
    expect(parseCollection("{'a': 1}")).toEqual({
      ok: false,
      issues: [
        {
          path: "",
          message: `invalid JSON at line 1, column 2 (position 1): expected a property name in double quotes, found "'"`,
        },
      ],
    });
    expect(parseCollection("")).toEqual({
      ok: false,
      issues: [
        { path: "", message: "invalid JSON at line 1, column 1 (position 0): unexpected end of input" },
      ],
    });
    expect(parseCollection('{"a": "line\nbreak"}')).toEqual({
      ok: false,
      issues: [{ path: "", message: expect.stringContaining("position 11): a control character") }],
    });
    expect(parseCollection("{} x")).toEqual({
      ok: false,
      issues: [
        {
          path: "",
          message:
            'invalid JSON at line 1, column 4 (position 3): unexpected "x" after the end of the JSON value',
        },
      ],
    });
  });

  it.each([null, undefined, 42, true, [], "[]", "null", () => 1, Symbol("s"), new Date(0)])(
    "refuses %s as a whole",
    (input) => {
      const issues = issuesOf(input);
      expect(issues).toEqual([
        { path: "", message: expect.stringContaining("a collection must be an object") },
      ]);
    },
  );

  it("never throws on exotic inputs", () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error("boom");
        },
        has() {
          throw new Error("boom");
        },
        ownKeys() {
          throw new Error("boom");
        },
        getPrototypeOf() {
          return Object.prototype;
        },
      },
    );
    expect(parseCollection(throwing)).toEqual({
      ok: false,
      issues: [{ path: "", message: "the collection could not be validated: reading it failed" }],
    });
    const cyclicFolder: Record<string, unknown> = { name: "loop" };
    cyclicFolder.items = [cyclicFolder];
    expect(issuesOf({ formatVersion: 1, name: "c", items: [cyclicFolder] })[0]?.message).toContain(
      "folders nest at most 8 deep",
    );
  });

  it("handles a huge, deeply nested JSON body without overflowing", () => {
    const depth = 100_000;
    const text = `{"formatVersion":1,"name":"c","items":[{"name":"r","request":{"method":"POST","url":"/","json":${"[".repeat(depth)}${"]".repeat(depth)}}}]}`;
    expect(issuesOf(text)).toEqual([
      { path: "/items/0/request/json", message: "json must be JSON data: it nests deeper than 100 levels" },
    ]);
    const wide = {
      ...withItem({}),
      variables: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`v${i}`, i])),
    };
    expect(parseCollection(wide).ok).toBe(true);
  });

  it("caps an item's captures at 100 variables, with an issue at capture", () => {
    const captures = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}`, "$"]));
    expect(issuesOf(withItem({ capture: captures(101) }))).toEqual([
      {
        path: "/items/0/capture",
        message:
          "capture sets at most 100 variables (got 101): capture a whole object once, or split the item",
      },
    ]);
    expect(parseCollection(withItem({ capture: captures(100) })).ok).toBe(true);
  });

  it("caps each list of assertions at 100, with an issue at the list", () => {
    const assertions = (count: number, that = "$.a") => Array(count).fill({ that, exists: true });
    const until = { until: assertions(1) };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ assert: assertions(101) }, "/items/0/assert"],
      [{ poll: { until: assertions(101) } }, "/items/0/poll/until"],
      [{ poll: { ...until, failIf: assertions(101) } }, "/items/0/poll/failIf"],
      [{ skipIf: assertions(101, "var a") }, "/items/0/skipIf"],
    ];
    for (const [change, path] of cases) {
      const field = path.split("/").at(-1);
      expect(issuesOf(withItem(change))).toEqual([
        {
          path,
          message: `${field} holds at most 100 assertions (got 101): test a whole object at once with "equals" or "schema", or split the item`,
        },
      ]);
    }
    const wait = {
      name: "w",
      wait: { webhook: "certn", match: { "$.id": "x" }, timeoutMs: 1000 },
      assert: assertions(101),
    };
    expect(issuesOf({ formatVersion: 1, name: "c", items: [wait] })).toEqual([
      { path: "/items/0/assert", message: expect.stringContaining("assert holds at most 100 assertions") },
    ]);

    const full = assertions(100);
    const most = withItem({
      assert: full,
      poll: { until: full, failIf: full },
      skipIf: assertions(100, "var a"),
    });
    expect(parseCollection(most).ok).toBe(true);
  });

  it("caps the number of issues, and stops looking once it has them", () => {
    const items = Array.from({ length: 150 }, () => ({ name: "r", request: { method: "NOPE", url: "/" } }));
    const issues = issuesOf({ formatVersion: 1, name: "c", items });
    expect(issues).toHaveLength(101);
    expect(issues.slice(0, 100).map((issue) => issue.path)).toEqual(
      Array.from({ length: 100 }, (_, index) => `/items/${index}/request/method`),
    );
    expect(issues.at(-1)).toEqual({
      path: "",
      message: "validation stopped after 100 issues, and there may be more; fix the ones above first",
    });
    // valibot on its own still reports every issue: the budget is parseCollection's alone.
    expect(v.safeParse(CollectionSchema, { formatVersion: 1, name: "c", items }).issues).toHaveLength(150);
  });

  it("looks at a bounded part of a hostile list, a map and a list of assertions", () => {
    // 500,000 wrong items (1 MB of JSON) held 1 GB of issues. Each look at an element is counted
    // here through a getter the validation reads (the folder-depth pre-pass does not).
    let looks = 0;
    const looked = <T extends object>(value: T, key: string, shown: unknown): T =>
      Object.defineProperty(value, key, {
        enumerable: true,
        get: () => {
          looks += 1;
          return shown;
        },
      });
    const hostile = [
      { formatVersion: 1, name: "c", items: Array(500_000).fill(looked({ request: "x" }, "name", "r")) },
      withItem({ assert: Array(500_000).fill(looked({ equals: 200, bogus: 1 }, "that", "status")) }),
    ];
    for (const input of hostile) {
      looks = 0;
      const issues = issuesOf(input);
      expect(issues).toHaveLength(101);
      expect(issues.at(-1)?.message).toMatch(/^validation stopped after 100 issues/);
      expect(looks).toBeLessThan(1_000);
    }
    const headers = Object.fromEntries(Array.from({ length: 200_000 }, (_, index) => [`h${index}`, index]));
    const issues = issuesOf(withItem({ request: { method: "GET", url: "/", headers } }));
    expect(issues).toHaveLength(101);
    expect(issues[0]?.path).toBe("/items/0/request/headers/h0");
  });

  it("still finds a wrong item after thousands of right ones", () => {
    const items: unknown[] = Array.from({ length: 5_000 }, (_, index) => ({
      name: `r${index}`,
      request: { method: "GET", url: "/" },
      assert: [{ that: "status", equals: 200 }],
    }));
    expect(parseCollection({ formatVersion: 1, name: "c", items }).ok).toBe(true);
    items.push({ name: "last", request: { method: "NOPE", url: "/" } });
    expect(issuesOf({ formatVersion: 1, name: "c", items }).map((issue) => issue.path)).toEqual([
      "/items/5000/request/method",
    ]);
  });
});
