import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/collection/parse.ts";
import { importPostman, importPostmanEnvironment } from "../../../src/collection/postman/index.ts";

function expectValidImport(input: unknown): void {
  const { collection, warnings } = importPostman(input);
  expect(parseCollection(collection)).toEqual({ ok: true, collection });
  for (const warning of warnings) expect(typeof warning).toBe("string");
}

const text = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "{{baseUrl}}/x/:id",
    "https://a.example/b?c=d&e",
    ":id",
    "{{$guid}}",
    "",
    "GET",
    "LINK",
    "noauth",
    "bearer",
    "raw",
  ),
);

/** Objects shaped roughly like Postman collections: the right keys, values often wrong. */
const postmanLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    tie("node"),
    fc.array(tie("value"), { maxLength: 3 }),
  ),
  node: fc.dictionary(
    fc.constantFrom(
      "name",
      "item",
      "request",
      "url",
      "method",
      "header",
      "body",
      "mode",
      "raw",
      "urlencoded",
      "formdata",
      "graphql",
      "auth",
      "type",
      "event",
      "listen",
      "script",
      "exec",
      "variable",
      "key",
      "value",
      "disabled",
      "host",
      "path",
      "query",
      "info",
    ),
    tie("value"),
    { maxKeys: 6 },
  ),
})).node;

const scriptLine = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "pm.test('x', function () {",
    "});",
    "pm.expect(pm.response.json().a).to.eql(1);",
    "tests['t'] = responseCode.code === 200;",
    "var json = pm.response.json();",
    "pm.environment.set('id', json.id);",
    "if (x) {",
    "}",
    "`unterminated",
    "/regex[/",
    "'string",
    "({[",
  ),
);
const requestWithScript = fc.record({
  name: fc.string(),
  request: fc.record({ method: fc.string(), url: text }),
  event: fc.array(
    fc.record({
      listen: fc.constantFrom("test", "prerequest"),
      script: fc.record({ exec: fc.array(scriptLine, { maxLength: 8 }) }),
    }),
    { maxLength: 2 },
  ),
});

describe("importPostman properties", () => {
  it("never throws on arbitrary JSON, and always returns a valid collection", () => {
    fc.assert(fc.property(fc.jsonValue(), expectValidImport), { numRuns: 300 });
  });

  it("never throws on Postman-like collections", () => {
    fc.assert(
      fc.property(postmanLike, fc.constantFrom("v2.0.0", "v2.1.0"), (node, version) =>
        expectValidImport({
          info: {
            name: "p",
            schema: `https://schema.getpostman.com/json/collection/${version}/collection.json`,
          },
          ...node,
          item: [node, node],
        }),
      ),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary scripts, and keeps one request item per request", () => {
    fc.assert(
      fc.property(fc.array(requestWithScript, { minLength: 1, maxLength: 4 }), (item) => {
        const { collection } = importPostman({ info: { name: "s" }, item });
        expect(parseCollection(collection).ok).toBe(true);
        expect(collection.items).toHaveLength(item.length);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on arbitrary environments", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            values: fc.array(fc.record({ key: text, value: fc.jsonValue(), enabled: fc.boolean() })),
          }),
        ),
        (input) => {
          const { variables } = importPostmanEnvironment(input);
          expect(
            parseCollection({
              formatVersion: 1,
              name: "e",
              variables,
              items: [{ name: "r", request: { method: "GET", url: "/" } }],
            }).ok,
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
