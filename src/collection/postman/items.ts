/**
 * Postman items (folders and requests) as collection items, with their scripts translated, their
 * auth replaced by the runner's own, and everything the format cannot express reported.
 */
import type { Assertion, Folder, HttpMethod, Item, RequestItem, RequestSpec, Variables } from "../model.ts";
import { HTTP_METHODS, MAX_FOLDER_DEPTH } from "../schema.ts";
import { MAX_ASSERTIONS } from "../schema-assertion.ts";
import { MAX_CAPTURES } from "../schema-request.ts";
import { convertBody } from "./body.ts";
import { convertHeaders } from "./headers.ts";
import { listStatements, type ScriptTranslation, translateTestScript } from "./script.ts";
import { convertUrl } from "./url.ts";
import { arrayOf, descriptionOf, isReservedKey, objectOf, stringOf } from "./values.ts";
import { convertVariables } from "./variables.ts";
import { plural, type WarningLog } from "./warnings.ts";

/** Longest item name. */
const MAX_NAME = 200;

/** Shared state of one import. */
export interface ImportState {
  warnings: WarningLog;
  /** Folder variables are merged here (collection variables win). */
  folderVariables: Variables;
  /** Maps dynamic variables in a string, reporting unknown ones. */
  map: (text: string) => string;
}

/** What a folder (or the collection) passes down to its items. */
export interface Scope {
  /** Names from the collection root, for messages. */
  path: string[];
  depth: number;
  /** The nearest auth type set above (`noauth`, `bearer`...), if any. */
  auth: string | undefined;
  /** Test scripts above, translated, in the order Postman runs them. */
  tests: ScriptTranslation[];
}

/** Converts a list of Postman items. */
export function convertItems(list: unknown, scope: Scope, state: ImportState): Item[] {
  const items: Item[] = [];
  arrayOf(list).forEach((entry, index) => {
    const node = objectOf(entry);
    if (node === undefined) {
      state.warnings.add(`${where(scope.path)}: entry ${index + 1} is not an item and was skipped`);
      return;
    }
    if (Array.isArray(node.item)) convertFolder(node, index, scope, state, items);
    else if (node.request !== undefined) items.push(convertRequestItem(node, index, scope, state));
    else {
      const name = nameOf(node, `Item ${index + 1}`, scope, state);
      state.warnings.add(
        `"${[...scope.path, name].join(" / ")}" has neither a request nor items and was skipped`,
      );
    }
  });
  return items;
}

function convertFolder(
  node: Record<string, unknown>,
  index: number,
  scope: Scope,
  state: ImportState,
  into: Item[],
): void {
  const name = nameOf(node, `Folder ${index + 1}`, scope, state);
  const path = [...scope.path, name];
  const label = `folder "${path.join(" / ")}"`;
  const inner: Scope = {
    path,
    depth: scope.depth + 1,
    auth: authType(node.auth) ?? scope.auth,
    tests: [...scope.tests, ...scriptsOf(node.event, label, state)],
  };
  const variables = convertVariables(node.variable, "disabled", state.map);
  for (const note of variables.notes) state.warnings.add(`${label}: ${note}`);
  for (const [key, value] of Object.entries(variables.variables)) {
    if (!Object.hasOwn(state.folderVariables, key)) state.folderVariables[key] = value;
  }
  if (Object.keys(variables.variables).length > 0) {
    state.warnings.add(
      `${label}: its variables became collection variables (a collection has no folder scope)`,
    );
  }
  const children = convertItems(node.item, inner, state);
  if (children.length === 0) {
    state.warnings.add(`${label} is empty and was dropped (a folder needs at least one item)`);
    return;
  }
  if (inner.depth > MAX_FOLDER_DEPTH) {
    state.warnings.add(
      `${label} is nested deeper than ${MAX_FOLDER_DEPTH} folders; its items were moved up into the folder above, their names prefixed with "${name} / "`,
    );
    for (const child of children) into.push({ ...child, name: clip(`${name} / ${child.name}`) });
    return;
  }
  const folder: Folder = { name, items: children };
  const description = descriptionOf(node.description);
  if (description !== undefined) folder.description = description;
  into.push(folder);
}

