/**
 * The run inputs a caller may send over HTTP, checked with the runner's one schema
 * (`parseRunInputs`); a bad input is a 400 whose issues point at it.
 */
import type { Collection } from "../collection/model.ts";
import {
  parseRunInputs,
  type RunInputKey,
  type RunInputs,
  type RunSettings,
  resolveRunSettings,
} from "../runner/index.ts";
import { type Issue, invalidInput } from "./errors.ts";

/**
 * The run inputs of the Worker's routes. The deadline is the deployment's (`RUNNER_DEADLINE_MS`);
 * paid orders, timeouts, delays and the rate limit stay at their safe defaults over HTTP.
 */
export const WORKER_RUN_INPUT_KEYS = [
  "variables",
  "secrets",
  "data",
  "iterations",
  "concurrency",
  "bail",
  "includeBodies",
  "dryRun",
] as const satisfies readonly RunInputKey[];

/** Checked run inputs of a Worker route; `fanOut` only on a durable run (see docs/worker.md). */
export type WorkerRunInputs = Pick<RunInputs, (typeof WORKER_RUN_INPUT_KEYS)[number] | "fanOut">;

/**
 * Checks the run inputs in `body`. `extraKeys` are other fields the route reads itself (such as
 * `collection`); any other field is refused, so a misspelt option does not pass silently.
 * `durable` says whether the request asked for a durable run (`fanOut: true` needs one).
 * @example
 * const inputs = readRunInputs(await readJsonBody(c.req.raw), ["collection"], { durable: true });
 * @throws WorkerError 400 `INVALID_INPUT` with every issue found
 */
export function readRunInputs(
  body: unknown,
  extraKeys: readonly string[] = [],
  options: { durable?: boolean } = {},
): WorkerRunInputs {
  const parsed = parseRunInputs(body, {
    keys: WORKER_RUN_INPUT_KEYS,
    extraKeys,
    fanOut: {
      durable: options.durable === true,
      howToDurable: "send the request with the header Prefer: respond-async",
    },
  });
  if (parsed.ok) return parsed.inputs;
  const { issues } = parsed;
  throw invalidInput("INVALID_INPUT", `the run inputs are invalid (${issues.length} issue(s))`, issues);
}

/**
 * The run's settings: the inputs over the collection's own `options`, checked together (its
 * `options.iterations` times the data rows must stay within the limit too).
 * @param collectionPointer where the collection is in the request body (`/collection`), or ""
 * for a saved collection, whose issues then point into the collection itself
 * @throws WorkerError 400 `INVALID_INPUT` (an input's fault) or `INVALID_COLLECTION`
 */
export function checkRunSettings(
  collection: Collection,
  inputs: WorkerRunInputs,
  collectionPointer: string,
): RunSettings {
  const resolved = resolveRunSettings(collection, inputs);
  if (resolved.ok) return resolved.settings;
  const fromCollection = (issue: Issue): boolean => issue.path.startsWith("/options/");
  const issues = resolved.issues.map((issue) =>
    fromCollection(issue) ? { ...issue, path: collectionPointer + issue.path } : issue,
  );
  const code = resolved.issues.every(fromCollection) ? "INVALID_COLLECTION" : "INVALID_INPUT";
  const message =
    code === "INVALID_COLLECTION"
      ? `the collection's options do not fit the run inputs (${issues.length} issue(s))`
      : `the run inputs are invalid (${issues.length} issue(s))`;
  throw invalidInput(code, message, issues);
}
