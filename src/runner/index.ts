/**
 * certn-edge/runner: run JSON collections against Certn through a `CertnClient` (or any
 * `Transport`), and report the results.
 * @packageDocumentation
 */

export type { CollectionIssue } from "../collection/issues.ts";
export type {
  Assertion,
  Collection,
  CollectionOptions,
  Folder,
  HttpMethod,
  Item,
  JsonValue,
  PollSpec,
  RequestItem,
  RequestSpec,
  Variables,
  VariableValue,
} from "../collection/model.ts";
export type { ParseCollectionResult } from "../collection/parse.ts";
export { parseCollection } from "../collection/parse.ts";
export {
  importPostman,
  importPostmanEnvironment,
  type PostmanEnvironmentImport,
  type PostmanImport,
} from "../collection/postman/index.ts";
export type { Transport } from "../core/transport.ts";
export { toJUnit } from "../report/junit.ts";
export { toNdjsonLine } from "../report/ndjson.ts";
export { toText } from "../report/text.ts";
export { MAX_CONCURRENCY, MAX_ITERATIONS, type RunOptions, type RunVariables } from "./options.ts";
export { CENTRIC_RATE_LIMIT, PARTNER_RATE_LIMIT, type RateLimit } from "./rate-limiter.ts";
export type {
  AssertionResult,
  ItemError,
  ItemResult,
  ItemStatus,
  RunEvent,
  RunResult,
  RunSummary,
} from "./result.ts";
export { runCollection } from "./run-collection.ts";