function convertRequestItem(
  node: Record<string, unknown>,
  index: number,
  scope: Scope,
  state: ImportState,
): RequestItem {
  const name = nameOf(node, `Request ${index + 1}`, scope, state);
  const path = [...scope.path, name];
  const itemName = path.join(" / ");
  const label = `"${itemName}"`;
  const { warnings, map } = state;
  const source = objectOf(node.request);
  const requestUrl = source === undefined ? node.request : source.url;

  const rawMethod = (stringOf(source?.method) ?? "GET").trim().toUpperCase() || "GET";
  const known = (HTTP_METHODS as readonly string[]).includes(rawMethod);
  const method = (known ? rawMethod : "GET") as HttpMethod;
  if (!known)
    warnings.add(`${label}: method ${rawMethod} is not supported; the item is kept as a skipped GET`);

  const url = convertUrl(requestUrl);
  if (url.empty) warnings.add(`${label}: its URL is empty; it became "/"`);
  if (url.droppedHost !== undefined) {
    const host = url.droppedHost;
    warnings.group(
      `host ${host}`,
      itemName,
      (count) =>
        `the host ${host} was dropped from ${plural(count, "request URL")}, which became paths resolved against the runner's base URL`,
    );
  }
  if (url.absoluteOrigin !== undefined) {
    const origin = url.absoluteOrigin;
    warnings.group(
      `origin ${origin}`,
      itemName,
      (count, names) =>
        `the absolute origin ${origin} was kept in ${plural(count, "request URL")} (${names}): the runner sends requests only to its base URL's origin, so make them paths to run them against Certn`,
    );
  }
  for (const variable of url.templatedPathVariables) {
    warnings.add(
      `${label}: the path variable :${variable} has no value; it became {{${variable}}}, so give "${variable}" a value`,
    );
  }
  const request: RequestSpec = { method, url: map(url.url) };
  const query = queryOf(url.query, label, state);
  if (query !== undefined) request.query = query;

  const headers = convertHeaders(source?.header, map);
  for (const header of headers.blocked) {
    const lower = header.toLowerCase();
    warnings.group(`blocked ${lower}`, itemName, (count, names) =>
      lower === "authorization"
        ? `the Authorization header was dropped from ${plural(count, "request")} (${names}): the runner attaches its own Certn credential`
        : `the ${header} header was dropped from ${plural(count, "request")} (${names}): collections cannot set it`,
    );
  }
  for (const header of headers.invalid)
    warnings.add(
      `${label}: the header ${JSON.stringify(header)} is not a valid literal header name and was dropped`,
    );
  for (const [header, kept] of headers.respelled)
    warnings.add(
      `${label}: the header "${header}" is written "${kept}" (header names ignore letter case, and the collection format reserves "${header}" as a key)`,
    );
  for (const header of headers.duplicates)
    warnings.add(`${label}: the header "${header}" appears more than once; only its first value is kept`);

  const body = convertBody(source?.body, headers.headers, map);
  for (const note of body.notes) warnings.add(`${label}: ${note}`);
  Object.assign(request, body.body);
  if (headers.headers.entries.length > 0) request.headers = Object.fromEntries(headers.headers.entries);

  const item: RequestItem = { name, request };
  const description = descriptionOf(node.description) ?? descriptionOf(source?.description);
  if (description !== undefined) item.description = description;

  const auth = authType(source?.auth) ?? scope.auth;
  if (auth === "noauth") item.auth = "none";
  else if (auth !== undefined) {
    item.auth = "certn";
    warnings.group(
      `auth ${auth}`,
      itemName,
      (count, names) =>
        `Postman "${auth}" auth on ${plural(count, "request")} (${names}) was replaced by the runner's Certn credential (auth: "certn"); its settings and credentials were not copied`,
    );
  }

  const scripts = [...scope.tests, ...scriptsOf(node.event, label, state)];
  const assertions: Assertion[] = scripts
    .flatMap((script) => script.assertions)
    .map((assertion) => mapAssertion(assertion, map));
  if (assertions.length > MAX_ASSERTIONS) {
    warnings.add(
      `${label}: its tests make ${assertions.length} checks; the first ${MAX_ASSERTIONS} are kept, the most one item holds`,
    );
  }
  if (assertions.length > 0) item.assert = assertions.slice(0, MAX_ASSERTIONS);
  const capture = capturesOf(scripts, label, state);
  if (capture !== undefined) item.capture = capture;
  if (!known) item.skip = true;
  if (node.disabled === true) {
    item.skip = true;
    warnings.add(`${label} is disabled in Postman; it is kept with "skip": true`);
  }
  return item;
}

