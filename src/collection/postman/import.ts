/**
 * `importPostman`: a Postman Collection v2.0 or v2.1 (bare, or wrapped in `{ "collection": ... }`
 * as the Postman API exports it) as a collection of this format, with a warning for everything
 * that could not be carried over exactly. Scripts are read, never run. It never throws, and its
 * result always passes `parseCollection`.
 */
import { parseJsonText } from "../json-text.ts";
import type { Collection, Item, RequestItem, Variables } from "../model.ts";
import { parseCollection } from "../parse.ts";
import { mapDynamicVariables } from "./dynamic-variables.ts";
import { authType, convertItems, type ImportState, type Scope, scriptsOf } from "./items.ts";
import { descriptionOf, objectOf, stringOf } from "./values.ts";
import { convertVariables } from "./variables.ts";
import { WarningLog } from "./warnings.ts";

/** The outcome of {@link importPostman}. */
export interface PostmanImport {
  collection: Collection;
  /** What could not be carried over exactly, in the order it was met. Never holds a credential. */
  warnings: string[];
}

/** The outcome of {@link importPostmanEnvironment}. */
export interface PostmanEnvironmentImport {
  variables: Variables;
  warnings: string[];
}

const DEFAULT_NAME = "Imported from Postman";

/**
 * Imports a Postman collection (a parsed value or JSON text). Never throws.
 *
 * @example
 * ```ts
 * import { importPostman, parseCollection } from "certn-edge/runner";
 *
 * const { collection, warnings } = importPostman(await readFile("certn.postman_collection.json", "utf8"));
 * for (const warning of warnings) console.warn(warning); // what could not be carried over
 * const parsed = parseCollection(collection); // the imported collection, checked as any other
 * ```
 */
export function importPostman(input: unknown): PostmanImport {
  const warnings = new WarningLog();
  let collection: Collection;
  try {
    collection = convert(input, warnings);
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply" : "it has an unexpected shape";
    warnings.add(`the import stopped: ${reason}; the collection holds one skipped placeholder request`);
    collection = placeholderCollection(DEFAULT_NAME);
  }
  return { collection: ensureValid(collection, warnings), warnings: warnings.list() };
}

/** Imports a Postman environment (`{ values: [{ key, value, enabled }] }`) as run variables. Never throws. */
export function importPostmanEnvironment(input: unknown): PostmanEnvironmentImport {
  const warnings = new WarningLog();
  try {
    const value = typeof input === "string" ? parseJsonText(input) : { ok: true as const, value: input };
    if (!value.ok) {
      warnings.add(`the environment is not valid JSON: ${value.message}`);
      return { variables: {}, warnings: warnings.list() };
    }
    const environment = objectOf(value.value);
    if (environment === undefined || !Array.isArray(environment.values)) {
      warnings.add('this is not a Postman environment (it has no "values" list); no variables were imported');
      return { variables: {}, warnings: warnings.list() };
    }
    const converted = convertVariables(environment.values, "enabled", dynamicMapper(warnings));
    for (const note of converted.notes) warnings.add(`environment: ${note}`);
    return { variables: converted.variables, warnings: warnings.list() };
  } catch {
    warnings.add("the environment could not be read; no variables were imported");
    return { variables: {}, warnings: warnings.list() };
  }
}

