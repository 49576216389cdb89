/**
 * `runCollection`: runs a collection's items in order for each iteration, iterations possibly in
 * parallel, through the caller's transport, and returns a redacted result.
 */
import type { Collection } from "../collection/model.ts";
import type { ItemResult, RunEvent, RunResult, RunSummary } from "../results/result.ts";
import { createClock } from "./clock.ts";
import type { IterationState, RunContext } from "./context.ts";
import { RunControl } from "./control.ts";
import { RunnerErrorCode } from "./errors.ts";
import { executeItem } from "./execute-item.ts";
import { type FlatItem, flattenItems } from "./flatten.ts";
import {
  checkRunOptions,
  MAX_KEPT_FAILURES,
  type RunOptions,
  resolveKeepItems,
  resolveSettings,
} from "./options.ts";
import { checkRateBudget, defaultRateLimits, RateLimiter } from "./rate-limiter.ts";
import { iterationRedactor, runRedactor } from "./record.ts";
import { secretTexts } from "./secret-values.ts";
import { countItem, emptySummary, summarize } from "./summary.ts";
import { IterationScope } from "./variables.ts";

function checkClient(options: RunOptions | undefined): void {
  const client = options?.client as { baseUrl?: unknown; send?: unknown } | undefined;
  if (!client || typeof client.send !== "function" || typeof client.baseUrl !== "string") {
    throw new TypeError(
      "runCollection(collection, { client }): client must have a baseUrl string and a send function (a CertnClient)",
    );
  }
}

function safeEmitter(onEvent: RunOptions["onEvent"]): (event: RunEvent) => void {
  return (event) => {
    if (!onEvent) return;
    try {
      const returned: unknown = onEvent(event);
      if (returned instanceof Promise) returned.catch(() => undefined);
    } catch {
      // A failing listener must not change the run.
    }
  };
}

function collectionShapeProblem(collection: unknown): string | undefined {
  if (collection === null || typeof collection !== "object" || Array.isArray(collection)) {
    return "the collection must be an object; validate it with parseCollection first";
  }
  const items = (collection as { items?: unknown }).items;
  if (!Array.isArray(items))
    return 'the collection has no "items" array; validate it with parseCollection first';
  return undefined;
}

function captureNamesOf(flat: readonly FlatItem[]): Set<string> {
  const names = new Set<string>();
  for (const { item } of flat) {
    const capture = item.capture;
    if (capture !== null && typeof capture === "object")
      for (const name of Object.keys(capture)) names.add(name);
  }
  return names;
}

function requestUrls(flat: readonly FlatItem[]): string[] {
  return flat.flatMap(({ item }) =>
    "request" in item && typeof item.request?.url === "string" ? [item.request.url] : [],
  );
}

/**
 * Runs a collection and resolves with its result. It does not reject for anything a collection or
 * a server can do: problems become errored, failed or skipped items. It throws a `TypeError` only
 * for programmer errors: no usable `client`, or run options of the wrong type.
 *
 * @example
 * ```ts
 * import { createCertnClient } from "certn-edge";
 * import { parseCollection, runCollection, toText } from "certn-edge/runner";
 *
 * const parsed = parseCollection(collectionJson);
 * if (!parsed.ok) throw new Error(parsed.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
 * const result = await runCollection(parsed.collection, {
 *   client: createCertnClient({ clientId, clientSecret }),
 *   variables: { pageSize: 5 },
 *   onEvent: (event) => console.error(event.type),
 * });
 * console.log(toText(result));
 * process.exitCode = result.summary.failed + result.summary.errored > 0 ? 1 : 0;
 * ```
 */
