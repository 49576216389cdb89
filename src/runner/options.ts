/** Run options, and their resolution against the collection's own defaults. */
import * as v from "valibot";
import { type CollectionIssue, fromValibotIssues } from "../collection/issues.ts";
import type { Collection, CollectionOptions, JsonValue } from "../collection/model.ts";
import { OptionsSchema } from "../collection/schema.ts";
import { isRecord, issueLine } from "../core/json.ts";
import type { Transport } from "../core/transport-types.ts";
import type { RunEvent } from "../results/result.ts";
import type { DurableSteps } from "./durable-steps.ts";
import type { RateBudget, RateLimit } from "./rate-limiter.ts";
import {
  MAX_CONCURRENCY,
  MAX_ITERATIONS,
  parseRunInputs,
  RUN_INPUT_KEYS,
  type RunInputs,
  tooManyIterations,
  totalIterations,
} from "./run-inputs.ts";
import type { WebhookEventSource } from "./webhook-events.ts";

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
  /**
   * Attempts per rolling window, one window or several (all must have room); default 240 per
   * minute and 14,400 per day (CertnCentric: 60 and 7,220); `false` turns it off. Ignored when
   * `rateLimiter` is set.
   */
  rateLimit?: RateLimit | readonly RateLimit[] | false;
  /**
   * The rate budget every attempt takes a slot from and every 429 is reported to, in place of the
   * run's own in-process limiter: share one between runs, or plug in one of your own (the Worker
   * plugs in a Durable Object per credential).
   */
  rateLimiter?: RateBudget;
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
  /**
   * Which item results `RunResult.items` holds. `"all"`: every one, in iteration order.
   * `"failures"`: only failed and errored items, the first {@link MAX_KEPT_FAILURES} of them;
   * `RunResult.itemsOmitted` counts the rest. The summary counts every item either way, and
   * `onEvent`'s `item-end` events carry each result as it is made, so a long run can write its
   * report as it goes instead of holding every result. Default: `"all"` for a run of at most
   * {@link KEEP_ALL_ITEMS_UP_TO} item results (iterations times items), `"failures"` above.
   *
   * @example
   * ```ts
   * const result = await runCollection(collection, {
   *   client,
   *   iterations: 100_000,
   *   keepItems: "failures",
   *   onEvent: (event) => {
   *     if (event.type === "item-end") report.write(`${JSON.stringify(event.item)}\n`);
   *   },
   * });
   * console.log(result.summary.passed, result.items.length, result.itemsOmitted);
   * ```
   */
  keepItems?: KeepItems;
  /** Clock for tests (milliseconds since the epoch). */
  now?: () => number;
  /** Sleep for tests; must resolve (not reject) when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Where verified webhook events come from, for `poll.wakeOn` and `wait` items (for example a
   * {@link createWebhookHub} fed by a receiver). Without it `wakeOn` polls on its interval and a
   * `wait` item errors with `CERTN_WAIT_UNSUPPORTED`.
   */
  webhooks?: WebhookEventSource;
  /**
   * A durable engine's steps (the Worker's Workflows): each upstream exchange becomes one step and
   * each poll interval a durable sleep. Leave unset to run in-process.
   */
  steps?: DurableSteps;
}

/** Which item results a run result holds: see {@link RunOptions.keepItems}. */
export type KeepItems = "all" | "failures";

/** Runs of up to this many item results keep them all unless told otherwise. */
export const KEEP_ALL_ITEMS_UP_TO = 1_000;

/** The most failed or errored item results a `"failures"` run result holds. */
export const MAX_KEPT_FAILURES = 1_000;

/**
 * What a run keeps, from `keepItems` and the run's size.
 * @throws TypeError for a `keepItems` other than "all" or "failures".
 *
 * @example
 * ```ts
 * resolveKeepItems(undefined, 500); // "all"
 * resolveKeepItems(undefined, 100_000); // "failures"
 * resolveKeepItems("all", 100_000); // "all"
 * ```
 */
