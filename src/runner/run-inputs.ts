/**
 * Run inputs (the caller-supplied part of `RunOptions`) as one valibot schema: the Worker's request
 * bodies, the CLI's flags and `runCollection` itself check them here, so the three never disagree.
 * Issues carry a JSON Pointer to the offending field and a message that says how to fix it.
 */
import * as v from "valibot";
import { boundedArray, validateBounded } from "../collection/issue-budget.ts";
import { type CollectionIssue, capIssues, fromValibotIssues, MAX_ISSUES } from "../collection/issues.ts";
import { boolean, integerIn, MAX_MS, mustBe, record, strictObject } from "../collection/schema-parts.ts";
import { jsonValue, VariableValueSchema, variableName } from "../collection/schema-values.ts";
import { isRecord, toJsonPointer } from "../core/json.ts";
import {
  MAX_RATE_LIMIT_REQUESTS,
  MAX_RATE_LIMIT_WINDOW_MS,
  MAX_RATE_LIMIT_WINDOWS,
} from "../core/rate-windows.ts";
import type { RunOptions } from "./options.ts";
import { MAX_SECRET_PARTS, secretParts } from "./secret-values.ts";

/** Most iterations one run may have (data rows times repeats). */
export const MAX_ITERATIONS = 10_000;
/** Most iterations running at once: Workers allow 6 open connections per request. */
export const MAX_CONCURRENCY = 6;

/** Longest run deadline accepted, in ms (one day; timers cannot wait longer than about 24.8 days). */
export const MAX_DEADLINE_MS = 86_400_000;
export { MAX_RATE_LIMIT_REQUESTS, MAX_RATE_LIMIT_WINDOW_MS } from "../core/rate-windows.ts";

/** Every run input, in the order they are documented. */
export const RUN_INPUT_KEYS = [
  "variables",
  "secrets",
  "data",
  "iterations",
  "concurrency",
  "bail",
  "timeoutMs",
  "delayMs",
  "deadlineMs",
  "rateLimit",
  "includeBodies",
  "dryRun",
  "allowOrders",
] as const;

/** The name of one run input. */
export type RunInputKey = (typeof RUN_INPUT_KEYS)[number];

/**
 * The input that makes a durable run fan out: each data row becomes a child run of its own. Not a
 * runner option (the runner never sees it), so it is accepted only where {@link ParseRunInputsOptions.fanOut}
 * says a run may fan out.
 */
export const FAN_OUT_KEY = "fanOut";

/** Checked run inputs: the options a caller may set, with the runner's own types. */
export type RunInputs = Pick<RunOptions, RunInputKey> & {
  /** Run each data row as a child durable run (only where the caller allowed {@link FAN_OUT_KEY}). */
  fanOut?: boolean;
};

/** A variable map of the run inputs: names as in collections, any JSON value (at most 100 deep). */
function variableMap(label: string) {
  return record(label, variableName("a variable name"), jsonValue(`${label} values`, "A variable's value."));
}

/** The run's secrets: a variable map whose values are masked part by part, so each stays small. */
const SecretsSchema = record(
  "secrets",
  variableName("a variable name"),
  v.pipe(
    jsonValue("secrets values", "A secret's value."),
    v.check(
      (value) => secretParts(value) !== undefined,
      `a secret may hold at most ${MAX_SECRET_PARTS} values, nested ones counted (each is masked on its own): keep only what the collection uses, or split it into several secrets`,
    ),
  ),
);

const DataRowSchema = record("a data row", variableName("a variable name"), VariableValueSchema);

const RateWindowSchema = strictObject(
  { label: "rateLimit", requiredHints: { requests: "attempts per window", perMs: "the window, in ms" } },
  {
    requests: integerIn("rateLimit.requests", 1, MAX_RATE_LIMIT_REQUESTS, "Attempts per window."),
    perMs: integerIn("rateLimit.perMs", 1, MAX_RATE_LIMIT_WINDOW_MS, "The window, in ms."),
  },
);