export async function runCollection(collection: Collection, options: RunOptions): Promise<RunResult> {
  checkClient(options);
  checkRateBudget(options.rateLimiter);
  const clock = createClock(options.now, options.sleep);
  const started = clock.now();
  const emit = safeEmitter(options.onEvent);
  const shapeProblem = collectionShapeProblem(collection);
  const inputs = checkRunOptions(options);
  const secrets = inputs.secrets ?? {};
  const redactor = runRedactor(options.client, secretTexts(secrets));
  // The collection's own text, which may still spell a secret's value.
  const name = redactor.text(typeof collection?.name === "string" ? collection.name : "(unnamed collection)");

  if (shapeProblem !== undefined) {
    const item: ItemResult = {
      name: "(collection)",
      path: [],
      iteration: 0,
      status: "errored",
      attempts: 0,
      assertions: [],
      error: { code: RunnerErrorCode.INVALID_COLLECTION, message: shapeProblem },
    };
    const summary = summarize([item], 0);
    emit({ type: "run-start", collection: name, iterations: 0 });
    emit({ type: "item-end", item });
    emit({ type: "run-end", summary });
    return {
      collection: name,
      startedAt: new Date(started).toISOString(),
      durationMs: 0,
      summary,
      items: [item],
    };
  }

  const settings = resolveSettings(collection, inputs);
  const variables = inputs.variables ?? {};
  const collectionVariables =
    collection.variables !== null && typeof collection.variables === "object" ? collection.variables : {};
  const flat = flattenItems(collection.items);
  const control = new RunControl(clock, settings.deadlineMs, options.signal);
  let requests = 0;
  const limit =
    inputs.rateLimit === undefined
      ? defaultRateLimits(options.client.baseUrl, requestUrls(flat))
      : inputs.rateLimit;
  const context: RunContext = {
    client: options.client,
    clock,
    limiter: options.rateLimiter ?? (limit === false ? undefined : new RateLimiter(limit, clock)),
    redactor,
    secretNames: new Set(Object.keys(secrets)),
    captureNames: captureNamesOf(flat),
    settings,
    control,
    emit,
    listening: options.onEvent !== undefined,
    countRequest: () => {
      requests += 1;
    },
    steps: options.steps,
    webhooks: options.webhooks,
  };
  const shared = { secrets, variables, collection: collectionVariables, now: () => clock.now() };

  const keep = resolveKeepItems(options.keepItems, settings.iterations * flat.length);
  const counted = emptySummary();
  let kept = 0;
  let omitted = 0;
  /** Counts an item result, and tells whether the run result keeps it. */
  const keeps = (item: ItemResult): boolean => {
    countItem(counted, item);
    if (keep === "all") return true;
    const failure = item.status === "failed" || item.status === "errored";
    if (failure && kept < MAX_KEPT_FAILURES) {
      kept += 1;
      return true;
    }
    omitted += 1;
    return false;
  };

  emit({ type: "run-start", collection: name, iterations: settings.iterations });
  const byIteration: ItemResult[][] = [];
  let next = 0;
  /** Runs one iteration; `lane` says whether its worker sent a request before (for `delayMs`). */
  const runIteration = async (iteration: number, lane: { sentAny: boolean }): Promise<ItemResult[]> => {
    const row = settings.rows?.[iteration % settings.rows.length];
    const scope = new IterationScope(shared, row);
    const state: IterationState = {
      iteration,
      sentAny: lane.sentAny,
      redactor: iterationRedactor(redactor, [collectionVariables, variables, row]),
    };
    const results: ItemResult[] = [];
    for (const entry of flat) {
      const item = await executeItem(context, state, scope, entry);
      if (keeps(item)) results.push(item);
    }
    lane.sentAny = state.sentAny;
    return results;
  };
  const worker = async (): Promise<void> => {
    // `delayMs` is the pause "between requests" (collection format, Top level): between the last
    // request of one iteration and the first of the next run after it too.
    const lane = { sentAny: false };
    while (next < settings.iterations) {
      const iteration = next;
      next += 1;
      const results = await runIteration(iteration, lane);
      // A run that keeps only failures holds no slot for an iteration without one.
      if (results.length > 0) byIteration[iteration] = results;
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, settings.iterations) }, worker));
  } finally {
    control.finish();
  }

  // Iteration order, whatever order concurrent iterations ended in (`flat` skips the holes).
  const items = byIteration.flat();
  const summary: RunSummary = { ...counted, requests };
  emit({ type: "run-end", summary });
  const result: RunResult = {
    collection: name,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, clock.now() - started),
    summary,
    items,
  };
  if (keep === "failures") result.itemsOmitted = omitted;
  if (settings.dryRun) result.dryRun = true;
  return result;
}