export function resolveKeepItems(keepItems: unknown, itemResults: number): KeepItems {
  if (keepItems === undefined) return itemResults <= KEEP_ALL_ITEMS_UP_TO ? "all" : "failures";
  if (keepItems === "all" || keepItems === "failures") return keepItems;
  throw new TypeError(`runCollection: invalid run options (/keepItems: must be "all" or "failures")`);
}

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

/** The outcome of {@link resolveRunSettings}. */
export type ResolveSettingsResult =
  | { ok: true; settings: RunSettings }
  | { ok: false; issues: CollectionIssue[] };

/**
 * Resolves a run's settings: run inputs over the collection's `options` over defaults. The
 * collection's options are checked again with the inputs they combine with (its
 * `options.iterations` times the data rows must stay within {@link MAX_ITERATIONS}); an issue
 * about them points into the collection (`/options/iterations`), one about the inputs at the
 * input (`/iterations`). Never throws.
 */
export function resolveRunSettings(collection: Collection, inputs: RunInputs): ResolveSettingsResult {
  const defaults: CollectionOptions = isRecord(collection.options) ? collection.options : {};
  const issues = collectionOptionIssues(defaults);
  const rows = inputs.data !== undefined && inputs.data.length > 0 ? inputs.data : undefined;
  const fromInputs = inputs.iterations !== undefined;
  const iterations = totalIterations(fromInputs ? inputs.iterations : defaults.iterations, rows?.length);
  if (iterations > MAX_ITERATIONS) {
    issues.push(tooManyIterations(fromInputs ? "/iterations" : "/options/iterations", iterations));
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    settings: {
      iterations,
      rows,
      concurrency: inputs.concurrency ?? defaults.concurrency ?? 1,
      bail: inputs.bail ?? defaults.bail ?? false,
      timeoutMs: inputs.timeoutMs ?? defaults.timeoutMs,
      delayMs: inputs.delayMs ?? defaults.delayMs ?? 0,
      deadlineMs: inputs.deadlineMs,
      includeBodies: inputs.includeBodies === true,
      dryRun: inputs.dryRun === true,
      allowOrders: inputs.allowOrders === true,
    },
  };
}

/** Issues of the collection's `options` (a collection built in code skips `parseCollection`). */
function collectionOptionIssues(options: CollectionOptions): CollectionIssue[] {
  const parsed = v.safeParse(OptionsSchema, options);
  if (parsed.success) return [];
  return fromValibotIssues(parsed.issues).map((issue) => ({ ...issue, path: `/options${issue.path}` }));
}

/** The run inputs inside `options`: only the fields that are set, concurrency capped at 6. */
export function pickRunInputs(options: RunOptions): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of RUN_INPUT_KEYS) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  // The library caps concurrency (as documented) rather than refusing it; requests over HTTP and
  // the CLI's flags are refused above 6 instead, so their callers learn the limit.
  const concurrency = picked.concurrency;
  if (typeof concurrency === "number" && concurrency > MAX_CONCURRENCY) picked.concurrency = MAX_CONCURRENCY;
  return picked;
}

/**
 * Checks the run inputs of a `runCollection` call.
 * @throws TypeError naming each invalid run option (a programmer error, not a collection's).
 */
export function checkRunOptions(options: RunOptions): RunInputs {
  const parsed = parseRunInputs(pickRunInputs(options));
  if (parsed.ok) return parsed.inputs;
  throw optionsError(parsed.issues);
}

/**
 * The settings of a `runCollection` call, from inputs checked by {@link checkRunOptions}.
 * @throws TypeError when the collection's options are invalid or give too many iterations.
 */
export function resolveSettings(collection: Collection, inputs: RunInputs): RunSettings {
  const resolved = resolveRunSettings(collection, inputs);
  if (resolved.ok) return resolved.settings;
  throw optionsError(resolved.issues);
}

function optionsError(issues: readonly CollectionIssue[]): TypeError {
  const list = issues.map(issueLine).join("; ");
  return new TypeError(`runCollection: invalid run options (${list})`);
}
