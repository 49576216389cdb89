/**
 * certn-edge/runner: run JSON collections against Certn through a `CertnClient` (or any
 * `Transport`), and report the results.
 * @packageDocumentation
 */

export { isCentricCollection } from "../collection/api-family.ts";
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
export type { Transport } from "../core/transport-types.ts";
export { toJUnit } from "../reporters/junit.ts";
export { toNdjsonLine } from "../reporters/ndjson.ts";
export { toText } from "../reporters/text.ts";
export type {
  AssertionResult,
  ItemError,
  ItemResult,
  ItemStatus,
  RunEvent,
  RunResult,
  RunSummary,
} from "../results/result.ts";
export { DEFAULT_POLL_MAX_ATTEMPTS } from "./execute-item.ts";
export { MAX_CONCURRENCY, MAX_ITERATIONS, type RunOptions, type RunVariables } from "./options.ts";
export { CENTRIC_RATE_LIMIT, PARTNER_RATE_LIMIT, type RateLimit } from "./rate-limiter.ts";
export { runCollection } from "./run-collection.ts";
