/**
 * What one Workers invocation can afford, checked before a run starts (422, with the arithmetic)
 * instead of failing half-way: upstream requests and KV operations within
 * `RUNNER_SUBREQUEST_BUDGET`, and a result that fits the isolate's 128 MB.
 */
import type { Collection } from "../collection/model.ts";
import { describeEstimate, estimateRequests, type RunEstimate, type RunInputs } from "../runner/index.ts";
import { WorkerError } from "./errors.ts";

/** Most item results one run may produce (items × iterations), dry or not. */
export const MAX_ITEM_RESULTS = 10_000;
/**
 * Largest worst-case JSON result, in bytes. The result is held as objects and then as text, so
 * 16 MB of JSON stays well inside the 128 MB an isolate may use.
 */
export const MAX_RESULT_BYTES = 16 * 1024 * 1024;

/** A run's worst case in this Worker: the runner's estimate plus the Worker's KV operations. */
export interface WorkerEstimate extends RunEstimate {
  /** KV operations: token read and write per token acquisition; reading a stored collection. */
  kvOperations: number;
  /** `total + kvOperations`: what counts against the subrequest budget. */
  subrequests: number;
}

/** What the estimate needs to know about where the run happens. */
export interface WorkerEstimateContext {
  /** True with client credentials (a token is fetched and cached), false with an API key. */
  tokenCredentials: boolean;
  /** True when the collection was read from the COLLECTIONS namespace. */
  storedCollection: boolean;
}

/** The worst case of a run in this Worker. */
export function estimateWorkerRun(
  collection: Collection,
  inputs: RunInputs,
  context: WorkerEstimateContext,
): WorkerEstimate {
  const { tokenCredentials } = context;
  const estimate = estimateRequests(collection, inputs, { tokenCredentials });
  // Each token acquisition reads the token cache and writes what it fetched (a refused token is
  // dropped from memory only, never deleted from KV).
  const kvOperations = (tokenCredentials ? 2 * 2 : 0) + (context.storedCollection ? 1 : 0);
  return { ...estimate, kvOperations, subrequests: estimate.total + kvOperations };
}

/** Throws 422 `SUBREQUEST_BUDGET_EXCEEDED` when the worst case is over `budget`. */
export function enforceBudget(estimate: WorkerEstimate, budget: number): void {
  if (estimate.subrequests <= budget) return;
  throw new WorkerError(
    "SUBREQUEST_BUDGET_EXCEEDED",
    `this run may need ${estimate.subrequests} upstream requests, over the budget of ${budget}: ` +
      `${describeEstimate(estimate)}, + ${estimate.kvOperations} KV operations = ${estimate.subrequests}. ` +
      "Use fewer iterations or data rows, fewer retries or poll attempts, split the collection, " +
      "or raise RUNNER_SUBREQUEST_BUDGET.",
  );
}

/** Throws 422 `RUN_TOO_LARGE` when the run's item results or its result could outgrow the isolate. */
export function enforceResultSize(estimate: WorkerEstimate): void {
  const { items, iterations, itemResults } = estimate;
  if (itemResults > MAX_ITEM_RESULTS) {
    throw new WorkerError(
      "RUN_TOO_LARGE",
      `this run would produce ${items} items × ${iterations} iterations = ${itemResults} item results, ` +
        `over the limit of ${MAX_ITEM_RESULTS}. Use fewer iterations or data rows, or split the collection.`,
    );
  }
  if (estimate.resultBytes > MAX_RESULT_BYTES) {
    const perIteration = Math.ceil(estimate.resultBytesPerIteration / 1024);
    const total = Math.ceil(estimate.resultBytes / 1024);
    throw new WorkerError(
      "RUN_TOO_LARGE",
      `this run's result may reach ${perIteration} KB per iteration × ${iterations} iterations = ` +
        `${total} KB, over the limit of ${MAX_RESULT_BYTES / 1024} KB. Use fewer iterations or data ` +
        "rows, fewer assertions or captures, or run without includeBodies.",
    );
  }
}
