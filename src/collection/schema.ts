/**
 * The collection format, version 1, as one valibot schema. `parseCollection` validates with it and
 * `scripts/generate-schema.ts` turns it into `collections/collection.schema.json`, so editors and
 * the validator never disagree. Folders, request items and wait items are told apart by their
 * `items`, `request` or `wait` key; objects are strict (unknown fields are issues).
 */
import * as v from "valibot";
import { boundedArray } from "./issue-budget.ts";
import { isPlainObject } from "./json-value.ts";
import { closestMatch, describeValue, quote } from "./messages.ts";
import type { Assertion, Collection, Folder, Item, RequestItem, WaitItem } from "./model.ts";
import { AssertionSchema, assertions, SkipIfAssertionSchema } from "./schema-assertion.ts";
import { boolean, integerIn, MAX_MS, mustBe, strictObject, text } from "./schema-parts.ts";
import {
  CaptureSchema,
  CaptureSelectorsSchema,
  DescriptionSchema,
  ItemNameSchema,
  PollSchema,
  RequestItemSchema,
  RequestSchema,
} from "./schema-request.ts";
import { VariablesSchema } from "./schema-values.ts";
import { WaitSchema, WakeOnSchema } from "./schema-webhook.ts";

export { JSON_TYPE_NAMES } from "../syntax/json-type.ts";
export { HTTP_METHODS } from "./schema-request.ts";

/** Deepest folder nesting allowed (a top-level folder is at depth 1). */
export const MAX_FOLDER_DEPTH = 8;

// ---------------------------------------------------------------------------------------------
// Items and folders

const ITEM_SHAPES =
  'a request item { "name", "request", ... }, a wait item { "name", "wait", ... } or a folder { "name", "items" }';

/** Tells folders, request items and wait items apart by key before validating, so issues land on the right fields. */
const ItemSchema: v.GenericSchema<unknown, Item> = v.lazy((input): v.GenericSchema<unknown, Item> => {
  if (!isPlainObject(input)) return AnyItemSchema;
  const hasItems = Object.hasOwn(input, "items");
  if (hasItems && Object.hasOwn(input, "request")) return BothSchema;
  if (hasItems && Object.hasOwn(input, "wait")) return FolderAndWaitSchema;
  if (hasItems) return FolderSchema;
  // With "request" too, the wait item's schema says a wait item sends no request.
  if (Object.hasOwn(input, "wait")) return WaitItemSchema;
  if (Object.hasOwn(input, "request")) return RequestItemSchema;
  return NeitherSchema;
});

const ItemsSchema = v.pipe(
  boundedArray(ItemSchema, mustBe("items", "an array of request items, wait items and folders")),
  v.minLength(1, "items must hold at least one request item, wait item or folder"),
  v.description("Request items, wait items and folders, run in order."),
);

const FolderSchema = v.pipe(
  strictObject(
    { label: "a folder", requiredHints: { name: "1 to 200 characters" } },
    { name: ItemNameSchema, description: DescriptionSchema, items: ItemsSchema },
  ),
  v.description(`A folder: a named group of items, nested at most ${MAX_FOLDER_DEPTH} deep.`),
);

/** What a wait item cannot have, as it sends no request. */
const REQUEST_ONLY_FIELDS = ["request", "poll", "retry", "timeoutMs", "auth"] as const;

function waitItemUnknownKey(key: string): string | undefined {
  if (!(REQUEST_ONLY_FIELDS as readonly string[]).includes(key)) return undefined;
  const instead =
    key === "timeoutMs"
      ? ': put how long to wait in "wait": { ..., "timeoutMs": ... }'
      : key === "request"
        ? ': remove "wait" to make it a request item, or remove "request"'
        : "";
  return `a wait item sends no request, so it cannot have "${key}"${instead}`;
}

/** A wait item: waits for one webhook event and treats its body as the response. */
export const WaitItemSchema = v.pipe(
  strictObject(
    {
      label: "a wait item",
      requiredHints: { name: "1 to 200 characters" },
      unknownKey: waitItemUnknownKey,
    },
    {
      name: ItemNameSchema,
      description: DescriptionSchema,
      wait: WaitSchema,
      capture: v.exactOptional(CaptureSchema),
      assert: v.exactOptional(
        assertions("assert", AssertionSchema, "Assertions on the event body (the status is 200)."),
      ),
      skip: v.exactOptional(boolean("skip", "Report the item as skipped without waiting.")),
      skipIf: v.exactOptional(
        assertions(
          "skipIf",
          SkipIfAssertionSchema,
          'Skip the item when all of these pass (selectors "var NAME" only).',
        ),
      ),
    },
  ),
  v.description(
    "A wait item: sends no request; waits for one matching verified webhook event and treats its body as the response (status 200) for capture and assert.",
  ),
);

// Also what the JSON Schema shows for an item (the lazy getter is called without input there).
const AnyItemSchema = v.union(
  [RequestItemSchema, WaitItemSchema, FolderSchema],
  mustBe("an item", `an object: ${ITEM_SHAPES}`),
);

const BothSchema = v.custom<never>(
  () => false,
  'an item cannot have both "request" and "items": a request item has "request", a folder has "items"',
);

const FolderAndWaitSchema = v.custom<never>(
  () => false,
  'an item cannot have both "wait" and "items": a wait item has "wait", a folder has "items"',
);

const ITEM_KEYS = ["request", "wait", "items"] as const;

const NeitherSchema = v.custom<never>(
  () => false,
  (issue) => {
    const keys = isPlainObject(issue.input) ? Object.keys(issue.input) : [];
    const typo = keys.find((key) => closestMatch(key, ITEM_KEYS) !== undefined);
    const hint = typo === undefined ? "" : ` (is ${quote(typo)} a misspelling?)`;
    return `an item needs "request" (a request item), "wait" (a wait item) or "items" (a folder)${hint}`;
  },
);

// ---------------------------------------------------------------------------------------------
// The collection

/** The collection's `options`: run defaults, checked again with the run inputs by the runner. */
export const OptionsSchema = v.pipe(
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
        items: "a non-empty array of request items, wait items and folders",
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
  WaitItem: WaitItemSchema,
  Folder: FolderSchema,
  Request: RequestSchema,
  Assertion: AssertionSchema,
  VariableAssertion: SkipIfAssertionSchema,
  CaptureSelectors: CaptureSelectorsSchema,
  Poll: PollSchema,
  WakeOn: WakeOnSchema,
  Wait: WaitSchema,
  Options: OptionsSchema,
};

// ---------------------------------------------------------------------------------------------
// Compile-time proof that the schema produces exactly the model's shape.

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesModel: [
  Same<v.InferOutput<typeof CollectionSchema>, Collection>,
  Same<v.InferOutput<typeof RequestItemSchema>, RequestItem>,
  Same<v.InferOutput<typeof WaitItemSchema>, WaitItem>,
  Same<v.InferOutput<typeof FolderSchema>, Folder>,
  Same<v.InferOutput<typeof AssertionSchema>, Assertion>,
  Same<v.InferOutput<typeof SkipIfAssertionSchema>, Assertion>,
] = [true, true, true, true, true, true];
void schemaMatchesModel;
