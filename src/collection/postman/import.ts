/**
 * `importPostman`: a Postman Collection v2.0 or v2.1 (bare, or wrapped in `{ "collection": ... }`
 * as the Postman API exports it) as a collection of this format, with a warning for everything
 * that could not be carried over exactly. Scripts are read, never run. It never throws, and its
 * result always passes `parseCollection`: an item the format still refuses becomes a skipped
 * placeholder, however many there are.
 */

import { issueLine } from "../../core/json.ts";
import type { CollectionIssue } from "../issues.ts";
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
  /**
   * False when the input was not imported at all (not a Postman v2 collection, or nothing the
   * format accepts): `collection` is then only a skipped placeholder, and `warnings` say why.
   */
  imported: boolean;
}

/** The outcome of {@link importPostmanEnvironment}. */
export interface PostmanEnvironmentImport {
  variables: Variables;
  warnings: string[];
}

const DEFAULT_NAME = "Imported from Postman";

/**
 * Most rounds of repair: `parseCollection` gives at most 100 issues at a time and each round
 * replaces every item they point into, so this bounds the work (10,000 refused items and more),
 * not what a real import needs.
 */
const MAX_REPAIR_ROUNDS = 100;

/** A converted collection, or nothing (the warnings say why). */
type Converted = { collection: Collection; imported: true } | { name: string; imported: false };

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
  let converted: Converted;
  try {
    converted = convert(input, warnings);
  } catch (error) {
    const reason = error instanceof RangeError ? "it is nested too deeply" : "it has an unexpected shape";
    warnings.add(`the import stopped: ${reason}; the collection holds one skipped placeholder request`);
    converted = { name: DEFAULT_NAME, imported: false };
  }
  const collection = converted.imported ? ensureValid(converted.collection, warnings) : undefined;
  if (collection !== undefined) return { collection, warnings: warnings.list(), imported: true };
  const name = converted.imported ? DEFAULT_NAME : converted.name;
  return { collection: placeholderCollection(name), warnings: warnings.list(), imported: false };
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

function convert(input: unknown, warnings: WarningLog): Converted {
  let value = input;
  if (typeof input === "string") {
    const parsed = parseJsonText(input);
    if (!parsed.ok) {
      warnings.add(`the file is not valid JSON: ${parsed.message}`);
      return { name: DEFAULT_NAME, imported: false };
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
    return { name: DEFAULT_NAME, imported: false };
  }
  const info = objectOf(root.info);
  if (!Array.isArray(root.item)) {
    const v1 = Array.isArray(root.requests);
    warnings.add(
      v1
        ? "this is a Postman v1 collection, which is not supported: export it from Postman as Collection v2.1"
        : 'this is not a Postman v2 collection (it has no "item" list)',
    );
    return { name: collectionName(info, warnings), imported: false };
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
  return { collection, imported: true };
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
 * Last line of defence: every item that `parseCollection` still refuses (a case the conversion
 * missed) is replaced by a skipped placeholder, each reported, so the result validates.
 * Undefined (with a warning) when an issue is beyond such repair.
 */
function ensureValid(collection: Collection, warnings: WarningLog): Collection | undefined {
  let current = collection;
  for (let round = 1; ; round++) {
    const result = parseCollection(current);
    if (result.ok) return result.collection;
    const repaired = repair(current, result.issues, warnings);
    if (repaired === current || round === MAX_REPAIR_ROUNDS) {
      const issue = result.issues[0]!;
      warnings.add(
        `the imported collection could not be made valid (${issueLine(issue)}); nothing was imported`,
      );
      return undefined;
    }
    current = repaired;
  }
}

/**
 * The collection with every item an issue points into replaced by a placeholder (a folder's items
 * go with it), and without its variables when an issue points there; the same object when no
 * issue points at either.
 */
function repair(
  collection: Collection,
  issues: readonly CollectionIssue[],
  warnings: WarningLog,
): Collection {
  const refused = new Map<string, CollectionIssue>();
  let repaired = collection;
  for (const issue of issues) {
    const item = /^(?:\/items\/\d+)+/.exec(issue.path)?.[0];
    if (item !== undefined) {
      if (!refused.has(item)) refused.set(item, issue);
    } else if (issue.path.startsWith("/variables") && repaired.variables !== undefined) {
      const { variables: _dropped, ...rest } = repaired;
      repaired = rest;
      warnings.add(`the collection variables were dropped because ${issue.path}: ${issue.message}`);
    }
  }
  if (refused.size === 0) return repaired;
  const replace = (items: readonly Item[], prefix: string): Item[] =>
    items.map((item, index) => {
      const pointer = `${prefix}/items/${index}`;
      const issue = refused.get(pointer);
      if (issue === undefined)
        return "items" in item ? { ...item, items: replace(item.items, pointer) } : item;
      warnings.add(
        `an imported item was replaced by a skipped placeholder because ${issue.path}: ${issue.message}`,
      );
      return placeholderItem();
    });
  return { ...repaired, items: replace(repaired.items, "") };
}
