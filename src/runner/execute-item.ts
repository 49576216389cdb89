/**
 * Runs one request item in one iteration: skip rules, request building and its guards, sending
 * (with polling), assertions, the implicit status check and captures. Whatever a collection or a
 * server does, the outcome is an item result, never an exception.
 */
import { evaluateAssertion, type RawAssertionResult } from "../assert/evaluate.ts";
import type { ResponseView } from "../assert/response-view.ts";
import { select } from "../assert/selectors.ts";
import type { Assertion, JsonValue, RequestItem } from "../collection/model.ts";
import type { VariableLookup } from "../collection/template.ts";
import { toJsonValue } from "../results/redact.ts";
import type { ItemResult } from "../results/result.ts";
import { type BuiltRequest, buildRequest } from "./build-request.ts";
import type { IterationState, RunContext } from "./context.ts";
import { ItemFailure, RunnerErrorCode, toItemError } from "./errors.ts";
import type { FlatItem } from "./flatten.ts";
import { isOrderRequest, isProductionOrigin } from "./order-guard.ts";
import { reportAssertion, reportCapture, reportRequest, reportResponse, reportText } from "./record.ts";
import { retryAfterMs } from "./retry-after.ts";
import { type AttemptTally, MAX_RETRY_AFTER_MS, sendOnce } from "./send-attempt.ts";
import type { IterationScope } from "./variables.ts";

/** Poll defaults when a `poll` block leaves them out. */
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
export const DEFAULT_POLL_MAX_ATTEMPTS = 30;

/** What running the request produced. */
interface Exchange {
  view: ResponseView;
  /** Results to record (poll conditions), in order. */
  pollResults: RawAssertionResult[];
  /** Set when a poll condition failed the item (`failIf` matched or `until` never held). */
  pollFailed: boolean;
}

function describeAssertion(raw: RawAssertionResult): string {
  return raw.name ?? `${raw.that} ${raw.op}`;
}

