/**
 * Runs one request item in one iteration: skip rules, request building and its guards, sending
 * (with polling), assertions, the implicit status check and captures. Whatever a collection or a
 * server does, the outcome is an item result, never an exception.
 */
import { evaluateAssertion, type RawAssertionResult } from "../assert/evaluate.ts";
import type { ResponseView } from "../assert/response-view.ts";
import { responseBudget, type SelectionContext, select } from "../assert/selectors.ts";
import {
  type Assertion,
  isWaitItem,
  type JsonValue,
  type RequestItem,
  type WaitItem,
  type WebhookMatch,
} from "../collection/model.ts";
import { MAX_POLL_INTERVAL_MS } from "../collection/schema-request.ts";
import { MAX_WAIT_MS } from "../collection/schema-webhook.ts";
import {
  ExpansionBudget,
  expandText,
  UnknownVariableError,
  type VariableLookup,
} from "../collection/template.ts";
import { setOwn } from "../core/json.ts";
import { parseRetryAfter } from "../core/retry-policy.ts";
import { CREDENTIAL_HEADERS, MAX_FOUND_SECRETS, type Redactor, toJsonValue } from "../results/redact.ts";
import { ReportBudget } from "../results/report-budget.ts";
import type { ItemError, ItemResult } from "../results/result.ts";
import { type BuiltRequest, buildRequest } from "./build-request.ts";
import type { IterationState, RunContext } from "./context.ts";
import type { RunControl } from "./control.ts";
import { ItemFailure, RunnerErrorCode, toItemError } from "./errors.ts";
import type { FlatItem } from "./flatten.ts";
import { isOrderRequest, orderGuardRefusal } from "./order-guard.ts";
import { viewResponseBody } from "./read-body.ts";
import { recordCapture, reportAssertion, reportRequest, reportResponse, reportText } from "./record.ts";
import { type AttemptTally, sendExchange } from "./send-attempt.ts";
import type { IterationScope } from "./variables.ts";
import type { WebhookWait } from "./webhook-events.ts";

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

/** A selection that selected a value, with the selector that did. */
interface Chosen {
  selector: string;
  selected: Extract<ReturnType<typeof select>, { ok: true }>;
  value: JsonValue;
}

/**
 * The first of `selectors` (one, or a list meaning "the first that selects something") that
 * selects a value; else why none did.
 */
function firstSelected(
  selectors: string | readonly string[],
  selection: Parameters<typeof select>[1],
): Chosen | string {
  const list = typeof selectors === "string" ? [selectors] : selectors;
  if (!Array.isArray(list) || list.length === 0 || !list.every((entry) => typeof entry === "string")) {
    return "needs a selector or a list of selectors";
  }
  const problems: string[] = [];
  for (const selector of list as readonly string[]) {
    const selected = select(selector, selection);
    if (!selected.ok) {
      problems.push(`from ${selector}: ${selected.message}`);
      continue;
    }
    const value = toJsonValue(selected.value);
    if (value !== undefined) return { selector, selected, value };
    problems.push(`from ${selector} selected nothing`);
  }
  return problems.join("; ");
}

/** Runs one item; never throws. */
export async function executeItem(
  context: RunContext,
  state: IterationState,
  scope: IterationScope,
  flat: FlatItem,
): Promise<ItemResult> {
  const { clock, settings } = context;
  // The iteration's redactor: it also knows the personal values this iteration has captured.
  const { redactor } = state;
  const started = clock.now();
  // Names are the collection's own text, which may still spell a secret's value: shown through the
  // redactor, as assertion names are.
  const path = flat.path.map(redactor.text);
  const name = path[path.length - 1] ?? "";
  const result: ItemResult = {
    name,
    path,
    iteration: state.iteration,
    status: "passed",
    attempts: 0,
    assertions: [],
    error: null,
  };
  const tally: AttemptTally = { name, path, attempts: 0 };
  if (context.listening) context.emit({ type: "item-start", name, path, iteration: state.iteration });

  const skip = (reason: string): void => {
    result.status = "skipped";
    result.skipReason = reason;
  };
  try {
    const lookup = dryRunLookup(context, scope.lookup);
    const item = flat.item;
    if (skipForStop(context.control, result)) {
      // The run stopped or bailed: nothing new starts.
    } else if (flat.problem !== undefined) throw new ItemFailure(RunnerErrorCode.INVALID_ITEM, flat.problem);
    else if (item.skip === true) skip("skip: true");
    else if (skipIfHolds(item, scope)) skip("every skipIf condition holds");
    else if (isWaitItem(item)) await runWait(context, state, scope, flat, item, lookup, result);
    else await run(context, state, scope, flat, item, lookup, result, tally);
  } catch (error) {
    // However the transport words an abort, an item cut short by the run's stop reports the stop.
    const stopped = context.control.stopped;
    const itemError =
      missingCapture(error, scope) ??
      toItemError(error instanceof ItemFailure || stopped === undefined ? error : stopped);
    result.status = "errored";
    result.error = { code: itemError.code, message: reportText(itemError.message, redactor) };
  }
  if (result.status !== "passed") {
    scope.markUncaptured(uncapturedTargets(flat.item, result), { item: name, status: result.status });
  }
  result.attempts = tally.attempts;
  result.durationMs = Math.max(0, clock.now() - started);
  if (settings.bail && (result.status === "failed" || result.status === "errored")) context.control.bail();
  if (context.listening) context.emit({ type: "item-end", item: result });
  return result;
}

