import { readFile } from "node:fs/promises";
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { collectionJsonSchemaText, SCHEMA_FILE } from "../../../scripts/generate-schema.ts";
import { parseCollection } from "../../../src/collection/parse.ts";

const schema = JSON.parse(collectionJsonSchemaText()) as Record<string, unknown>;
const validator = new Validator(schema as never, "7", false);

const VALID = {
  $schema: "./collection.schema.json",
  formatVersion: 1,
  name: "c",
  variables: { a: "x", n: 1, b: true },
  items: [
    {
      name: "folder",
      items: [
        {
          name: "r",
          request: { method: "POST", url: "/x", headers: { "X-Id": "{{a}}" }, json: { a: [1, null] } },
          capture: { id: "$.id" },
          assert: [
            { that: "status", equals: 201 },
            { that: "body", schema: true },
          ],
          skipIf: [{ that: "var b", equals: false }],
          poll: {
            until: [{ that: "$.done", equals: true }],
            maxAttempts: 3,
            wakeOn: { webhook: "certncentric", match: { "$.object_id": "{{a}}" } },
          },
        },
        {
          name: "w",
          wait: { webhook: "certn", match: { "$.id": "{{a}}" }, timeoutMs: 86_400_000 },
          capture: { first: ["$.event_id", "$.id"] },
          assert: [{ that: "$.id", exists: true }],
        },
      ],
    },
  ],
};

const WAIT = { name: "w", wait: { webhook: "certn", match: { "$.id": "x" }, timeoutMs: 1000 } };

describe("collections/collection.schema.json", () => {
  it("is up to date with the valibot schema (regenerate: npx tsx scripts/generate-schema.ts)", async () => {
    expect(await readFile(SCHEMA_FILE, "utf8")).toBe(collectionJsonSchemaText());
  });

  it("describes the fields and the shared parts, for editor help", () => {
    const properties = schema.properties as Record<string, { description?: string }>;
    for (const key of ["formatVersion", "name", "variables", "items"]) {
      expect(properties[key]?.description, key).toMatch(/\w{3}/);
    }
    const defs = schema.$defs as Record<string, { description?: string }>;
    for (const key of [
      "Options",
      "RequestItem",
      "Folder",
      "Request",
      "Assertion",
      "VariableAssertion",
      "Poll",
      "WaitItem",
      "Wait",
      "WakeOn",
      "CaptureSelectors",
    ]) {
      expect(defs[key]?.description, key).toMatch(/\w{3}/);
    }
  });

  it("accepts what parseCollection accepts", () => {
    expect(parseCollection(VALID).ok).toBe(true);
    expect(validator.validate(VALID).valid).toBe(true);
  });

  it.each([
    ["a wrong formatVersion", { ...VALID, formatVersion: 2 }],
    ["an unknown top-level field", { ...VALID, extra: 1 }],
    ["an empty items list", { ...VALID, items: [] }],
    ["an unknown method", { ...VALID, items: [{ name: "r", request: { method: "FETCH", url: "/" } }] }],
    [
      "an assertion with two operators",
      {
        ...VALID,
        items: [
          {
            name: "r",
            request: { method: "GET", url: "/" },
            assert: [{ that: "status", equals: 1, exists: true }],
          },
        ],
      },
    ],
    [
      "an assertion without an operator",
      {
        ...VALID,
        items: [{ name: "r", request: { method: "GET", url: "/" }, assert: [{ that: "status" }] }],
      },
    ],
    [
      "two bodies",
      { ...VALID, items: [{ name: "r", request: { method: "POST", url: "/", json: 1, text: "x" } }] },
    ],
    [
      "a skipIf on the status",
      {
        ...VALID,
        items: [{ name: "r", request: { method: "GET", url: "/" }, skipIf: [{ that: "status", equals: 1 }] }],
      },
    ],
    [
      "a header name with a space",
      { ...VALID, items: [{ name: "r", request: { method: "GET", url: "/", headers: { "A B": "x" } } }] },
    ],
    [
      "an unknown selector",
      { ...VALID, items: [{ name: "r", request: { method: "GET", url: "/" }, capture: { x: "nope" } }] },
    ],
    ["a wait item with a request", { ...VALID, items: [{ ...WAIT, request: { method: "GET", url: "/" } }] }],
    [
      "a wait without timeoutMs",
      { ...VALID, items: [{ ...WAIT, wait: { webhook: "certn", match: { "$.id": "x" } } }] },
    ],
    [
      "a wait over 30 days",
      { ...VALID, items: [{ ...WAIT, wait: { ...WAIT.wait, timeoutMs: 2_592_000_001 } }] },
    ],
    ["an unknown webhook", { ...VALID, items: [{ ...WAIT, wait: { ...WAIT.wait, webhook: "stripe" } }] }],
    ["an empty match", { ...VALID, items: [{ ...WAIT, wait: { ...WAIT.wait, match: {} } }] }],
    [
      "a match selector without $",
      { ...VALID, items: [{ ...WAIT, wait: { ...WAIT.wait, match: { id: "x" } } }] },
    ],
    [
      "an empty capture list",
      { ...VALID, items: [{ name: "r", request: { method: "GET", url: "/" }, capture: { x: [] } }] },
    ],
    [
      "a capture list of 9",
      {
        ...VALID,
        items: [{ name: "r", request: { method: "GET", url: "/" }, capture: { x: Array(9).fill("$.a") } }],
      },
    ],
  ])("refuses %s, like parseCollection", (_name, collection) => {
    expect(parseCollection(collection).ok).toBe(false);
    expect(validator.validate(collection).valid).toBe(false);
  });
});
