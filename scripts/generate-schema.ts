/**
 * Writes collections/collection.schema.json from the valibot schema in src/collection/schema.ts,
 * so editors offer completion and help for collections. Run: `npx tsx scripts/generate-schema.ts`
 * (`--check` exits 1 when the committed file is out of date instead of writing it).
 */
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { type ConversionConfig, toJsonSchema } from "@valibot/to-json-schema";
import { COLLECTION_SCHEMA_PARTS, CollectionSchema } from "../src/collection/schema.ts";

/** Where the generated schema lives. */
export const SCHEMA_FILE = fileURLToPath(new URL("../collections/collection.schema.json", import.meta.url));

const CONFIG: ConversionConfig = {
  target: "draft-07",
  definitions: COLLECTION_SCHEMA_PARTS,
  // Each object is a pipe that first checks "is a plain object", then the strict object: keep the latter.
  typeMode: "output",
  // Checks that JSON Schema cannot express (selector syntax, blocked headers, regex compilation)
  // stay in the validator (JSON numbers are always finite); their JSON Schema side is given by `metadata` (pattern, type, oneOf).
  ignoreActions: ["check", "raw_check", "finite"],
  overrideSchema: ({ valibotSchema, jsonSchema }) =>
    valibotSchema.type === "custom" ? jsonSchema : undefined,
};

/** The collection JSON Schema, as the text written to {@link SCHEMA_FILE}. */
export function collectionJsonSchemaText(): string {
  const schema = toJsonSchema(CollectionSchema, CONFIG);
  return `${JSON.stringify(schema, null, 2)}\n`;
}

async function main(check: boolean): Promise<void> {
  const text = collectionJsonSchemaText();
  if (check) {
    const current = await readFile(SCHEMA_FILE, "utf8").catch(() => "");
    if (current !== text) {
      console.error(
        "collections/collection.schema.json is out of date: run npx tsx scripts/generate-schema.ts",
      );
      process.exitCode = 1;
    }
    return;
  }
  await writeFile(SCHEMA_FILE, text);
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.includes("--check"));
}