/**
 * Skips the item when the run stopped (deadline, caller's abort) or bailed. A stop also sets the
 * error to the stop's code (`CERTN_DEADLINE`, `CERTN_ABORTED`), so callers can tell an incomplete
 * run from the result without reading messages.
 * @returns whether the item was skipped
 */
function skipForStop(control: RunControl, result: ItemResult): boolean {
  const reason = control.skipReason();
  if (reason === undefined) return false;
  result.status = "skipped";
  result.skipReason = reason;
  const stopped = control.stopped;
  if (stopped !== undefined) result.error = { code: stopped.code, message: reason };
  return true;
}

/**
 * When `error` is an unknown variable that an earlier item of the iteration was to capture, the
 * error that says so, naming both; undefined for any other error. Still `CERTN_UNKNOWN_VARIABLE`:
 * "at run time an unknown name makes the item `errored`, naming the variable" (collection
 * format, Templates), whatever made it unknown.
 */
function missingCapture(error: unknown, scope: IterationScope): ItemError | undefined {
  if (!(error instanceof UnknownVariableError)) return undefined;
  const by = scope.uncapturedBy(error.variable);
  if (by === undefined) return undefined;
  return {
    code: RunnerErrorCode.UNKNOWN_VARIABLE,
    message: `unknown variable "${error.variable}": "${by.item}" was to capture it and did not (it ${by.status === "skipped" ? "was skipped" : by.status})`,
  };
}

/** The capture targets an item declares that it did not set. */
function uncapturedTargets(item: RequestItem | WaitItem, result: ItemResult): string[] {
  const declared = item.capture !== null && typeof item.capture === "object" ? Object.keys(item.capture) : [];
  return declared.filter((target) => !Object.hasOwn(result.captures ?? {}, target));
}

function dryRunLookup(context: RunContext, lookup: VariableLookup): VariableLookup {
  if (!context.settings.dryRun) return lookup;
  // Nothing is captured in a dry run; a name some item would capture stands in as ":name".
  return (name) => lookup(name) ?? (context.captureNames.has(name) ? `:${name}` : undefined);
}

function skipIfHolds(item: RequestItem | WaitItem, scope: IterationScope): boolean {
  const conditions = list(item.skipIf);
  if (conditions.length === 0) return false;
  const context = { variable: (name: string) => scope.lookup(name) };
  return conditions.every((condition) => evaluateAssertion(condition, context, scope.lookup).passed);
}

/**
 * The name of a durable step of this item: unique within the run and the same on every replay
 * (iteration, position, then what the step does).
 */
function stepName(state: IterationState, flat: FlatItem, what: string): string {
  const name = (flat.path[flat.path.length - 1] ?? "").slice(0, 60);
  return `${state.iteration}/${flat.index} ${name}: ${what}`;
}

/** Pauses between requests: a durable sleep in a durable run, else the run's clock. */
async function pause(context: RunContext, name: string, ms: number): Promise<void> {
  if (context.steps) await context.steps.sleep(name, ms);
  else await context.clock.sleep(ms, context.control.signal);
}

