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

/** Does nothing; swallows the rejections nobody waits for. */
export const ignore = (): void => {};

/** Cancels a response's body that will not be read. */
export function discard(response: Response): void {
  response.body?.cancel().catch(ignore);
}

/**
 * Sends one attempt. `request` is built with the attempt's own abort signal; `label` is
 * `METHOD URL` without the query, for messages. Resolves with the response (its body guarded);
 * rejects with `CertnTimeoutError`, `CertnNetworkError`, or the caller's own abort reason.
 */
export async function runAttempt(
  fetch: FetchLike,
  request: (signal: AbortSignal) => Request,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  maxBodyBytes: number | undefined,
  label: string,
): Promise<Response> {
  if (callerSignal?.aborted) throw callerSignal.reason;
  const controller = new AbortController();
  const signal = controller.signal;
  let timedOut = false;
  const timeoutError = () =>
    new CertnTimeoutError(`${label}: no complete response within ${timeoutMs} ms`, { timeoutMs });
  /** The error for an abort: a timeout, or the caller's own reason. */
  const abortError = (): unknown => (timedOut ? timeoutError() : (callerSignal?.reason ?? signal.reason));
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener("abort", () => reject(abortError()), { once: true });
  });
  // The race that uses `aborted` may already be settled when it rejects.
  aborted.catch(ignore);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(timeoutError());
  }, timeoutMs);
  const finish = () => {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  };

  let response: Response;
  try {
    response = await Promise.race([fetch(request(signal)), aborted]);
  } catch (error) {
    finish();
    throw signal.aborted
      ? abortError()
      : error instanceof CertnError
        ? error
        : new CertnNetworkError(`${label}: the request failed before a response arrived`, { cause: error });
  }
  const { status, statusText, headers, body } = response;
  // Opaque redirects (status 0) cannot be rebuilt; bodiless statuses carry nothing to guard.
  if (status < 200 || status > 599) {
    finish();
    return response;
  }
  let guarded: ReadableStream<Uint8Array> | null = null;
  if (body && ![204, 205, 304].includes(status)) {
    const reader = body.getReader();
    let received = 0;
    guarded = new ReadableStream<Uint8Array>({
      async pull(stream) {
        try {
          const chunk = await Promise.race([reader.read(), aborted]);
          if (chunk.done) {
            finish();
            return stream.close();
          }
          received += chunk.value.byteLength;
          if (maxBodyBytes !== undefined && received > maxBodyBytes) {
            throw new CertnResponseError(
              `${label} -> ${status}: response body is larger than ${maxBodyBytes} bytes`,
              { code: CertnErrorCode.RESPONSE_TOO_LARGE, status },
            );
          }
          stream.enqueue(chunk.value);
        } catch (error) {
          finish();
          reader.cancel().catch(ignore);
          stream.error(signal.aborted ? abortError() : error);
        }
      },
      cancel(reason) {
        finish();
        return reader.cancel(reason);
      },
    });
  } else {
    finish();
    discard(response);
  }
  const wrapped = new Response(guarded, { status, statusText, headers });
  try {
    Object.defineProperty(wrapped, "url", { value: response.url });
  } catch {
    // Some runtimes do not allow shadowing `url`; it is informational only.
  }
  return wrapped;
}
