/**
 * The worst case of a run, worked out before it starts: how many requests it may send (every
 * retry used, every 401 replayed, every poll attempt made) and how many item results it produces.
 * A wait item sends nothing (it gives one result and no request), and a poll's `wakeOn` only
 * brings attempts forward: `maxAttempts` still bounds them, so it does not change the worst case.
 * A host with a hard limit (a Worker's subrequests and memory) refuses a run over it up front
 * instead of failing half-way, and shows this arithmetic.
 */
import {
  type Collection,
  type Item,
  isFolder,
  isWaitItem,
  type RequestItem,
  type WaitItem,
} from "../collection/model.ts";
import { DEFAULT_RETRY_POLICY } from "../core/retry-policy.ts";
import { MAX_REPORTED_VALUE_BYTES } from "../results/redact.ts";
import { DEFAULT_POLL_MAX_ATTEMPTS } from "./execute-item.ts";
import { MAX_REPORTED_BODY_BYTES } from "./record.ts";
import { type RunInputs, totalIterations } from "./run-inputs.ts";

/** Most access-token acquisitions per run: the first, and one refresh after a 401. */
export const MAX_TOKEN_ACQUISITIONS = 2;

/**
 * Bytes of one item result's JSON besides its assertions, captures and bodies: name, folder path,
 * URL and error message of ordinary length, status, timings and the implicit status check.
 */
export const RESULT_ITEM_BYTES = 1024;
/** Bytes of one assertion result: expected and actual (each cut to 1 KB), selector and message. */
export const RESULT_ASSERTION_BYTES = 2 * MAX_REPORTED_VALUE_BYTES + 512;
/** Bytes of reported headers of one request or response (with `includeBodies`). */
export const RESULT_HEADERS_BYTES = 8 * 1024;

/** What the transport does that the estimate depends on. */
export interface EstimateOptions {
  /** Retries of a request whose item sets none (a `CertnClient`'s default: 2). */
  defaultRetries?: number;
  /**
   * True when the transport gets OAuth access tokens (client credentials): a request answered
   * 401 is replayed once with a fresh token, and a run makes at most
   * {@link MAX_TOKEN_ACQUISITIONS} token requests, each with its retries. An API key is never
   * replayed and needs no token request.
   */
  tokenCredentials?: boolean;
}

/** A run's worst case, with the parts its arithmetic is made of. */
export interface RunEstimate {
  /** Request items that may send, per iteration (`skip: true` items and wait items excluded). */
  requests: number;
  /** Extra sends of polled items per iteration (`maxAttempts - 1` each). */
  pollAttempts: number;
  /** Retries per send when every item shares them, else undefined. */
  uniformRetries: number | undefined;
  /** Replays after a 401 per iteration (one per send, with token credentials). */
  replays: number;
  /** Worst-case requests of one iteration: sends × (1 + retries), plus replays. */
  perIteration: number;
  /** Iterations (repeats × data rows). */
  iterations: number;
  /** `perIteration × iterations`. */
  apiRequests: number;
  /** Token requests: {@link MAX_TOKEN_ACQUISITIONS} × (1 + retries), or 0. */
  tokenRequests: number;
  /** Retries of one token request. */
  tokenRetries: number;
  /** `apiRequests + tokenRequests`: upstream requests the run may send. */
  total: number;
  /** Request and wait items per iteration, skipped ones included (each gives one result). */
  items: number;
  /** Item results of the whole run: `items × iterations`. */
  itemResults: number;
  /** Largest JSON result of one iteration, in bytes (see {@link RESULT_ITEM_BYTES}). */
  resultBytesPerIteration: number;
  /** Largest JSON result of the whole run: `resultBytesPerIteration × iterations`. */
  resultBytes: number;
}

/** The items that give a result (request and wait items), folders flattened, in order. */
function* leafItems(items: readonly Item[]): Generator<RequestItem | WaitItem> {
  for (const item of items) {
    if (isFolder(item)) yield* leafItems(item.items);
    else yield item;
  }
}

/**
 * The worst case of running `collection` with `inputs` (checked by `parseRunInputs`): requests
 * and item results. A dry run sends nothing, but its estimate is that of the real run.
 * @example
 * const estimate = estimateRequests(collection, { iterations: 5 }, { tokenCredentials: true });
 * if (estimate.total > 45) throw new Error(`too many requests: ${describeEstimate(estimate)}`);
 */