/** Refuses captures into a secret's name before anything is sent. */
function checkCaptureTargets(context: RunContext, item: RequestItem | WaitItem): void {
  const intoSecret = Object.keys(item.capture ?? {}).find((target) => context.secretNames.has(target));
  if (intoSecret !== undefined) {
    throw new ItemFailure(
      RunnerErrorCode.SECRET_CAPTURE,
      `capture "${intoSecret}" would overwrite a secret of the same name; capture into another name`,
    );
  }
}

/**
 * A webhook match with its templates expanded against the iteration's variables, and as reports
 * may show it (secrets and personal values masked).
 */
function expandWait(spec: WebhookMatch, lookup: VariableLookup, state: IterationState): WebhookWait {
  const match: Record<string, string> = {};
  const shown: Record<string, string> = {};
  for (const [selector, template] of Object.entries(spec.match)) {
    const value = expandText(template, lookup);
    setOwn(match, selector, value);
    setOwn(shown, selector, reportText(value, state.redactor));
  }
  return { webhook: spec.webhook, match, shown };
}

/** Runs a wait item: the first matching webhook event's body is the response. */
async function runWait(
  context: RunContext,
  state: IterationState,
  scope: IterationScope,
  flat: FlatItem,
  item: WaitItem,
  lookup: VariableLookup,
  result: ItemResult,
): Promise<void> {
  const { control } = context;
  checkCaptureTargets(context, item);
  const wait = expandWait(item.wait, lookup, state);
  if (context.settings.dryRun) {
    result.status = "skipped";
    result.skipReason = `dry run: nothing was waited for (a ${wait.webhook} webhook)`;
    return;
  }
  if (context.webhooks === undefined) {
    throw new ItemFailure(
      RunnerErrorCode.WAIT_UNSUPPORTED,
      `waits for a ${wait.webhook} webhook, but this run has no source of webhook events: start it as a durable run in the Worker (Prefer: respond-async), or with the CLI's --webhook-port or --simulator, or give RunOptions.webhooks`,
    );
  }
  const configured = positiveInt(item.wait.timeoutMs, MAX_WAIT_MS);
  const remaining = control.remainingMs();
  const timeoutMs = remaining === undefined ? configured : Math.min(configured, Math.max(0, remaining));
  const started = context.clock.now();
  const body = await context.webhooks.next(wait, timeoutMs, control.signal, stepName(state, flat, "wait"));
  if (control.stopped) throw control.stopped;
  if (body === undefined) {
    const message = `no ${wait.webhook} webhook matching ${JSON.stringify(wait.shown)} arrived within ${timeoutMs} ms`;
    // The run's deadline errors the item, as it does any other.
    if (timeoutMs < configured)
      throw new ItemFailure(RunnerErrorCode.DEADLINE, `${message} (the run deadline)`);
    // "After timeoutMs a wait fails with CERTN_WAIT_TIMEOUT" (collection format): what it waited
    // for did not happen, as a poll whose `until` never held fails; it is no error of the run.
    result.status = "failed";
    result.error = { code: RunnerErrorCode.WAIT_TIMEOUT, message: reportText(message, state.redactor) };
    return;
  }
  const view: ResponseView = {
    status: 200,
    durationMs: Math.max(0, context.clock.now() - started),
    headers: new Headers({ "content-type": "application/json" }),
    body: viewResponseBody(JSON.stringify(body)),
  };
  result.response = reportResponse(view, state.redactor, context.settings.includeBodies);
  judge(state, scope, item, lookup, result, { view, pollResults: [], pollFailed: false });
}

async function run(
  context: RunContext,
  state: IterationState,
  scope: IterationScope,
  flat: FlatItem,
  item: RequestItem,
  lookup: VariableLookup,
  result: ItemResult,
  tally: AttemptTally,
): Promise<void> {
  const { settings } = context;
  const { redactor } = state;
  checkCaptureTargets(context, item);

  const built = buildRequest(item.request, lookup, context.client.baseUrl);
  result.request = reportRequest(built, redactor, settings.includeBodies);
  const orders = isOrderRequest(built.method, built.url);
  if (settings.dryRun) {
    if (orders) result.wouldOrder = true;
    result.status = "skipped";
    result.skipReason = "dry run: nothing was sent";
    return;
  }
  const refusal = settings.allowOrders
    ? undefined
    : orderGuardRefusal(built.method, built.url, context.client.baseUrl);
  if (refusal !== undefined) throw new ItemFailure(RunnerErrorCode.ORDER_GUARD, refusal);

  if (settings.delayMs > 0 && state.sentAny) {
    await pause(context, stepName(state, flat, "delay"), settings.delayMs);
    if (skipForStop(context.control, result)) return;
  }

  const exchange = await exchangeWithPolling(context, state, flat, item, built, scope, tally, lookup);
  result.response = reportResponse(exchange.view, redactor, settings.includeBodies);
  judge(state, scope, item, lookup, result, exchange);
}

