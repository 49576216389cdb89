/**
 * One attempt: a single fetch whose timeout covers the headers and the whole body. The returned
 * response's body is a wrapper that errors at the attempt's deadline (a stalled body cannot hang
 * the caller) and after `maxBodyBytes` (the rest is never buffered); or, when the runtime's fetch
 * declares a length within `maxBodyBytes`, the body already read whole, under the same deadline.
 * Either way it shows the fetched status, URL and `Headers` object (immutable, as `fetch` made it).
 */

import { BufferedResponse } from "./buffered-response.ts";
import {
  CertnError,
  CertnErrorCode,
  CertnNetworkError,
  CertnResponseError,
  CertnTimeoutError,
  isCertnError,
} from "./errors.ts";
import { RelayedResponse } from "./relayed-response.ts";

/** A function with the shape of the global `fetch`. */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Does nothing; swallows the rejections nobody waits for. */
export const ignore = (): void => {};

/** Cancels a response's body that will not be read. */
export function discard(response: Response): void {
  response.body?.cancel().catch(ignore);
}

/** How {@link runAttempt} reads a body. */
export interface BodyReading {
  /** Read the body whole within the attempt, whatever its length (up to `maxBodyBytes`). */
  whole?: boolean;
  /**
   * The request would be sent again after a timeout or a broken connection: a body read within
   * the attempt that fails so rejects the attempt (and so is retried) instead of failing its reader.
   */
  retryable?: boolean;
}

/**
 * Sends one attempt. `send` starts the fetch with the attempt's own abort signal (a synchronous
 * throw means the request could not be built); `label` is `METHOD URL` without the query, for
 * messages. `trustsLength`: the fetch is the runtime's own, which never delivers more body than
 * a `Content-Length` declares, so a body that declares a length within `maxBodyBytes` (and no
 * `Content-Encoding`) is read whole here into a {@link BufferedResponse}; any other body is
 * guarded, or read whole too when `reading.whole` says so. Resolves with the response;
 * rejects with `CertnTimeoutError`, `CertnNetworkError`, `CERTN_INVALID_REQUEST` (a request
 * that cannot be built, nothing sent), or the caller's own abort reason. A body that fails
 * mid-way errors with `CertnNetworkError` (or the timeout, or the caller's reason).
 */