export function estimateRequests(
  collection: Collection,
  inputs: RunInputs,
  options: EstimateOptions = {},
): RunEstimate {
  const defaultRetries = options.defaultRetries ?? DEFAULT_RETRY_POLICY.retries;
  const tokens = options.tokenCredentials === true;
  let items = 0;
  let requests = 0;
  let pollAttempts = 0;
  let replays = 0;
  let perIteration = 0;
  let resultBytesPerIteration = 0;
  const bodies = inputs.includeBodies === true;
  const retrySet = new Set<number>();
  for (const item of leafItems(collection.items)) {
    items++;
    resultBytesPerIteration += resultBytesOf(item, bodies);
    // A wait item sends nothing: it gives a result, no request (its timeout costs no request).
    if (item.skip === true || isWaitItem(item)) continue;
    const retries = item.retry?.retries ?? defaultRetries;
    const sends = item.poll === undefined ? 1 : (item.poll.maxAttempts ?? DEFAULT_POLL_MAX_ATTEMPTS);
    // The transport replays a send once after a 401 (outside its retries) when it holds a token.
    const replay = tokens && item.auth !== "none" ? 1 : 0;
    retrySet.add(retries);
    requests++;
    pollAttempts += sends - 1;
    replays += sends * replay;
    perIteration += sends * (1 + retries + replay);
  }
  const iterations = totalIterations(
    inputs.iterations ?? collection.options?.iterations,
    inputs.data?.length,
  );
  const apiRequests = perIteration * iterations;
  const tokenRequests = tokens ? MAX_TOKEN_ACQUISITIONS * (1 + defaultRetries) : 0;
  return {
    requests,
    pollAttempts,
    uniformRetries: retrySet.size <= 1 ? ([...retrySet][0] ?? defaultRetries) : undefined,
    replays,
    perIteration,
    iterations,
    apiRequests,
    tokenRequests,
    tokenRetries: defaultRetries,
    total: apiRequests + tokenRequests,
    items,
    itemResults: items * iterations,
    resultBytesPerIteration,
    resultBytes: resultBytesPerIteration * iterations,
  };
}

/**
 * The largest JSON an item's result can take: its assertions (the poll's conditions included),
 * captures (one value each, however many selectors it lists) and, with `includeBodies`, bodies
 * and headers (a wait item reports only the event as its response: counted as a request's, the
 * bound stays safe).
 */
function resultBytesOf(item: RequestItem | WaitItem, bodies: boolean): number {
  const poll = "poll" in item ? item.poll : undefined;
  const assertions = (item.assert?.length ?? 0) + (poll?.until.length ?? 0) + (poll?.failIf?.length ?? 0);
  const captures = Object.keys(item.capture ?? {}).length;
  const reported = bodies ? 2 * (MAX_REPORTED_BODY_BYTES + RESULT_HEADERS_BYTES) : 0;
  return (
    RESULT_ITEM_BYTES +
    assertions * RESULT_ASSERTION_BYTES +
    captures * (MAX_REPORTED_VALUE_BYTES + 256) +
    reported
  );
}

/**
 * The arithmetic of an estimate's requests, in words, for example
 * `(3 requests + 0 poll attempts) × (1 + 2 retries) + 3 replays after a 401 = 12 per iteration;
 * × 5 iterations = 60, + 6 token requests (2 × (1 + 2 retries)) = 66`.
 */
export function describeEstimate(estimate: RunEstimate): string {
  const sends = `${estimate.requests} requests + ${estimate.pollAttempts} poll attempts`;
  const attempts =
    estimate.uniformRetries === undefined
      ? `(${sends}) with each item's retries`
      : `(${sends}) × (1 + ${estimate.uniformRetries} retries)`;
  const replays = estimate.replays > 0 ? ` + ${estimate.replays} replays after a 401` : "";
  const tokens =
    estimate.tokenRequests > 0
      ? `, + ${estimate.tokenRequests} token requests (${MAX_TOKEN_ACQUISITIONS} × (1 + ${estimate.tokenRetries} retries))`
      : ", + 0 token requests";
  return (
    `${attempts}${replays} = ${estimate.perIteration} per iteration; × ${estimate.iterations} ` +
    `iterations = ${estimate.apiRequests}${tokens} = ${estimate.total}`
  );
}