/**
 * `view` once every credential header value of it is a secret of the iteration, before anything
 * reports it or selects from it: a capture or assertion of the body, where a value may be echoed,
 * may come before one that reads the header. Past the {@link MAX_FOUND_SECRETS} values an
 * iteration keeps, the body is withheld instead, as it could show a value left unmasked.
 */
function withCredentialsMasked(view: ResponseView, redactor: Redactor): ResponseView {
  let kept = true;
  // Looked up by name: iterating Headers sorts and copies them all, on every response.
  for (const name of CREDENTIAL_HEADERS) {
    const value = view.headers.get(name);
    if (value === null) continue;
    // Each Set-Cookie line too, as a body may echo one of them alone.
    const lines = name === "set-cookie" ? view.headers.getSetCookie() : [];
    for (const secret of [...lines, value]) kept = redactor.addSecret(secret) && kept;
  }
  if (kept) return view;
  const withheld = `this iteration keeps the most credential values out of its results (${MAX_FOUND_SECRETS}); a body that may repeat another is not read`;
  return { ...view, body: { ...view.body, withheld } };
}

/**
 * What captures, assertions and poll conditions read on one response, with the budgets they share:
 * JSONPath work, and what their values may expand to.
 */
function selectionOn(view: ResponseView, scope: IterationScope, redactor: Redactor): SelectionContext {
  return {
    response: view,
    variable: (name: string) => scope.lookup(name),
    budget: responseBudget(),
    expansion: new ExpansionBudget(),
    headerRead: (name, value) => credentialRead(name, value, redactor),
  };
}

/**
 * Takes a value read from a credential header as a secret of the iteration's redactor before any
 * assertion, capture or later request can show it: "a result never contains ... any
 * Authorization, Cookie or Set-Cookie value" (collection format, Redaction). The iteration's, not
 * the whole run's: the value reaches only this iteration's results (captures are the
 * iteration's), and a run of many iterations would otherwise search every text for all of them.
 */
function credentialRead(name: string, value: string, redactor: Redactor): string | undefined {
  if (!CREDENTIAL_HEADERS.has(name.toLowerCase()) || redactor.addSecret(value)) return undefined;
  return `the ${name} header's value is not used: one iteration can keep at most ${MAX_FOUND_SECRETS} credential values out of its results`;
}

/** Captures, assertions and the implicit status check on an item's final response. */
function judge(
  state: IterationState,
  scope: IterationScope,
  item: RequestItem | WaitItem,
  lookup: VariableLookup,
  result: ItemResult,
  exchange: Exchange,
): void {
  const { redactor } = state;
  const captures = Object.entries(item.capture ?? {});
  const raw: RawAssertionResult[] = [...exchange.pollResults];
  // What the reports of this response's values may redact, all together.
  const shown = new ReportBudget();
  let failure: ItemFailure | undefined;

  if (!exchange.pollFailed) {
    const selection = selectionOn(exchange.view, scope, redactor);
    // Captures first (as hurl does), so the item's own assertions may use what it captured.
    failure = capture(captures, selection, scope, result, state, shown);
    const assertions = list(item.assert);
    for (const assertion of assertions) raw.push(evaluateAssertion(assertion, selection, lookup));
    const implicit = implicitStatus(exchange.view.status, hasStatusAssertion(item));
    result.assertions.push(...raw.map((entry) => reportAssertion(entry, redactor, shown)));
    if (implicit) result.assertions.push(implicit);
  } else {
    result.assertions.push(...raw.map((entry) => reportAssertion(entry, redactor, shown)));
  }

  const anyFailed = result.assertions.some((assertion) => !assertion.passed);
  if (failure) {
    result.status = "failed";
    result.error = { code: failure.code, message: reportText(failure.message, redactor) };
  } else {
    result.status = anyFailed || exchange.pollFailed ? "failed" : "passed";
  }
}