export async function runAttempt(
  send: (signal: AbortSignal) => Promise<Response>,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  maxBodyBytes: number | undefined,
  label: string,
  trustsLength = false,
  reading: BodyReading = {},
): Promise<Response> {
  if (callerSignal?.aborted) throw callerSignal.reason;
  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  const timeoutError = () =>
    new CertnTimeoutError(`${label}: no complete response within ${timeoutMs} ms`, { timeoutMs });
  /** The error for an abort: a timeout, or the caller's own reason. */
  const abortError = (): unknown => (timedOut ? timeoutError() : (callerSignal?.reason ?? signal.reason));
  // What an abort does now: reject the wait for headers, later error the body. Only the two
  // places below abort the attempt's signal, so they call it themselves: no listener on it.
  let onAbort: () => void = ignore;
  const abort = (reason: unknown): void => {
    controller.abort(reason);
    onAbort();
  };
  const onCallerAbort = () => abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    abort(timeoutError());
  }, timeoutMs);
  // Everything that could keep the attempt reachable (timer, listeners on a long-lived caller
  // signal) is released here, once the body is done, cancelled or failed.
  const finish = () => {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
    onAbort = ignore;
  };

  let sent: Promise<Response>;
  try {
    sent = send(signal);
  } catch (error) {
    finish();
    // Our own input (a header value, a body) that `Request` refuses: not a network failure. Only
    // the error's name is kept, since a refused header value may be a credential.
    const name = error instanceof Error ? error.name : typeof error;
    throw new CertnError(
      CertnErrorCode.INVALID_REQUEST,
      `${label}: the request could not be built (${name}); nothing was sent`,
    );
  }
  let response: Response;
  try {
    response = await new Promise<Response>((resolve, reject) => {
      // A fetch that ignores its signal must still give up at the deadline.
      onAbort = () => reject(abortError());
      // `fetch` rejects (with a TypeError in every runtime) when the network fails.
      sent.then(resolve, reject);
    });
  } catch (error) {
    finish();
    throw signal.aborted
      ? abortError()
      : isCertnError(error)
        ? error
        : new CertnNetworkError(`${label}: the request failed before a response arrived`, { cause: error });
  }
  const { status, headers, body } = response;
  // An opaque redirect (status 0, a browser's answer to `redirect: "manual"`) has no body to guard.
  if (status === 0 && !body) {
    finish();
    return response;
  }
  // Any other status outside 200-599 (Node's fetch passes on a `999`) cannot be rebuilt into a
  // `Response` around a guarded body, and handed on as it is it would escape the deadline, the
  // size cap and the caller's abort: refused, its body cancelled.
  if (status < 200 || status > 599) {
    finish();
    discard(response);
    throw new CertnResponseError(
      `${label} -> ${status}: not an HTTP status (200-599); the answer was not read`,
      {
        status,
      },
    );
  }
  /** A body read that failed: the connection broke (runtimes reject with a TypeError). */
  const bodyFailure = (error: unknown): unknown =>
    isCertnError(error)
      ? error
      : new CertnNetworkError(`${label} -> ${status}: the connection failed while the body was read`, {
          cause: error,
        });
  const tooLarge = (): CertnResponseError =>
    new CertnResponseError(`${label} -> ${status}: response body is larger than ${maxBodyBytes} bytes`, {
      code: CertnErrorCode.RESPONSE_TOO_LARGE,
      status,
    });
  const bodiless = !body || status === 204 || status === 205 || status === 304;
  // A declared length within the cap, and no encoding that would make the body larger than it.
  const declared = headers.get("content-length");
  const fits = declared !== null && /^\d{1,15}$/.test(declared) && !headers.has("content-encoding");
  if (!bodiless && trustsLength && fits && maxBodyBytes !== undefined && +declared <= maxBodyBytes) {
    // One arrayBuffer() under the attempt's signal, whose abort errors the body (Fetch standard);
    // the race also ends the wait for a fetch that ignores its signal.
    let failure: unknown;
    let bytes = new Uint8Array(0);
    try {
      bytes = new Uint8Array(
        await new Promise<ArrayBuffer>((resolve, reject) => {
          onAbort = () => reject(abortError());
          response.arrayBuffer().then(resolve, reject);
        }),
      );
      if (bytes.byteLength > maxBodyBytes) failure = tooLarge();
    } catch (error) {
      failure = signal.aborted ? abortError() : bodyFailure(error);
    }
    finish();
    if (failure !== undefined) return failedBody(failure, response, reading.retryable);
    return new BufferedResponse(bytes, response);
  }
  let guarded: ReadableStream<Uint8Array> | null = null;
  if (!bodiless && body) {
    const reader = body.getReader();
    let received = 0;
    let failed = false;
    let outer: ReadableStreamDefaultController<Uint8Array> | undefined;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      finish();
      reader.cancel().catch(ignore);
      outer?.error(error);
    };
    // Errors the body at once, even while a read of a stalled source is pending.
    onAbort = () => fail(abortError());
    guarded = new ReadableStream<Uint8Array>({
      start(stream) {
        outer = stream;
      },
      pull(stream) {
        return reader.read().then(
          (chunk) => {
            if (failed) return;
            if (chunk.done) {
              finish();
              stream.close();
              return;
            }
            received += chunk.value.byteLength;
            if (maxBodyBytes !== undefined && received > maxBodyBytes) {
              fail(tooLarge());
              return;
            }
            stream.enqueue(chunk.value);
          },
          (error: unknown) => fail(signal.aborted ? abortError() : bodyFailure(error)),
        );
      },
      cancel(reason) {
        failed = true;
        finish();
        return reader.cancel(reason);
      },
    });
    if (signal.aborted) fail(abortError());
    if (reading.whole) {
      try {
        return new BufferedResponse(new Uint8Array(await new Response(guarded).arrayBuffer()), response);
      } catch (error) {
        return failedBody(error, response, reading.retryable);
      }
    }
  } else {
    finish();
    discard(response);
  }
  return new RelayedResponse(guarded, response);
}

/**
 * A body read within the attempt that failed: a timeout or a broken connection rejects the
 * attempt when it would be retried (a GET whose body broke is sent again, as one whose headers
 * never came); otherwise, as on the streamed path, the body fails its reader, not the send.
 */
function failedBody(failure: unknown, response: Response, retryable: boolean | undefined): Response {
  const code = isCertnError(failure) ? failure.code : undefined;
  if (retryable && (code === CertnErrorCode.TIMEOUT || code === CertnErrorCode.NETWORK)) throw failure;
  return new RelayedResponse(new ReadableStream({ start: (stream) => stream.error(failure) }), response);
}
