/** Run options, and their resolution against the collection's own defaults. */
import type { Collection, JsonValue } from "../collection/model.ts";
import type { Transport } from "../core/transport-types.ts";
import type { RunEvent } from "../results/result.ts";
import type { RateLimit } from "./rate-limiter.ts";

/** A variable map as run inputs accept it (collections hold only strings, numbers and booleans). */
export type RunVariables = Record<string, JsonValue>;

/** Options of {@link runCollection}. */
export interface RunOptions {
  /** Where requests go: anything with `baseUrl` and `send`, normally a `CertnClient`. Required. */
  client: Transport;
  /** Variables for this run (above the collection's `variables`). */
  variables?: RunVariables;
  /** Secret variables: like `variables`, but their values never appear in results, events or reports. */
  secrets?: RunVariables;
  /** One iteration per row; a row's keys become variables (above secrets and run variables). */
  data?: RunVariables[];
  /** Repeats (with `data`, the data set is repeated this many times). Default 1. */
  iterations?: number;
  /** Iterations running at once (1..6; items inside one iteration always run in order). Default 1. */
  concurrency?: number;
  /** Stop at the first failed or errored item. */
  bail?: boolean;
  /** Per-attempt timeout in ms (an item's `timeoutMs` overrides it). */
  timeoutMs?: number;
  /** Pause between requests, in ms. */
  delayMs?: number;
  /** Wall-clock limit of the whole run, in ms. */
  deadlineMs?: number;
  /** Attempts per window; default 240 per minute (60 for CertnCentric); `false` turns it off. */
  rateLimit?: RateLimit | false;
  /** Report request and response bodies and headers (personal fields masked). Default false. */
  includeBodies?: boolean;
  /** Resolve everything, send nothing, report what would be sent. */
  dryRun?: boolean;
  /** Allow requests that order paid checks on Certn's production API. */
  allowOrders?: boolean;
  /** Aborts the run: nothing new starts, attempts in flight are aborted. */
  signal?: AbortSignal;
  /** Told about the run's progress; a throwing listener never breaks the run. */
  onEvent?: (event: RunEvent) => void;
  /** Clock for tests (milliseconds since the epoch). */
  now?: () => number;
  /** Sleep for tests; must resolve (not reject) when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Most iterations one run may have (data rows times repeats). */
export const MAX_ITERATIONS = 10_000;
/** Most iterations running at once: Workers allow 6 open connections per request. */
export const MAX_CONCURRENCY = 6;

/** Run options after defaults and checks. */
export interface RunSettings {
  iterations: number;
  rows: ReadonlyArray<Readonly<Record<string, JsonValue>>> | undefined;
  concurrency: number;
  bail: boolean;
  timeoutMs: number | undefined;
  delayMs: number;
  deadlineMs: number | undefined;
  includeBodies: boolean;
  dryRun: boolean;
  allowOrders: boolean;
}

function runNumber(
  value: unknown,
  name: string,
  check: (n: number) => boolean,
  rule: string,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || !check(value)) {
    throw new TypeError(`runCollection: options.${name} must be ${rule} (got ${String(value)})`);
  }
  return value;
}

function collectionNumber(value: unknown, check: (n: number) => boolean): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && check(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Checks a variable map of the run options. */
export function checkVariables(value: unknown, name: string): Record<string, JsonValue> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw new TypeError(`runCollection: options.${name} must be an object of values`);
  return value;
}

/**
 * Resolves the run's settings: run options over collection options over defaults.
 * @throws TypeError for run options of the wrong type (a programmer error, not a collection's).
 */
export function resolveSettings(collection: Collection, options: RunOptions): RunSettings {
  const defaults = isRecord(collection.options) ? collection.options : {};
  const positiveInt = (n: number): boolean => Number.isInteger(n) && n >= 1;
  const nonNegative = (n: number): boolean => n >= 0;
  const positive = (n: number): boolean => n > 0;

  let rows: RunVariables[] | undefined;
  if (options.data !== undefined) {
    if (!Array.isArray(options.data))
      throw new TypeError("runCollection: options.data must be an array of objects");
    options.data.forEach((row, index) => {
      if (!isRecord(row)) throw new TypeError(`runCollection: options.data[${index}] must be an object`);
    });
    rows = options.data.length > 0 ? options.data : undefined;
  }
  const repeats =
    runNumber(options.iterations, "iterations", positiveInt, "an integer >= 1") ??
    collectionNumber(defaults.iterations, positiveInt) ??
    1;
  const iterations = repeats * (rows?.length ?? 1);
  if (iterations > MAX_ITERATIONS) {
    throw new TypeError(
      `runCollection: ${iterations} iterations requested; at most ${MAX_ITERATIONS} are allowed`,
    );
  }
  const concurrency =
    runNumber(options.concurrency, "concurrency", positiveInt, "an integer >= 1") ??
    collectionNumber(defaults.concurrency, positiveInt) ??
    1;
  return {
    iterations,
    rows,
    concurrency: Math.min(concurrency, MAX_CONCURRENCY),
    bail: options.bail ?? defaults.bail === true,
    timeoutMs:
      runNumber(options.timeoutMs, "timeoutMs", positive, "a number of ms > 0") ??
      collectionNumber(defaults.timeoutMs, positive),
    delayMs:
      runNumber(options.delayMs, "delayMs", nonNegative, "a number of ms >= 0") ??
      collectionNumber(defaults.delayMs, nonNegative) ??
      0,
    deadlineMs: runNumber(options.deadlineMs, "deadlineMs", positive, "a number of ms > 0"),
    includeBodies: options.includeBodies === true,
    dryRun: options.dryRun === true,
    allowOrders: options.allowOrders === true,
  };
}
