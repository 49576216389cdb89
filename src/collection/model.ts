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

/** Which webhook source an event comes from: the partner API or CertnCentric. */
export type WebhookSource = "certn" | "certncentric";

/**
 * Which verified webhook events count: those of `webhook` where every `match` selector (JSONPath
 * over the event body) selects a value equal to its expanded template.
 */
export interface WebhookMatch {
  webhook: WebhookSource;
  /** JSONPath selector to template, e.g. `{ "$.object_id": "{{caseId}}" }`. */
  match: Record<string, string>;
}

/** Polling: re-send until `until` passes, fail at once when any `failIf` passes. */
export interface PollSpec {
  until: Assertion[];
  failIf?: Assertion[];
  intervalMs?: number;
  maxAttempts?: number;
  /** Re-send as soon as a matching webhook arrives, and at the latest after `intervalMs`. */
  wakeOn?: WebhookMatch;
}

/** What a wait item waits for: one matching event, for at most `timeoutMs`. */
export interface WaitSpec extends WebhookMatch {
  timeoutMs: number;
}

/**
 * A wait item: sends no request, waits for one matching webhook event and treats its body as the
 * response (status 200) for `capture` and `assert`.
 */
export interface WaitItem {
  name: string;
  description?: string;
  wait: WaitSpec;
  /** Variable name to selector, or to selectors tried in order (the first that selects wins). */
  capture?: Record<string, string | string[]>;
  assert?: Assertion[];
  skip?: boolean;
  skipIf?: Assertion[];
}

/** A request item. */
export interface RequestItem {
  name: string;
  description?: string;
  request: RequestSpec;
  auth?: "certn" | "none";
  /** Variable name to selector, or to selectors tried in order (the first that selects wins). */
  capture?: Record<string, string | string[]>;
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

/** A request item, a wait item or a folder. */
export type Item = RequestItem | WaitItem | Folder;

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

/** True for a wait item (one with `wait`, no `request`). */
export function isWaitItem(item: Item): item is WaitItem {
  return "wait" in item && !("request" in item);
}