function queryOf(
  pairs: [string, string][],
  label: string,
  state: ImportState,
): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const query: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (key === "" || isReservedKey(key)) {
      state.warnings.add(`${label}: a query parameter named ${JSON.stringify(key)} was dropped`);
    } else if (Object.hasOwn(query, key)) {
      state.warnings.add(
        `${label}: the query parameter "${key}" appears more than once; only its first value is kept`,
      );
    } else query[key] = state.map(value);
  }
  return Object.keys(query).length > 0 ? query : undefined;
}

function capturesOf(
  scripts: readonly ScriptTranslation[],
  label: string,
  state: ImportState,
): Record<string, string> | undefined {
  const capture: Record<string, string> = {};
  for (const [name, selector] of scripts.flatMap((script) => script.captures)) {
    if (/[{}]/.test(name) || name.trim() === "" || isReservedKey(name)) {
      state.warnings.add(`${label}: the variable name ${JSON.stringify(name)} cannot be captured into`);
      continue;
    }
    if (!Object.hasOwn(capture, name) && Object.keys(capture).length === MAX_CAPTURES) {
      state.warnings.add(`${label}: only the first ${MAX_CAPTURES} variables its tests set are captured`);
      break;
    }
    capture[name] = selector;
  }
  return Object.keys(capture).length > 0 ? capture : undefined;
}

function mapAssertion(assertion: Assertion, map: (text: string) => string): Assertion {
  const mapped: Assertion = { ...assertion };
  for (const key of ["equals", "notEquals", "contains", "notContains"] as const) {
    const value = mapped[key];
    if (typeof value === "string") mapped[key] = map(value);
  }
  return mapped;
}

/** Translates test scripts and reports every statement of every script that is not translated. */
export function scriptsOf(events: unknown, label: string, state: ImportState): ScriptTranslation[] {
  const translations: ScriptTranslation[] = [];
  for (const entry of arrayOf(events)) {
    const event = objectOf(entry);
    const script = objectOf(event?.script);
    if (event === undefined || script === undefined || event.disabled === true) continue;
    const exec = script.exec;
    const source = Array.isArray(exec)
      ? exec.map((line) => stringOf(line) ?? "").join("\n")
      : (stringOf(exec) ?? "");
    if (source.trim() === "") continue;
    const listen = stringOf(event.listen);
    if (listen === "test") {
      const translation = translateTestScript(source);
      for (const statement of translation.untranslated) {
        state.warnings.add(`${label}: test script statement not translated: ${statement}`);
      }
      translations.push(translation);
    } else {
      const kind = listen === "prerequest" ? "pre-request script" : `"${listen ?? "unknown"}" script`;
      for (const statement of listStatements(source))
        state.warnings.add(`${label}: ${kind} statement not run: ${statement}`);
    }
  }
  return translations;
}

/** The type of a Postman auth block (`inherit` counts as none). */
export function authType(value: unknown): string | undefined {
  const type = stringOf(objectOf(value)?.type);
  return type === undefined || type === "inherit" ? undefined : type;
}

function nameOf(node: Record<string, unknown>, fallback: string, scope: Scope, state: ImportState): string {
  const raw = stringOf(node.name)?.trim() ?? "";
  if (raw === "") {
    state.warnings.add(`${where(scope.path)}: an item without a name was named "${fallback}"`);
    return fallback;
  }
  if (raw.length > MAX_NAME)
    state.warnings.add(
      `${where(scope.path)}: the name "${raw.slice(0, 60)}..." was shortened to ${MAX_NAME} characters`,
    );
  return clip(raw);
}

function clip(name: string): string {
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 3)}...` : name;
}

function where(path: readonly string[]): string {
  return path.length === 0 ? "collection" : `folder "${path.join(" / ")}"`;
}
