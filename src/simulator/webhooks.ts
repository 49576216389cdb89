/**
 * Webhook delivery without timers: due status changes are queued when a request causes them,
 * when the simulated clock passes them, or when a test calls `flushWebhooks()`, then delivered in
 * order with retries.
 */
import { hmacSha256Hex } from "../core/hmac.ts";
import { abortableDelay } from "./faults.ts";

/** One delivery attempt, as recorded for tests. */
export interface WebhookAttempt {
  /** The object the event is about (applicant id or case id). */
  objectId: string;
  /** 1-based attempt number of this delivery. */
  attempt: number;
  url: string;
  /** The receiver's status, when it answered. */
  status?: number;
  /** The error message, when the request failed. */
  error?: string;
  /** The exact body sent. */
  body: string;
  /** Headers sent (signature included). */
  headers: Record<string, string>;
}

/** One event waiting for delivery. */
export interface PendingDelivery {
  objectId: string;
  body: string;
}

/** How one API signs and retries. */
export interface DeliveryPolicy {
  url: string;
  fetch: (request: Request) => Promise<Response>;
  /** Real waits before the 2nd, 3rd... attempt; its length + 1 is the attempt limit. */
  retryDelaysMs: readonly number[];
  /** How long a receiver has to answer an attempt, in real ms; past it the attempt failed. */
  timeoutMs: number;
  /** Whether a non-2xx status is worth another attempt. */
  retryable(status: number): boolean;
  /** Checked before each batch; `false` drops what is queued (e.g. a failed endpoint challenge). */
  gate?: () => Promise<boolean>;
  /** The simulated time, stamped on each item as it is queued. */
  now(): number;
  /** Headers for one attempt of `body` queued at simulated time `queuedAt` (signature, team id...). */
  headers(body: string, queuedAt: number): Promise<Record<string, string>>;
}

/** A delivery queue: `enqueue` events, `drain` delivers them all (serialised). */
export interface DeliveryQueue {
  enqueue(items: readonly PendingDelivery[]): void;
  /** Resolves once everything enqueued so far has been delivered or given up. */
  drain(): Promise<void>;
  readonly attempts: readonly WebhookAttempt[];
  /** True while a receiver is being called (its own requests to the simulator must not wait for it). */
  readonly delivering: boolean;
  reset(): void;
}

/** Creates a delivery queue for `policy`. */
export function createDeliveryQueue(policy: DeliveryPolicy): DeliveryQueue {
  let queue: { item: PendingDelivery; queuedAt: number }[] = [];
  let delivering = false;
  let attempts: WebhookAttempt[] = [];
  let chain: Promise<void> = Promise.resolve();
  let generation = 0;

  async function deliver(item: PendingDelivery, queuedAt: number, gen: number): Promise<void> {
    const maxAttempts = policy.retryDelaysMs.length + 1;
    for (let attempt = 1; attempt <= maxAttempts && gen === generation; attempt++) {
      const delay = policy.retryDelaysMs[attempt - 2] ?? 0;
      if (attempt > 1 && delay > 0) await abortableDelay(delay, undefined);
      const headers = { "content-type": "application/json", ...(await policy.headers(item.body, queuedAt)) };
      const record: WebhookAttempt = {
        objectId: item.objectId,
        attempt,
        url: policy.url,
        body: item.body,
        headers,
      };
      attempts.push(record);
      delivering = true;
      try {
        const response = await policy.fetch(
          new Request(policy.url, {
            method: "POST",
            headers,
            body: item.body,
            signal: AbortSignal.timeout(policy.timeoutMs),
          }),
        );
        record.status = response.status;
        await response.body?.cancel();
        if ((response.status >= 200 && response.status < 300) || !policy.retryable(response.status)) return;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      } finally {
        delivering = false;
      }
    }
  }

  async function run(gen: number): Promise<void> {
    if (queue.length > 0 && policy.gate && !(await policy.gate())) {
      queue = [];
      return;
    }
    while (queue.length > 0 && gen === generation) {
      const next = queue.shift();
      if (next) await deliver(next.item, next.queuedAt, gen);
    }
  }

  return {
    enqueue(items) {
      if (items.length === 0) return;
      const queuedAt = policy.now();
      queue.push(...items.map((item) => ({ item, queuedAt })));
      const gen = generation;
      chain = chain.then(() => run(gen));
    },
    drain: () => chain,
    get attempts() {
      return attempts;
    },
    get delivering() {
      return delivering;
    },
    reset() {
      generation++;
      queue = [];
      attempts = [];
      chain = Promise.resolve();
    },
  };
}

/** `Certn-Signature: t=<unix seconds>,v1=<hex HMAC of "t.body">` (certn-api.md §6.1, §7 #14). */
export async function certnSignature(secret: string, body: string, nowMs: number): Promise<string> {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${await hmacSha256Hex(secret, `${t}.${body}`)}`;
}