const RateLimitSchema = v.union(
  [
    v.literal(false),
    RateWindowSchema,
    v.pipe(
      boundedArray(RateWindowSchema, undefined),
      v.minLength(1, "rateLimit must have at least one window (false turns it off)"),
      v.maxLength(MAX_RATE_LIMIT_WINDOWS, `rateLimit must have at most ${MAX_RATE_LIMIT_WINDOWS} windows`),
    ),
  ],
  (issue) =>
    // The object's own issues (a field out of range) are more useful than "not false".
    issue.issues?.find((inner) => (inner.path?.length ?? 0) > 0)?.message ??
    issue.issues?.find((inner) => inner.type === "min_length" || inner.type === "max_length")?.message ??
    mustBe("rateLimit", "{ requests, perMs }, an array of them, or false")(issue),
);

/**
 * The schema of every run input (each optional, unknown fields refused).
 * @internal Its type is valibot's, which certn-edge does not install; callers use `parseRunInputs`.
 */
export const RunInputsSchema = strictObject(
  { label: "the run inputs" },
  {
    variables: v.exactOptional(variableMap("variables")),
    secrets: v.exactOptional(SecretsSchema),
    data: v.exactOptional(
      v.pipe(
        boundedArray(DataRowSchema, mustBe("data", "an array of objects (one per iteration)")),
        v.maxLength(MAX_ITERATIONS, `data must have at most ${MAX_ITERATIONS} rows`),
      ),
    ),
    iterations: v.exactOptional(integerIn("iterations", 1, MAX_ITERATIONS, "Repeats of the run.")),
    concurrency: v.exactOptional(integerIn("concurrency", 1, MAX_CONCURRENCY, "Iterations at once.")),
    bail: v.exactOptional(boolean("bail", "Stop at the first failed or errored item.")),
    timeoutMs: v.exactOptional(integerIn("timeoutMs", 1, MAX_MS, "Per-attempt timeout, in ms.")),
    delayMs: v.exactOptional(integerIn("delayMs", 0, MAX_MS, "Pause between requests, in ms.")),
    deadlineMs: v.exactOptional(integerIn("deadlineMs", 1, MAX_DEADLINE_MS, "The whole run's limit, in ms.")),
    rateLimit: v.exactOptional(RateLimitSchema),
    includeBodies: v.exactOptional(boolean("includeBodies", "Report bodies and headers (masked).")),
    dryRun: v.exactOptional(boolean("dryRun", "Resolve everything, send nothing.")),
    allowOrders: v.exactOptional(boolean("allowOrders", "Allow paid orders on the production API.")),
    fanOut: v.exactOptional(boolean("fanOut", "Run each data row as a child durable run.")),
  },
);

/** What {@link parseRunInputs} accepts besides the value. */
export interface ParseRunInputsOptions {
  /** The run inputs allowed here (default: all of {@link RUN_INPUT_KEYS}); others are unknown fields. */
  keys?: readonly RunInputKey[];
  /** Other fields the caller reads itself (such as a request body's `collection`): skipped, not refused. */
  extraKeys?: readonly string[];
  /**
   * Whether `fanOut` is an input here. Without this option it is an unknown field; with it,
   * `fanOut: true` needs data rows, and a run that is not durable is refused at `/fanOut` with
   * `howToDurable` (how a caller of this surface makes a run durable).
   */
  fanOut?: { durable: boolean; howToDurable: string };
}

/** The outcome of {@link parseRunInputs}. */
export type ParseRunInputsResult = { ok: true; inputs: RunInputs } | { ok: false; issues: CollectionIssue[] };

