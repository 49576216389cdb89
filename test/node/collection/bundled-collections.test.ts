import { readdirSync, readFileSync } from "node:fs";
import { Validator } from "@cfworker/json-schema";
import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/collection/parse.ts";

const DIR = new URL("../../../collections/", import.meta.url);
const schema = JSON.parse(readFileSync(new URL("collection.schema.json", DIR), "utf8")) as object;
const validator = new Validator(schema as never, "7", false);
const FILES = readdirSync(DIR).filter((name) => name.endsWith(".json") && name !== "collection.schema.json");

// test/node/collections/bundled.test.ts runs them; this checks editors agree with the validator on them.
describe("bundled collections against the generated JSON Schema", () => {
  it("exist", () => {
    expect(FILES.length).toBeGreaterThan(0);
  });

  it.each(FILES)("%s passes both parseCollection and the JSON Schema", (name) => {
    const text = readFileSync(new URL(name, DIR), "utf8");
    const parsed = parseCollection(text);
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
    expect(validator.validate(JSON.parse(text)).errors).toEqual([]);
  });
});
