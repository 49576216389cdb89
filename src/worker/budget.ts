/**
 * The subrequest budget: a run is refused up front (422, with the arithmetic) when its worst case
 * could exceed what one Workers invocation may send, instead of failing half-way through.
 */
import { type Collection, type Item, isFolder, type RequestItem } from "../collection/model.ts";
import { DEFAULT_RETRY_POLICY } from "../index.ts";
import { DEFAULT_POLL_MAX_ATTEMPTS } from "../runner/index.ts";
import { WorkerError } from "./errors.ts";

/** The transport's default retries per request. */
const DEFAULT_RETRIES = DEFAULT_RETRY_POLICY.retries;

/** What the worst case is made of. */
export interface BudgetEstimate {
  /** Request items that may be sent in one iteration (`skip: true` items excluded). */
  requests: number;
  /** Their attempts with every retry used. */
  attempts: number;
  /** The retries per request when every item shares them, else undefined. */
  uniformRetries: number | undefined;
  /** Extra poll attempts in one iteration (`maxAttempts - 1` per polled item). */
  pollAttempts: number;
  /** Iterations, data rows included. */
  iterations: number;
  /** Token requests (the first, and one refresh after a 401). */
  tokenRequests: number;
  /** KV operations (token read and write, twice with a refresh; reading a stored collection). */
  kvOperations: number;
  total: number;
}

/** What the estimate needs besides the collection. */
export interface BudgetContext {
  iterations?: number;
  dataRows?: number;
  /** True when a token is fetched and cached (client credentials), false for an API key. */
  usesTokenCache: boolean;
  /** True when the collection was read from the COLLECTIONS namespace. */
  storedCollection: boolean;
}

function* requestItems(items: readonly Item[]): Generator<RequestItem> {
  for (const item of items) {
    if (isFolder(item)) yield* requestItems(item.items);
    else yield item;
  }
}

/** The worst-case upstream requests and KV operations of a run. */
export function estimateSubrequests(collection: Collection, context: BudgetContext): BudgetEstimate {
  let requests = 0;
  let attempts = 0;
  let pollAttempts = 0;
  const retrySet = new Set<number>();
  for (const item of requestItems(collection.items)) {
    if (item.skip === true) continue;
    const retries = item.retry?.retries ?? DEFAULT_RETRIES;
    retrySet.add(retries);
    requests++;
    attempts += 1 + retries;
    if (item.poll !== undefined)
      pollAttempts += Math.max(0, (item.poll.maxAttempts ?? DEFAULT_POLL_MAX_ATTEMPTS) - 1);
  }
  const repeats = context.iterations ?? collection.options?.iterations ?? 1;
  // The runner runs an empty data set once, like no data at all.
  const iterations =
    context.dataRows === undefined || context.dataRows === 0 ? repeats : repeats * context.dataRows;
  const tokenRequests = context.usesTokenCache ? 2 : 0;
  const kvOperations = (context.usesTokenCache ? 4 : 0) + (context.storedCollection ? 1 : 0);
  const uniformRetries =
    retrySet.size === 1 ? [...retrySet][0] : retrySet.size === 0 ? DEFAULT_RETRIES : undefined;
  return {
    requests,
    attempts,
    uniformRetries,
    pollAttempts,
    iterations,
    tokenRequests,
    kvOperations,
    total: (attempts + pollAttempts) * iterations + tokenRequests + kvOperations,
  };
}

/** The arithmetic of an estimate, in words. */
export function describeEstimate(estimate: BudgetEstimate): string {
  const perRequest =
    estimate.uniformRetries === undefined
      ? `${estimate.requests} requests with their retries = ${estimate.attempts}`
      : `${estimate.requests} requests × (1 + ${estimate.uniformRetries} retries) = ${estimate.attempts}`;
  const perIteration = estimate.attempts + estimate.pollAttempts;
  return (
    `(${perRequest}, + ${estimate.pollAttempts} poll attempts = ${perIteration}) × ${estimate.iterations} ` +
    `iterations = ${perIteration * estimate.iterations}, + ${estimate.tokenRequests} token requests + ` +
    `${estimate.kvOperations} KV operations = ${estimate.total}`
  );
}

/** Throws 422 when the estimate is over `budget`. */
export function enforceBudget(estimate: BudgetEstimate, budget: number): void {
  if (estimate.total <= budget) return;
  throw new WorkerError(
    422,
    "SUBREQUEST_BUDGET_EXCEEDED",
    `this run may need ${estimate.total} upstream requests, over the budget of ${budget}: ` +
      `${describeEstimate(estimate)}. Use fewer iterations or data rows, split the collection, ` +
      "or raise RUNNER_SUBREQUEST_BUDGET.",
  );
}