function convert(input: unknown, warnings: WarningLog): Collection {
  let value = input;
  if (typeof input === "string") {
    const parsed = parseJsonText(input);
    if (!parsed.ok) {
      warnings.add(`the file is not valid JSON: ${parsed.message}`);
      return placeholderCollection(DEFAULT_NAME);
    }
    value = parsed.value;
  }
  const wrapper = objectOf(value);
  const root =
    wrapper !== undefined && !("item" in wrapper) && objectOf(wrapper.collection) !== undefined
      ? objectOf(wrapper.collection)!
      : wrapper;
  if (root === undefined) {
    warnings.add("this is not a Postman collection (not a JSON object)");
    return placeholderCollection(DEFAULT_NAME);
  }
  const info = objectOf(root.info);
  if (!Array.isArray(root.item)) {
    const v1 = Array.isArray(root.requests);
    warnings.add(
      v1
        ? "this is a Postman v1 collection, which is not supported: export it from Postman as Collection v2.1"
        : 'this is not a Postman v2 collection (it has no "item" list)',
    );
    return placeholderCollection(collectionName(info, warnings));
  }
  const schema = stringOf(info?.schema) ?? "";
  if (!/\/v2\.[01]\.\d+\//.test(schema)) {
    warnings.add(`unknown Postman schema ${JSON.stringify(schema.slice(0, 100))}; it was read as v2.1`);
  }

  const map = dynamicMapper(warnings);
  const state: ImportState = { warnings, folderVariables: {}, map };
  const variables = convertVariables(root.variable, "disabled", map);
  for (const note of variables.notes) warnings.add(`collection: ${note}`);
  const scope: Scope = {
    path: [],
    depth: 0,
    auth: authType(root.auth),
    tests: scriptsOf(root.event, "collection", state),
  };
  let items = convertItems(root.item, scope, state);
  if (items.length === 0) {
    warnings.add("the collection has no requests; it holds one skipped placeholder request");
    items = [placeholderItem()];
  }

  const collection: Collection = { formatVersion: 1, name: collectionName(info, warnings), items };
  const description = descriptionOf(info?.description);
  if (description !== undefined) collection.description = description;
  const allVariables = { ...state.folderVariables, ...variables.variables };
  if (Object.keys(allVariables).length > 0) collection.variables = allVariables;
  return collection;
}

function dynamicMapper(warnings: WarningLog): (text: string) => string {
  return (text) =>
    mapDynamicVariables(text, (name) =>
      warnings.add(
        `the Postman dynamic variable {{${name}}} has no equivalent here; it was kept and will fail at run time unless you define "${name}"`,
      ),
    );
}

function collectionName(info: Record<string, unknown> | undefined, warnings: WarningLog): string {
  const name = stringOf(info?.name)?.trim() ?? "";
  if (name === "") {
    warnings.add(`the collection has no name; it was named "${DEFAULT_NAME}"`);
    return DEFAULT_NAME;
  }
  return name.length > 200 ? `${name.slice(0, 197)}...` : name;
}

function placeholderItem(): RequestItem {
  return { name: "Placeholder (nothing imported)", request: { method: "GET", url: "/" }, skip: true };
}

function placeholderCollection(name: string): Collection {
  return { formatVersion: 1, name, items: [placeholderItem()] };
}

/**
 * Last line of defence: whatever `parseCollection` still refuses (a case the conversion missed)
 * is replaced by a skipped placeholder and reported, so the result always validates.
 */
function ensureValid(collection: Collection, warnings: WarningLog): Collection {
  let current = collection;
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = parseCollection(current);
    if (result.ok) return result.collection;
    const issue = result.issues[0]!;
    const repaired = replaceAt(current, issue.path);
    if (repaired === null) break;
    warnings.add(
      `an imported item was replaced by a skipped placeholder because ${issue.path}: ${issue.message}`,
    );
    current = repaired;
  }
  warnings.add("the imported collection could not be made valid; it holds one skipped placeholder request");
  return placeholderCollection(DEFAULT_NAME);
}

/** The collection with the item holding `pointer` replaced by a placeholder, or null. */
function replaceAt(collection: Collection, pointer: string): Collection | null {
  const match = /^((?:\/items\/\d+)+)/.exec(pointer);
  if (match === null) {
    if (pointer.startsWith("/variables")) {
      const { variables: _dropped, ...rest } = collection;
      return rest;
    }
    return null;
  }
  const indexes = match[1]!.split("/items/").filter(Boolean).map(Number);
  const replace = (items: Item[], depth: number): Item[] =>
    items.map((item, index) => {
      if (index !== indexes[depth]) return item;
      if (depth === indexes.length - 1) return placeholderItem();
      return "items" in item ? { ...item, items: replace(item.items, depth + 1) } : item;
    });
  return { ...collection, items: replace(collection.items, 0) };
}
