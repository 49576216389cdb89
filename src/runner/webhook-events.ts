/**
 * Webhook events as a run sees them: a source that `poll.wakeOn` and `wait` items ask for the next
 * matching event, and the one rule for "matching". The Worker's durable runs answer from D1 and
 * Workflows events; the CLI and the simulator feed an in-memory hub ({@link createWebhookHub}).
 * Without a source, `wakeOn` falls back to timed polling and a `wait` item errors with
 * `CERTN_WAIT_UNSUPPORTED`.
 */
import { isSingularJsonPath, selectJsonPath } from "../assert/selectors.ts";
import type { WebhookSource } from "../collection/model.ts";
import { MAX_MATCH_SELECTOR_LENGTH } from "../collection/selector-syntax.ts";
import { valueToText } from "../collection/template.ts";
import type { JsonValue } from "../core/json.ts";
import { sleep as realSleep, type Sleep } from "../core/sleep.ts";
import { toJsonValue } from "../results/redact.ts";

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

/**
 * The text `selector` selects in an event's `body`, as a match compares it (numbers and booleans
 * by their JSON text); undefined when it selects nothing, or when it is not a singular query
 * (collections are refused one at validation; a wait opened before that rule never wakes by it,
 * since receivers compare each event with every open wait and its cost would hold them all).
 * @example
 * eventText("$.object_id", { object_id: "c-1" }); // "c-1"
 * @param texts The texts of objects and arrays already selected from this body, to reuse: one
 *   event compared with many waits writes each node's JSON text once, however many select it.
 */
export function eventText(
  selector: string,
  body: unknown,
  texts?: WeakMap<object, string>,
): string | undefined {
  // Length first: a wait stored before these rules is not compiled at any size.
  if (selector.length > MAX_MATCH_SELECTOR_LENGTH || !isSingularJsonPath(selector)) return undefined;
  const selected = selectJsonPath(selector, body);
  if (!selected.ok || selected.paths?.length !== 1) return undefined;
  const node = selected.value;
  const known = typeof node === "object" && node !== null ? texts?.get(node) : undefined;
  if (known !== undefined) return known;
  const value = toJsonValue(node);
  if (value === undefined) return undefined;
  const text = valueToText(value);
  if (typeof node === "object" && node !== null) texts?.set(node, text);
  return text;
}

/**
 * True when every selector of `match` selects, in `body`, a value whose text ({@link eventText})
 * equals the expected text; `texts` as for {@link eventText}.
 * @example
 * eventMatches({ "$.object_id": "c-1" }, { object_id: "c-1", event_type: "CASE_STATUS_CHANGED" }); // true
 */
export function eventMatches(
  match: Readonly<Record<string, string>>,
  body: unknown,
  texts?: WeakMap<object, string>,
): boolean {
  for (const [selector, expected] of Object.entries(match)) {
    if (eventText(selector, body, texts) !== expected) return false;
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
        // The caller's abort is forwarded by hand: AbortSignal.any is missing from Node 20.0-20.2
        // and Safari before 17.4, which the library runs on.
        const ended = new AbortController();
        const onAbort = (): void => ended.abort();
        const waiter = {
          wait,
          resolve: (body: JsonValue | undefined) => {
            waiters.delete(waiter);
            signal.removeEventListener("abort", onAbort);
            ended.abort();
            resolve(body);
          },
        };
        waiters.add(waiter);
        signal.addEventListener("abort", onAbort, { once: true });
        void sleep(timeoutMs, ended.signal).then(() => waiter.resolve(undefined));
      });
    },
  };
}
