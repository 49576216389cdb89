/**
 * Webhook events as a run sees them: a source that `poll.wakeOn` and `wait` items ask for the next
 * matching event, and the one rule for "matching". The Worker's durable runs answer from D1 and
 * Workflows events; the CLI and the simulator feed an in-memory hub ({@link createWebhookHub}).
 * Without a source, `wakeOn` falls back to timed polling and a `wait` item errors with
 * `CERTN_WAIT_UNSUPPORTED`.
 */
import { responseBudget, selectJsonPath } from "../assert/selectors.ts";
import type { WebhookSource } from "../collection/model.ts";
import { valueToText } from "../collection/template.ts";
import type { JsonValue } from "../core/json.ts";
import { sleep as realSleep, type Sleep } from "../core/sleep.ts";
import { toJsonValue } from "../results/redact.ts";
import type { Budget } from "../syntax/jsonpath/index.ts";

/** What one wait asks for: events of `webhook` whose `match` selectors select these values. */
export interface WebhookWait {
  webhook: WebhookSource;
  /** JSONPath selector to its expected value, templates already expanded. */
  match: Readonly<Record<string, string>>;
  /**
   * The same, as a record or a page may show it: secrets and personal values masked. A source
   * that keeps or shows what it waits for (the Worker's run record) uses this, never `match`.
   */
  shown?: Readonly<Record<string, string>>;
}

/** Where a run's webhook events come from. */
export interface WebhookEventSource {
  /**
   * Resolves with the body of the first matching event this run has not taken yet (one that
   * arrived before the wait began counts), or `undefined` when `timeoutMs` passes first. Resolves
   * `undefined` as soon as `signal` aborts. `name` identifies the wait within the run
   * (deterministic, so a durable engine can record it).
   */
  next(
    wait: WebhookWait,
    timeoutMs: number,
    signal: AbortSignal,
    name: string,
  ): Promise<JsonValue | undefined>;
}

/** A JSONPath work budget that several selections share ({@link eventBudget}). */
export type EventBudget = Budget;

/**
 * A JSONPath work budget for comparing one event with many waits: each selection is bounded on
 * its own, and so is their sum (as for the selections on one response: 8,000,000 units), however
 * many waits there are or however costly their selectors.
 * @example
 * const budget = eventBudget();
 * const taken = waits.filter((wait) => eventText("$.object_id", event, budget) === wait.caseId);
 */
export function eventBudget(): EventBudget {
  return responseBudget();
}

/**
 * The text `selector` selects in an event's `body`, as a match compares it (numbers and booleans
 * by their JSON text); undefined when it selects nothing, or several values, or when the
 * selection would pass what is left of `budget` (shared by every wait one event is compared with).
 * @example
 * eventText("$.object_id", { object_id: "c-1" }); // "c-1"
 */
export function eventText(selector: string, body: unknown, budget?: EventBudget): string | undefined {
  const selected = selectJsonPath(selector, body, budget);
  if (!selected.ok || selected.paths?.length !== 1) return undefined;
  const value = toJsonValue(selected.value);
  return value === undefined ? undefined : valueToText(value);
}

/**
 * True when every selector of `match` selects, in `body`, a value whose text ({@link eventText})
 * equals the expected text; the selections spend from `budget` when given.
 * @example
 * eventMatches({ "$.object_id": "c-1" }, { object_id: "c-1", event_type: "CASE_STATUS_CHANGED" }); // true
 */
export function eventMatches(
  match: Readonly<Record<string, string>>,
  body: unknown,
  budget?: EventBudget,
): boolean {
  for (const [selector, expected] of Object.entries(match)) {
    if (eventText(selector, body, budget) !== expected) return false;
  }
  return true;
}

/** An in-memory source of webhook events, fed by whoever receives them. */
export interface WebhookHub extends WebhookEventSource {
  /** Delivers one verified event; waiting runs that match wake at once. */
  deliver(webhook: WebhookSource, body: JsonValue): void;
  /** Events delivered so far (most recent last), for reports and tests. */
  readonly delivered: ReadonlyArray<{ webhook: WebhookSource; body: JsonValue }>;
}

/** Most events an in-memory hub keeps; the oldest go first. */
export const MAX_HUB_EVENTS = 10_000;

/**
 * An in-memory hub for one process: keeps the events it was given (so an event that arrives before
 * its wait begins is found), and gives each event to a wait once (a woken poll is not woken again
 * by the same event).
 * @example
 * const hub = createWebhookHub();
 * const result = await runCollection(collection, { client, webhooks: hub });
 * // elsewhere, after verifying the signature: hub.deliver("certncentric", event);
 */
export function createWebhookHub(options: { sleep?: Sleep } = {}): WebhookHub {
  const sleep = options.sleep ?? realSleep;
  const delivered: Array<{ webhook: WebhookSource; body: JsonValue; taken: boolean }> = [];
  const waiters = new Set<{ wait: WebhookWait; resolve: (body: JsonValue | undefined) => void }>();

  const take = (wait: WebhookWait): JsonValue | undefined => {
    const found = delivered.find(
      (event) => !event.taken && event.webhook === wait.webhook && eventMatches(wait.match, event.body),
    );
    if (found === undefined) return undefined;
    found.taken = true;
    return found.body;
  };

  return {
    delivered,
    deliver(webhook, body) {
      const event = { webhook, body, taken: false };
      delivered.push(event);
      if (delivered.length > MAX_HUB_EVENTS) delivered.shift();
      for (const waiter of waiters) {
        if (waiter.wait.webhook === webhook && eventMatches(waiter.wait.match, body)) {
          event.taken = true;
          waiters.delete(waiter);
          waiter.resolve(body);
          return;
        }
      }
    },
    next(wait, timeoutMs, signal) {
      const ready = take(wait);
      if (ready !== undefined || signal.aborted) return Promise.resolve(ready);
      return new Promise((resolve) => {
        // The timeout sleeps on the caller's clock, and ends early on an event or the caller's abort.
        const ended = new AbortController();
        const waiter = {
          wait,
          resolve: (body: JsonValue | undefined) => {
            waiters.delete(waiter);
            ended.abort();
            resolve(body);
          },
        };
        waiters.add(waiter);
        void sleep(timeoutMs, AbortSignal.any([signal, ended.signal])).then(() => waiter.resolve(undefined));
      });
    },
  };
}
