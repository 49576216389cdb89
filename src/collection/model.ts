/**
 * The collection format, version 1 (see the format page linked from the README).
 * These types are the contract between the parser, the runner, the Worker and the CLI;
 * the valibot schema in `schema.ts` produces exactly this shape.
 */
import type { JsonValue } from "../core/json.ts";
import type { JsonTypeName } from "../syntax/json-type.ts";

export type { JsonValue };

/** A variable value: collections, run inputs and data rows hold only these. */
export type VariableValue = string | number | boolean;

/** A map of variable names to values. */
export type Variables = Record<string, VariableValue>;

/** HTTP methods a request item may use. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

/** Operators of an assertion; exactly one appears in each assertion. */
export interface AssertionOperators {
  equals?: JsonValue;
  notEquals?: JsonValue;
  exists?: boolean;
  type?: JsonTypeName;
  matches?: string;
  contains?: JsonValue;
  notContains?: JsonValue;
  startsWith?: string;
  endsWith?: string;
  oneOf?: JsonValue[];
  lessThan?: number;
  lessThanOrEqual?: number;
  greaterThan?: number;
  greaterThanOrEqual?: number;
  length?: number;
  schema?: { [key: string]: JsonValue } | boolean;
}

/** The operator names, in the order they are documented. */
export const ASSERTION_OPERATORS = [
  "equals",
  "notEquals",
  "exists",
  "type",
  "matches",
  "contains",
  "notContains",
  "startsWith",
  "endsWith",
  "oneOf",
  "lessThan",
  "lessThanOrEqual",
  "greaterThan",
  "greaterThanOrEqual",
  "length",
  "schema",
] as const satisfies readonly (keyof AssertionOperators)[];

/** An assertion name. */
export type AssertionOperator = (typeof ASSERTION_OPERATORS)[number];

/** `{ that: SELECTOR, OP: VALUE, name? }` with exactly one operator. */
export interface Assertion extends AssertionOperators {
  /** `status`, `duration`, `header NAME`, `body`, `$...` (JSONPath) or `var NAME`. */
  that: string;
  name?: string;
}

/** The request part of a request item. */
export interface RequestSpec {
  method: HttpMethod;
  url: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: JsonValue;
  form?: Record<string, string>;
  text?: string;
}

/** Polling: re-send until `until` passes, fail at once when any `failIf` passes. */
export interface PollSpec {
  until: Assertion[];
  failIf?: Assertion[];
  intervalMs?: number;
  maxAttempts?: number;
}

/** A request item. */
export interface RequestItem {
  name: string;
  description?: string;
  request: RequestSpec;
  auth?: "certn" | "none";
  /** Variable name to selector. */
  capture?: Record<string, string>;
  assert?: Assertion[];
  poll?: PollSpec;
  retry?: { retries?: number; retryNonIdempotent?: boolean };
  timeoutMs?: number;
  skip?: boolean;
  skipIf?: Assertion[];
}

/** A folder: a named group of items, nested at most 8 deep. */
export interface Folder {
  name: string;
  description?: string;
  items: Item[];
}

/** A request item or a folder. */
export type Item = RequestItem | Folder;

/** Run defaults a collection may set, each overridable per run. */
export interface CollectionOptions {
  bail?: boolean;
  timeoutMs?: number;
  delayMs?: number;
  iterations?: number;
  concurrency?: number;
}

/** A whole collection. */
export interface Collection {
  $schema?: string;
  formatVersion: 1;
  name: string;
  description?: string;
  variables?: Variables;
  options?: CollectionOptions;
  items: Item[];
}

/** Tells a folder from a request item. */
export function isFolder(item: Item): item is Folder {
  return "items" in item;
}
