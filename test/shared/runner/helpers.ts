/**
 * Test helpers for the runner: a virtual clock that advances only when the run waits, and a tiny
 * real Transport over an injected handler (egress check, hooks, abort), recording what it sent.
 */
import type { Collection, Item } from "../../../src/collection/model.ts";
import type { SendOptions, Transport } from "../../../src/core/transport-types.ts";

/** Virtual time: `sleep` registers a timer; the earliest timer fires once the event loop is idle. */
export class FakeClock {
  time = Date.UTC(2026, 10, 28, 10, 0, 0);
  #timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  #seq = 0;
  #scheduled = false;

  now = (): number => this.time;

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const timer = { at: this.time + Math.max(0, ms), seq: this.#seq++, fire: () => done() };
      const done = (): void => {
        this.#timers = this.#timers.filter((entry) => entry !== timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      signal?.addEventListener("abort", done, { once: true });
      this.#timers.push(timer);
      this.#schedule();
    });

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.#timers[0];
      if (!next) return;
      this.time = Math.max(this.time, next.at);
      next.fire();
      if (this.#timers.length > 0) this.#schedule();
    }, 0);
  }
}

/** One request as the test transport received it. */
export interface SentRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/** What a handler gets beside the request. */
export interface HandlerInfo {
  signal: AbortSignal | undefined;
  /** 0-based index of this request among all the transport sent. */
  index: number;
}

/** A handler standing in for the API. */
export type Handler = (request: Request, info: HandlerInfo) => Response | Promise<Response>;

/** A test transport: the Transport shape, with the requests it sent. */
export interface TestTransport extends Transport {
  sent: SentRequest[];
  /** Send options seen, in order. */
  options: SendOptions[];
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Builds a transport over `handler`: one attempt per send, hooks called like the real client. */
export function createTestTransport(handler: Handler, baseUrl = "https://demo-api.certn.co"): TestTransport {
  const sent: SentRequest[] = [];
  const options: SendOptions[] = [];
  return {
    baseUrl,
    sent,
    options,
    async send(request: Request, sendOptions: SendOptions = {}): Promise<Response> {
      options.push(sendOptions);
      if (new URL(request.url).origin !== new URL(baseUrl).origin) {
        throw Object.assign(new Error("egress refused by the test transport"), {
          code: "CERTN_EGRESS_REFUSED",
        });
      }
      await sendOptions.beforeAttempt?.();
      if (sendOptions.signal?.aborted) throw sendOptions.signal.reason;
      const body = await request.text();
      const index = sent.length;
      sent.push({ method: request.method, url: request.url, headers: new Headers(request.headers), body });
      const forward = new Request(request.url, {
        method: request.method,
        headers: request.headers,
        ...(body === "" ? {} : { body }),
      });
      try {
        const response = await abortable(
          Promise.resolve(handler(forward, { signal: sendOptions.signal, index })),
          sendOptions.signal,
        );
        sendOptions.onAttempt?.({
          attempt: 1,
          method: request.method,
          url: request.url.split("?")[0] ?? "",
          status: response.status,
          durationMs: 0,
        });
        return response;
      } catch (error) {
        sendOptions.onAttempt?.({
          attempt: 1,
          method: request.method,
          url: request.url.split("?")[0] ?? "",
          errorCode: "CERTN_NETWORK",
          durationMs: 0,
        });
        throw error;
      }
    },
  };
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** A collection around some items. */
export function collectionOf(items: Item[], extra: Partial<Collection> = {}): Collection {
  return { formatVersion: 1, name: "test collection", ...extra, items };
}
