/**
 * The run inputs a caller may send: `{ variables, secrets, data, iterations, concurrency, bail,
 * includeBodies, dryRun }` (and `collection` for ad-hoc runs), checked field by field with
 * JSON Pointer paths, so a bad input is a 400 that says what to fix.
 */

import type { JsonValue } from "../collection/model.ts";
import { isRecord as isPlainObject, toJsonPointer } from "../core/json.ts";
import { MAX_CONCURRENCY, MAX_ITERATIONS, type RunOptions, type RunVariables } from "../runner/index.ts";
import { type Issue, invalidInput } from "./errors.ts";

/** Most data rows one run may have (iterations times rows is capped by the runner's MAX_ITERATIONS). */
export const MAX_DATA_ROWS = MAX_ITERATIONS;

const RUN_INPUT_KEYS = [
  "variables",
  "secrets",
  "data",
  "iterations",
  "concurrency",
  "bail",
  "includeBodies",
  "dryRun",
] as const;

/** Checked run inputs: the run options a caller may set over HTTP, with the runner's own types. */
export type RunInputs = Pick<RunOptions, (typeof RUN_INPUT_KEYS)[number]>;

/** A map of variable names to JSON values (parsed JSON holds nothing else). */
function readVariables(value: unknown, path: string, issues: Issue[]): RunVariables | undefined {
  if (!isPlainObject(value)) {
    issues.push({ path, message: "must be an object of variable names to values" });
    return undefined;
  }
  const result: RunVariables = {};
  for (const [name, entry] of Object.entries(value)) {
    if (name === "") issues.push({ path: `${path}/`, message: "variable names must not be empty" });
    else result[name] = entry as JsonValue;
  }
  return result;
}

/** An integer in [min, max]. */
function readInteger(
  value: unknown,
  path: string,
  min: number,
  max: number,
  issues: Issue[],
): number | undefined {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    issues.push({ path, message: `must be an integer from ${min} to ${max}` });
    return undefined;
  }
  return value;
}

function readBoolean(value: unknown, path: string, issues: Issue[]): boolean | undefined {
  if (typeof value !== "boolean") {
    issues.push({ path, message: "must be true or false" });
    return undefined;
  }
  return value;
}

/**
 * Checks the run inputs in `body`. `extraKeys` are other fields the route reads itself (such as
 * `collection`); any other field is refused, so a misspelt option does not pass silently.
 * Throws a 400 `WorkerError` with every issue found.
 */
export function readRunInputs(body: unknown, extraKeys: readonly string[] = []): RunInputs {
  if (body === undefined) return {};
  if (!isPlainObject(body)) {
    throw invalidInput("INVALID_INPUT", "the request body must be a JSON object", [
      { path: "", message: "must be a JSON object" },
    ]);
  }
  const issues: Issue[] = [];
  const inputs: RunInputs = {};
  const allowed = new Set<string>([...RUN_INPUT_KEYS, ...extraKeys]);
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) {
      issues.push({
        path: toJsonPointer([key]),
        message: `unknown field; allowed: ${[...allowed].join(", ")}`,
      });
    }
  }
  if (body.variables !== undefined) {
    const variables = readVariables(body.variables, "/variables", issues);
    if (variables !== undefined) inputs.variables = variables;
  }
  if (body.secrets !== undefined) {
    const secrets = readVariables(body.secrets, "/secrets", issues);
    if (secrets !== undefined) inputs.secrets = secrets;
  }
  if (body.data !== undefined) {
    if (!Array.isArray(body.data)) issues.push({ path: "/data", message: "must be an array of objects" });
    else if (body.data.length > MAX_DATA_ROWS) {
      issues.push({ path: "/data", message: `must have at most ${MAX_DATA_ROWS} rows` });
    } else {
      const rows: RunVariables[] = [];
      body.data.forEach((row: unknown, index: number) => {
        const read = readVariables(row, toJsonPointer(["data", index]), issues);
        if (read !== undefined) rows.push(read);
      });
      inputs.data = rows;
    }
  }
  if (body.iterations !== undefined) {
    const iterations = readInteger(body.iterations, "/iterations", 1, MAX_ITERATIONS, issues);
    if (iterations !== undefined) inputs.iterations = iterations;
  }
  if (body.concurrency !== undefined) {
    const concurrency = readInteger(body.concurrency, "/concurrency", 1, MAX_CONCURRENCY, issues);
    if (concurrency !== undefined) inputs.concurrency = concurrency;
  }
  for (const flag of ["bail", "includeBodies", "dryRun"] as const) {
    if (body[flag] !== undefined) {
      const value = readBoolean(body[flag], toJsonPointer([flag]), issues);
      if (value !== undefined) inputs[flag] = value;
    }
  }
  const total = (inputs.iterations ?? 1) * Math.max(1, inputs.data?.length ?? 1);
  if (total > MAX_ITERATIONS) {
    issues.push({
      path: "/iterations",
      message: `iterations × data rows is ${total}; at most ${MAX_ITERATIONS} iterations are allowed`,
    });
  }
  if (issues.length > 0) {
    throw invalidInput("INVALID_INPUT", `the run inputs are invalid (${issues.length} issue(s))`, issues);
  }
  return inputs;
}