/**
 * Whether the item asserts on `status` itself, in `assert` or in its poll's `until` or `failIf`:
 * "an item that has no status assertion also fails when the final response is 400 or above"
 * (collection format, Assertions), and a poll until 404 (a deletion done) is one.
 */
function hasStatusAssertion(item: RequestItem | WaitItem): boolean {
  const poll = "poll" in item && item.poll !== null && typeof item.poll === "object" ? item.poll : undefined;
  return [item.assert, poll?.until, poll?.failIf].some((conditions) =>
    list(conditions).some((assertion) => String(assertion.that).trim() === "status"),
  );
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
  captures: Array<[string, string | readonly string[]]>,
  selection: Parameters<typeof select>[1],
  scope: IterationScope,
  result: ItemResult,
  state: IterationState,
  shown: ReportBudget,
): ItemFailure | undefined {
  const problems: string[] = [];
  const recorded: Record<string, JsonValue> = {};
  for (const [target, selectors] of captures) {
    const chosen = firstSelected(selectors, selection);
    if (typeof chosen === "string") {
      problems.push(`capture "${target}" ${chosen}`);
      continue;
    }
    const { selector, selected, value } = chosen;
    scope.captured.set(target, value);
    setOwn(recorded, target, recordCapture(target, selector, value, state.redactor, selected.paths, shown));
  }
  if (Object.keys(recorded).length > 0) result.captures = recorded;
  return problems.length > 0
    ? new ItemFailure(RunnerErrorCode.CAPTURE_FAILED, problems.join("; "))
    : undefined;
}

async function exchangeWithPolling(
  context: RunContext,
  state: IterationState,
  flat: FlatItem,
  item: RequestItem,
  built: BuiltRequest,
  scope: IterationScope,
  tally: AttemptTally,
  lookup: VariableLookup,
): Promise<Exchange> {
  const poll = item.poll !== null && typeof item.poll === "object" ? item.poll : undefined;
  if (!poll) {
    const view = await sendExchange(
      context,
      state,
      item,
      built,
      tally,
      undefined,
      stepName(state, flat, built.method),
    );
    return {
      view: withCredentialsMasked(view, state.redactor),
      pollResults: [],
      pollFailed: false,
    };
  }
  // Expanded once: the poll wakes on events about what it polls, whatever later items capture.
  const wake =
    poll.wakeOn !== undefined && context.webhooks !== undefined
      ? expandWait(poll.wakeOn, lookup, state)
      : undefined;
  const maxAttempts = positiveInt(poll.maxAttempts, DEFAULT_POLL_MAX_ATTEMPTS);
  const intervalMs = nonNegative(poll.intervalMs, DEFAULT_POLL_INTERVAL_MS);
  const { clock, control } = context;
  for (let attempt = 1; ; attempt += 1) {
    const sent = await sendExchange(
      context,
      state,
      item,
      built,
      tally,
      { attempt, maxAttempts },
      stepName(state, flat, `${built.method} attempt ${attempt}`),
    );
    const view = withCredentialsMasked(sent, state.redactor);
    const selection = selectionOn(view, scope, state.redactor);
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
    const serverWait = parseRetryAfter(view.headers.get("retry-after"), clock.now());
    // A longer Retry-After wins over the interval (polls of a check last hours): up to the longest
    // interval a collection may set itself, so a server cannot park a run for longer than its
    // author could.
    if (serverWait !== undefined && serverWait > Math.max(intervalMs, MAX_POLL_INTERVAL_MS)) {
      throw new ItemFailure(
        RunnerErrorCode.RATE_LIMITED,
        `rate limited: the server asked to wait ${Math.ceil(serverWait / 1000)} s before polling again, over the ${MAX_POLL_INTERVAL_MS / 3_600_000} h a poll waits at most`,
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
    // A matching webhook ends the wait early; without a source of events, the interval is waited out.
    if (wake !== undefined && context.webhooks !== undefined) {
      await context.webhooks.next(wake, wait, control.signal, stepName(state, flat, `wake ${attempt}`));
    } else {
      await pause(context, stepName(state, flat, `interval ${attempt}`), wait);
    }
    if (control.stopped) throw control.stopped;
  }
}
