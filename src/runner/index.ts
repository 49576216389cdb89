/**
 * certn-edge/runner: run JSON collections against Certn through a `CertnClient` (or any
 * `Transport`), and report the results.
 * @packageDocumentation
 */

export { MAX_SCHEMA_STEPS } from "../assert/schema.ts";
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
  WaitItem,
  WaitSpec,
  WebhookMatch,
  WebhookSource,
} from "../collection/model.ts";
export type { ParseCollectionResult } from "../collection/parse.ts";
export { parseCollection } from "../collection/parse.ts";
export {
  importPostman,
  importPostmanEnvironment,
  type PostmanEnvironmentImport,
  type PostmanImport,
} from "../collection/postman/index.ts";
export { jsonDepthExceeds, MAX_JSON_DEPTH } from "../core/json.ts";
export { parseRateLimitText } from "../core/rate-limit-text.ts";
export {
  MAX_RATE_LIMIT_REQUESTS,
  MAX_RATE_LIMIT_WINDOW_MS,
  MAX_RATE_LIMIT_WINDOWS,
  type RateSlot,
  type RateTake,
  RateWindows,
} from "../core/rate-windows.ts";
export type { Transport } from "../core/transport-types.ts";
export { junitFrame, junitTestcase, toJUnit } from "../reporters/junit.ts";
export { toNdjsonLine } from "../reporters/ndjson.ts";
export { toText } from "../reporters/text.ts";
export { maskPersonal, showsMasked } from "../results/redact.ts";
export type {
  AssertionResult,
  ItemError,
  ItemResult,
  ItemStatus,
  RunEvent,
  RunResult,
  RunSummary,
} from "../results/result.ts";
export { MAX_JSONPATH_SHARED_VISITS, MAX_JSONPATH_VISITS } from "../syntax/jsonpath/index.ts";
export type {
  DurableSteps,
  RecordedAttempt,
  RecordedExchange,
  StepOptions,
} from "./durable-steps.ts";
export { RunnerErrorCode } from "./errors.ts";
export {
  describeEstimate,
  type EstimateOptions,
  estimateRequests,
  MAX_TOKEN_ACQUISITIONS,
  type RunEstimate,
} from "./estimate.ts";
export { DEFAULT_POLL_MAX_ATTEMPTS } from "./execute-item.ts";
export {
  KEEP_ALL_ITEMS_UP_TO,
  type KeepItems,
  MAX_KEPT_FAILURES,
  type ResolveSettingsResult,
  type RunOptions,
  type RunSettings,
  type RunVariables,
  resolveRunSettings,
} from "./options.ts";
export {
  CENTRIC_RATE_LIMIT,
  CENTRIC_RATE_LIMITS,
  collectionRateLimits,
  createRateLimiter,
  defaultRateLimits,
  PARTNER_RATE_LIMIT,
  PARTNER_RATE_LIMITS,
  type RateBudget,
  type RateLimit,
  type RateLimiterOptions,
  RateLimitWaitAborted,
} from "./rate-limiter.ts";
export { runCollection } from "./run-collection.ts";
export {
  MAX_CONCURRENCY,
  MAX_DEADLINE_MS,
  MAX_ITERATIONS,
  type ParseRunInputsOptions,
  type ParseRunInputsResult,
  parseRunInputs,
  RUN_INPUT_KEYS,
  type RunInputKey,
  type RunInputs,
  totalIterations,
} from "./run-inputs.ts";
export { secretTexts } from "./secret-values.ts";
export {
  createWebhookHub,
  eventMatches,
  eventText,
  MAX_HUB_EVENTS,
  type WebhookEventSource,
  type WebhookHub,
  type WebhookWait,
} from "./webhook-events.ts";
