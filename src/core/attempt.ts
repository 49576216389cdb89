/**
 * One attempt: a single fetch whose timeout covers the headers and the whole body. The returned
 * response's body is a wrapper that errors at the attempt's deadline (a stalled body cannot hang
 * the caller) and after `maxBodyBytes` (the rest is never buffered).
 */
import {
  CertnError,
  CertnErrorCode,
  CertnNetworkError,
  CertnResponseError,
  CertnTimeoutError,
} from "./errors.ts";

/** A function with the shape of the global `fetch`. */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Inputs of one attempt. */
export interface AttemptInput {
  fetch: FetchLike;
  /** Builds the request to send, wired to the attempt's own abort signal. */
  makeRequest: (signal: AbortSignal) => Request;
  timeoutMs: number;
  callerSignal: AbortSignal | undefined;
  maxBodyBytes: number | undefined;
  /** For messages: `METHOD URL` without the query. */
  label: string;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

class AttemptState {
  readonly controller = new AbortController();
  timedOut = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #onCallerAbort: (() => void) | undefined;
  readonly aborted: Promise<never>;

  constructor(private readonly input: AttemptInput) {
    const { callerSignal, timeoutMs } = input;
    this.aborted = new Promise<never>((_, reject) => {
      this.controller.signal.addEventListener("abort", () => reject(this.abortError()), { once: true });
    });
    // The race that uses `aborted` may already be settled when it rejects.
    this.aborted.catch(() => undefined);
    if (callerSignal) {
      this.#onCallerAbort = () => this.controller.abort(callerSignal.reason);
      callerSignal.addEventListener("abort", this.#onCallerAbort, { once: true });
    }
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(this.timeoutError());
    }, timeoutMs);
  }

  timeoutError(): CertnTimeoutError {
    return new CertnTimeoutError(
      `${this.input.label}: no complete response within ${this.input.timeoutMs} ms`,
      {
        timeoutMs: this.input.timeoutMs,
      },
    );
  }

  /** The error for an abort: a timeout, or the caller's own reason. */
  abortError(): unknown {
    if (this.timedOut) return this.timeoutError();
    return this.input.callerSignal?.reason ?? this.controller.signal.reason;
  }

  finish(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#onCallerAbort) this.input.callerSignal?.removeEventListener("abort", this.#onCallerAbort);
    this.#onCallerAbort = undefined;
  }
}

function guardBody(
  body: ReadableStream<Uint8Array>,
  state: AttemptState,
  maxBodyBytes: number | undefined,
  label: string,
  status: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let received = 0;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: unknown): void => {
    state.finish();
    reader.cancel().catch(() => undefined);
    controller.error(error);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await Promise.race([reader.read(), state.aborted]);
      } catch (error) {
        fail(controller, state.controller.signal.aborted ? state.abortError() : error);
        return;
      }
      if (chunk.done) {
        state.finish();
        controller.close();
        return;
      }
      received += chunk.value.byteLength;
      if (maxBodyBytes !== undefined && received > maxBodyBytes) {
        fail(
          controller,
          new CertnResponseError(
            `${label} -> ${status}: response body is larger than ${maxBodyBytes} bytes`,
            {
              code: CertnErrorCode.RESPONSE_TOO_LARGE,
              status,
            },
          ),
        );
        return;
      }
      controller.enqueue(chunk.value);
    },
    cancel(reason) {
      state.finish();
      return reader.cancel(reason);
    },
  });
}

function rewrap(response: Response, body: ReadableStream<Uint8Array> | null): Response {
  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  try {
    Object.defineProperty(wrapped, "url", { value: response.url });
  } catch {
    // Some runtimes do not allow shadowing `url`; it is informational only.
  }
  return wrapped;
}

/**
 * Sends one attempt. Resolves with the response (its body guarded); rejects with
 * `CertnTimeoutError`, `CertnNetworkError`, or the caller's own abort reason.
 */
export async function runAttempt(input: AttemptInput): Promise<Response> {
  if (input.callerSignal?.aborted) throw input.callerSignal.reason;
  const state = new AttemptState(input);
  let response: Response;
  try {
    const request = input.makeRequest(state.controller.signal);
    response = await Promise.race([input.fetch(request), state.aborted]);
  } catch (error) {
    state.finish();
    if (state.controller.signal.aborted) throw state.abortError();
    if (error instanceof CertnError) throw error;
    throw new CertnNetworkError(`${input.label}: the request failed before a response arrived`, {
      cause: error,
    });
  }
  // Opaque redirects (status 0) and bodiless statuses cannot be rebuilt or carry nothing to guard.
  if (response.status < 200 || response.status > 599) {
    state.finish();
    return response;
  }
  if (response.body === null || NULL_BODY_STATUSES.has(response.status)) {
    state.finish();
    response.body?.cancel().catch(() => undefined);
    return rewrap(response, null);
  }
  return rewrap(response, guardBody(response.body, state, input.maxBodyBytes, input.label, response.status));
}