/**
 * Checks run inputs: `undefined` is no inputs; otherwise a plain object whose fields are run
 * inputs. Never throws. Besides each field, iterations × data rows must stay within
 * {@link MAX_ITERATIONS} (the collection's own `options.iterations` is checked by
 * `runInputsIssues`, which needs the collection).
 * @example
 * const parsed = parseRunInputs({ iterations: 2, variables: { email: "a@example.com" } });
 * if (parsed.ok) await runCollection(collection, { client, ...parsed.inputs });
 * else for (const issue of parsed.issues) console.error(`${issue.path}: ${issue.message}`);
 * // parseRunInputs({ concurrency: 9 }) gives
 * // { ok: false, issues: [{ path: "/concurrency", message: "concurrency must be a whole number from 1 to 6 (got 9)" }] }
 */
export function parseRunInputs(value: unknown, options: ParseRunInputsOptions = {}): ParseRunInputsResult {
  if (value === undefined) return { ok: true, inputs: {} };
  if (!isRecord(value)) {
    return { ok: false, issues: [{ path: "", message: "the run inputs must be a JSON object" }] };
  }
  const allowed = new Set<string>(options.keys ?? RUN_INPUT_KEYS);
  if (options.fanOut !== undefined) allowed.add(FAN_OUT_KEY);
  const extra = new Set(options.extraKeys ?? []);
  const checked: Record<string, unknown> = {};
  const issues: CollectionIssue[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (allowed.has(key)) checked[key] = entry;
    else if (!extra.has(key)) {
      const names = [...allowed, ...extra].join(", ");
      issues.push({ path: toJsonPointer([key]), message: `unknown field "${key}"; allowed: ${names}` });
      // An object of a million unknown keys needs no more than the issues shown.
      if (issues.length > MAX_ISSUES) return { ok: false, issues: capIssues(issues, true) };
    }
  }
  try {
    const result = validateBounded(RunInputsSchema, checked, MAX_ISSUES);
    if (!result.success) issues.push(...fromValibotIssues(result.issues ?? [], result.stopped));
    else if (issues.length === 0) {
      const inputs = result.output as RunInputs;
      const total = totalIterations(inputs.iterations, inputs.data?.length);
      if (total > MAX_ITERATIONS) issues.push(tooManyIterations("/iterations", total));
      if (options.fanOut !== undefined) issues.push(...fanOutIssues(inputs, options.fanOut));
      if (issues.length === 0) return { ok: true, inputs };
    }
  } catch (error) {
    // Only exotic inputs get here (a getter that throws, a proxy); parsed JSON never does.
    const reason = error instanceof RangeError ? "it is nested too deeply" : "reading it failed";
    issues.push({ path: "", message: `the run inputs could not be checked: ${reason}` });
  }
  return { ok: false, issues };
}

/** Issues of `fanOut: true`: it needs data rows (at most {@link MAX_ITERATIONS}) and a durable run. */
function fanOutIssues(
  inputs: RunInputs,
  where: { durable: boolean; howToDurable: string },
): CollectionIssue[] {
  if (inputs.fanOut !== true) return [];
  const issues: CollectionIssue[] = [];
  if (inputs.data === undefined || inputs.data.length === 0) {
    issues.push({
      path: "/fanOut",
      message: `fanOut runs each data row as a child run, so it needs data: an array of 1 to ${MAX_ITERATIONS} rows`,
    });
  }
  if (!where.durable) {
    issues.push({
      path: "/fanOut",
      message: `fanOut runs each data row as a child durable run, so only a durable run may fan out: ${where.howToDurable}`,
    });
  }
  return issues;
}

/** Iterations of a run: repeats times data rows (an empty data set runs once, like none). */
export function totalIterations(repeats: number | undefined, dataRows: number | undefined): number {
  return (repeats ?? 1) * (dataRows === undefined || dataRows === 0 ? 1 : dataRows);
}

/** The issue for iterations × data rows over {@link MAX_ITERATIONS}, at `path`. */
export function tooManyIterations(path: string, total: number): CollectionIssue {
  return {
    path,
    message: `iterations × data rows is ${total}; at most ${MAX_ITERATIONS} iterations are allowed`,
  };
}