function positiveInt(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

function list(value: unknown): Assertion[] {
  return Array.isArray(value) ? (value as Assertion[]) : [];
}

/** Runs one item; never throws. */
export async function executeItem(
  context: RunContext,
  state: IterationState,
  scope: IterationScope,
  flat: FlatItem,
): Promise<ItemResult> {
  const { clock, redactor, settings } = context;
  const started = clock.now();
  const name = flat.path[flat.path.length - 1] ?? "";
  const result: ItemResult = {
    name,
    path: flat.path,
    iteration: state.iteration,
    status: "passed",
    attempts: 0,
    assertions: [],
    error: null,
  };
  const tally: AttemptTally = { name, path: flat.path, attempts: 0 };
  context.emit({ type: "item-start", name, path: flat.path, iteration: state.iteration });

  const skip = (reason: string): void => {
    result.status = "skipped";
    result.skipReason = reason;
  };
  try {
    const lookup = dryRunLookup(context, scope.lookup);
    const stop = context.control.skipReason();
    const item = flat.item;
    if (stop !== undefined) skip(stop);
    else if (flat.problem !== undefined) throw new ItemFailure(RunnerErrorCode.INVALID_ITEM, flat.problem);
    else if (item.skip === true) skip("skip: true");
    else if (skipIfHolds(item, scope)) skip("every skipIf condition holds");
    else await run(context, state, scope, item, lookup, result, tally);
  } catch (error) {
    // However the transport words an abort, an item cut short by the run's stop reports the stop.
    const stopped = context.control.stopped;
    const itemError = toItemError(error instanceof ItemFailure || stopped === undefined ? error : stopped);
    result.status = "errored";
    result.error = { code: itemError.code, message: reportText(itemError.message, redactor) };
  }
  result.attempts = tally.attempts;
  result.durationMs = Math.max(0, clock.now() - started);
  if (settings.bail && (result.status === "failed" || result.status === "errored")) context.control.bail();
  context.emit({ type: "item-end", item: result });
  return result;
}

function dryRunLookup(context: RunContext, lookup: VariableLookup): VariableLookup {
  if (!context.settings.dryRun) return lookup;
  // Nothing is captured in a dry run; a name some item would capture stands in as ":name".
  return (name) => lookup(name) ?? (context.captureNames.has(name) ? `:${name}` : undefined);
}

function skipIfHolds(item: RequestItem, scope: IterationScope): boolean {
  const conditions = list(item.skipIf);
  if (conditions.length === 0) return false;
  const context = { variable: (name: string) => scope.lookup(name) };
  return conditions.every((condition) => evaluateAssertion(condition, context, scope.lookup).passed);
}

async function run(
  context: RunContext,
  state: IterationState,
  scope: IterationScope,
  item: RequestItem,
  lookup: VariableLookup,
  result: ItemResult,
  tally: AttemptTally,
): Promise<void> {
  const { redactor, settings } = context;
  const captures = Object.entries(item.capture ?? {});
  const intoSecret = captures.find(([target]) => context.secretNames.has(target));
  if (intoSecret) {
    throw new ItemFailure(
      RunnerErrorCode.SECRET_CAPTURE,
      `capture "${intoSecret[0]}" would overwrite a secret of the same name; capture into another name`,
    );
  }

  const built = buildRequest(item.request, lookup, context.client.baseUrl);
  result.request = reportRequest(built, redactor, settings.includeBodies);
  const orders = isOrderRequest(built.method, built.url);
  if (settings.dryRun) {
    if (orders) result.wouldOrder = true;
    result.status = "skipped";
    result.skipReason = "dry run: nothing was sent";
    return;
  }
  if (orders && isProductionOrigin(built.url.origin) && !settings.allowOrders) {
    throw new ItemFailure(
      RunnerErrorCode.ORDER_GUARD,
      `refused: ${built.method} ${built.url.pathname} orders a paid check on the production API; set allowOrders to run it`,
    );
  }

  if (settings.delayMs > 0 && state.sentAny) {
    await context.clock.sleep(settings.delayMs, context.control.signal);
    const stop = context.control.skipReason();
    if (stop !== undefined) {
      result.status = "skipped";
      result.skipReason = stop;
      return;
    }
  }

  const exchange = await exchangeWithPolling(context, state, item, built, scope, tally);
  result.response = reportResponse(exchange.view, redactor, settings.includeBodies);
  const raw: RawAssertionResult[] = [...exchange.pollResults];
  let failure: ItemFailure | undefined;

  if (!exchange.pollFailed) {
    const selection = { response: exchange.view, variable: (name: string) => scope.lookup(name) };
    // Captures first (as hurl does), so the item's own assertions may use what it captured.
    failure = capture(captures, selection, scope, result, context);
    const assertions = list(item.assert);
    for (const assertion of assertions) raw.push(evaluateAssertion(assertion, selection, lookup));
    const hasStatusAssertion = assertions.some((assertion) => String(assertion.that).trim() === "status");
    const implicit = implicitStatus(exchange.view.status, hasStatusAssertion);
    result.assertions.push(...raw.map((entry) => reportAssertion(entry, redactor)));
    if (implicit) result.assertions.push(implicit);
  } else {
    result.assertions.push(...raw.map((entry) => reportAssertion(entry, redactor)));
  }

  const anyFailed = result.assertions.some((assertion) => !assertion.passed);
  if (failure) {
    result.status = "failed";
    result.error = { code: failure.code, message: reportText(failure.message, redactor) };
  } else {
    result.status = anyFailed || exchange.pollFailed ? "failed" : "passed";
  }
}

function implicitStatus(
  status: number,
  hasStatusAssertion: boolean,
): ItemResult["assertions"][number] | undefined {
  if (hasStatusAssertion || status < 400) return undefined;
  return {
    that: "status",
    op: "implicit-status",
    expected: "< 400",
    actual: status,
    passed: false,
    message: `the item has no status assertion, and the final status ${status} is 400 or above`,
  };
}

function capture(
  captures: Array<[string, string]>,
  selection: Parameters<typeof select>[1],
  scope: IterationScope,
  result: ItemResult,
  context: RunContext,
): ItemFailure | undefined {
  const problems: string[] = [];
  const recorded: Record<string, JsonValue> = {};
  for (const [target, selector] of captures) {
    const selected = typeof selector === "string" ? select(selector, selection) : undefined;
    if (selected === undefined) {
      problems.push(`capture "${target}": the selector must be a string`);
      continue;
    }
    if (!selected.ok) {
      problems.push(`capture "${target}" from ${selector}: ${selected.message}`);
      continue;
    }
    const value = toJsonValue(selected.value);
    if (value === undefined) {
      problems.push(`capture "${target}" from ${selector} selected nothing`);
      continue;
    }
    scope.captured.set(target, value);
    Object.defineProperty(recorded, target, {
      value: reportCapture(target, value, context.redactor),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (Object.keys(recorded).length > 0) result.captures = recorded;
  return problems.length > 0
    ? new ItemFailure(RunnerErrorCode.CAPTURE_FAILED, problems.join("; "))
    : undefined;
}

async function exchangeWithPolling(
  context: RunContext,
  state: IterationState,
  item: RequestItem,
  built: BuiltRequest,
  scope: IterationScope,
  tally: AttemptTally,
): Promise<Exchange> {
  const poll = item.poll !== null && typeof item.poll === "object" ? item.poll : undefined;
  if (!poll) {
    return {
      view: await sendOnce(context, state, item, built, tally, undefined),
      pollResults: [],
      pollFailed: false,
    };
  }
  const maxAttempts = positiveInt(poll.maxAttempts, DEFAULT_POLL_MAX_ATTEMPTS);
  const intervalMs = nonNegative(poll.intervalMs, DEFAULT_POLL_INTERVAL_MS);
  const { clock, control } = context;
  for (let attempt = 1; ; attempt += 1) {
    const view = await sendOnce(context, state, item, built, tally, { attempt, maxAttempts });
    const selection = { response: view, variable: (name: string) => scope.lookup(name) };
    for (const condition of list(poll.failIf)) {
      const raw = evaluateAssertion(condition, selection, scope.lookup);
      if (raw.passed) {
        const note = `poll failIf "${describeAssertion(raw)}" matched on attempt ${attempt}: the item fails at once`;
        return { view, pollResults: [{ ...raw, passed: false, message: note }], pollFailed: true };
      }
    }
    const until = list(poll.until).map((condition) => evaluateAssertion(condition, selection, scope.lookup));
    if (until.every((raw) => raw.passed)) return { view, pollResults: until, pollFailed: false };
    if (attempt >= maxAttempts) {
      const unmet = until
        .filter((raw) => !raw.passed)
        .map((raw) => ({
          ...raw,
          message: `${raw.message ? `${raw.message}; ` : ""}poll until still unmet after ${attempt} attempts`,
        }));
      return { view, pollResults: unmet, pollFailed: true };
    }
    const serverWait = retryAfterMs(view.headers.get("retry-after"), clock.now());
    if (serverWait !== undefined && serverWait > MAX_RETRY_AFTER_MS) {
      throw new ItemFailure(
        RunnerErrorCode.RATE_LIMITED,
        `rate limited: the server asked to wait ${Math.ceil(serverWait / 1000)} s before polling again`,
      );
    }
    const wait = Math.max(intervalMs, serverWait ?? 0);
    const remaining = control.remainingMs();
    if (remaining !== undefined && remaining <= wait) {
      throw new ItemFailure(
        RunnerErrorCode.DEADLINE,
        `the run deadline passes before the next poll attempt (${attempt} of ${maxAttempts} done)`,
      );
    }
    await clock.sleep(wait, control.signal);
    if (control.stopped) throw control.stopped;
  }
}
