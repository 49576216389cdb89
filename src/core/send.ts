/**
 * The transport loop behind `client.send`: the egress and header checks, the body buffered once,
 * per-attempt timeouts, retries with full-jitter backoff and `Retry-After`, and the one-time
 * token refresh and replay after a 401 (a replay refused too is reported to the authorizer, which
 * then stops refreshing for a while; the authorizer may also end a call on a 401 with its own
 * error, and hears of each 2xx). It never throws on an HTTP status, but for a `Retry-After` longer
 * than the policy allows: that ends the call with the answer as a `CertnHttpError`.
 */
import { discard, type FetchLike, ignore, runAttempt } from "./attempt.ts";
import type { AcceptingAuthorizer } from "./authorizer.ts";
import { assertNoBlockedHeaders } from "./blocked-headers.ts";
import { httpErrorFor } from "./call.ts";
import { CertnErrorCode, CertnHttpError, isCertnError } from "./errors.ts";
import { checkEgress, urlWithoutQuery } from "./origin.ts";
import {
  backoffDelay,
  checkNumber,
  isIdempotentMethod,
  parseRetryAfter,
  type ResolvedRetryPolicy,
  resolveRetryPolicy,
  shouldRetryStatus,
} from "./retry-policy.ts";
import { raceSignal, type Sleep } from "./sleep.ts";
import type { AttemptInfo, SendOptions } from "./transport-types.ts";

export type { AcceptingAuthorizer } from "./authorizer.ts";

/** Everything the transport needs, fixed per client. */
export interface SenderConfig {
  /** The only origin requests may go to. */
  origin: string;
  fetch: FetchLike;
  /**
   * `fetch` is the runtime's own, called with a URL and an init; otherwise (a caller's `fetch`) it
   * is called with one `Request`, as documented.
   */
  fetchTakesInit?: boolean;
  now: () => number;
  sleep: Sleep;
  /** Returns a number in [0, 1); drives the backoff jitter. */
  random: () => number;
  /** Default per-attempt timeout, in ms. */
  timeoutMs: number;
  /** Default retry policy. */
  retry: ResolvedRetryPolicy;
  /** Attaches credentials; read at each call, absent for a client without any. */
  authorizer?: AcceptingAuthorizer;
  /**
   * The client's masker of everything it must never show (its secret and the forms of it the Basic
   * credential encodes, its API key, every token it has attached): applied to the body of the
   * error a too long `Retry-After` gives, as a server may quote what it received.
   */
  mask?: (text: string) => string;
}

/**
 * Options only the client's own code gives, as a separate argument, so that nothing a caller
 * puts in {@link SendOptions} can bypass the header check.
 */
export interface TrustedSendOptions {
  /** Headers set after the blocked-header check (the token request's Basic credential). */
  headers?: Record<string, string>;
  /** Retry as if idempotent whatever the method (the token request). */
  idempotent?: boolean;
  /** Send the request body as a stream, unbuffered; such a request is never retried or replayed. */
  streaming?: boolean;
}

/** The transport function. */
export type SendFunction = (
  request: Request,
  options?: SendOptions,
  trusted?: TrustedSendOptions,
) => Promise<Response>;

/** Builds the transport for one client. */
export function createSender(config: SenderConfig): SendFunction {
  // The last URL that passed the egress check: most calls repeat it, and parsing costs.
  let lastChecked: URL | undefined;
  return async (request, options = {}, trusted = {}) => {
    const { now, sleep, random } = config;
    const { signal, beforeAttempt, onAttempt } = options;
    const href = request.url;
    if (lastChecked?.href !== href) lastChecked = checkEgress(href, config.origin);
    const url = lastChecked;
    assertNoBlockedHeaders(request.headers);
    const method = request.method.toUpperCase();
    const policy = resolveRetryPolicy(config.retry, options.retry);
    const timeoutMs = checkNumber(options.timeoutMs ?? config.timeoutMs, "timeoutMs", true);
    const authorizer = options.auth === false ? undefined : config.authorizer;
    const streaming = trusted.streaming === true && request.body !== null;
    const body = streaming || !request.body ? request.body : new Uint8Array(await request.arrayBuffer());
    const idempotent = trusted.idempotent ?? (isIdempotentMethod(method) || policy.retryNonIdempotent);
    const maxRetries = streaming ? 0 : policy.retries;
    const where = urlWithoutQuery(url);
    const label = `${method} ${where}`;
    const trustedHeaders = Object.entries(trusted.headers ?? {});

    let attempt = 0;
    let retriesUsed = 0;
    // A streaming body cannot be sent twice, so it is never replayed after a 401.
    let replayed = streaming;
    // Set once the replay goes out with a credential obtained because of this call's first 401.
    let refreshed = false;
    for (;;) {
      // Awaited only when it waits: an await costs a turn of the microtask queue per request.
      const waiting = beforeAttempt?.();
      if (waiting) await waiting;
      if (signal?.aborted) throw signal.reason;
      const credential =
        authorizer && (authorizer.held?.() ?? (await raceSignal(authorizer.authorize(), signal)));
      attempt += 1;
      const started = now();
      const report = (outcome: Partial<AttemptInfo>): void => {
        try {
          onAttempt?.({
            attempt,
            method,
            url: where,
            durationMs: Math.max(0, now() - started),
            ...outcome,
          });
        } catch {
          // A failing observer must not change the outcome of the call.
        }
      };
      const retryAfter = async (outcome: Partial<AttemptInfo>, delay: number): Promise<void> => {
        report({ ...outcome, retryInMs: delay });
        retriesUsed += 1;
        await sleep(delay, signal);
        // A sleep resolves early on abort (core's one contract); the abort is the caller's.
        if (signal?.aborted) throw signal.reason;
      };

      let response: Response;
      try {
        response = await runAttempt(
          (attemptSignal) => {
            // Built (and so checked) here: a value `Headers` refuses throws before anything is sent.
            const attemptHeaders = new Headers(request.headers);
            for (const [name, value] of trustedHeaders) attemptHeaders.set(name, value);
            if (credential) attemptHeaders.set("Authorization", credential.header);
            const init: RequestInit & { duplex?: "half" } = {
              method,
              headers: attemptHeaders,
              body,
              redirect: "manual",
              signal: attemptSignal,
            };
            if (streaming) init.duplex = "half";
            // The runtime's fetch takes the URL and init as they are (it builds its own Request
            // from them, so building one here too would be paid twice); a caller's `fetch` gets
            // the Request it was promised.
            return config.fetchTakesInit
              ? config.fetch(url.href, init)
              : config.fetch(new Request(url.href, init));
          },
          timeoutMs,
          signal,
          options.maxBodyBytes,
          label,
          config.fetchTakesInit === true,
          { whole: options.readWhole === true, retryable: idempotent && retriesUsed < maxRetries },
        );
      } catch (error) {
        // Anything but a CertnError is the caller's own abort reason.
        const errorCode = isCertnError(error) ? error.code : "ABORTED";
        // A request that could not be built was never sent: no attempt to report.
        if (errorCode === CertnErrorCode.INVALID_REQUEST) throw error;
        const transient = errorCode === CertnErrorCode.TIMEOUT || errorCode === CertnErrorCode.NETWORK;
        if (!transient || !idempotent || retriesUsed >= maxRetries) {
          report({ errorCode });
          throw error;
        }
        await retryAfter({ errorCode }, backoffDelay(policy, retriesUsed, random));
        continue;
      }

      const status = response.status;
      if (status === 401 && authorizer && credential) {
        if (!replayed) {
          replayed = true;
          let replay: boolean;
          try {
            // Rejects when the authorizer ends the call instead (a refused token in its cool-down).
            replay = await raceSignal(authorizer.refreshAfter401(credential), signal);
          } catch (error) {
            report({ status });
            discard(response);
            throw error;
          }
          if (replay) {
            refreshed = true;
            report({ status, retryInMs: 0 });
            discard(response);
            continue;
          }
        } else if (refreshed) {
          // The credential obtained moments ago is refused too: refreshing again would not help,
          // so the authorizer stops asking for tokens for a while (this 401 is still returned).
          refreshed = false;
          await raceSignal(authorizer.refusedAfterRefresh(credential), signal);
        }
      }

      const retryAfterHeader = response.headers.get("retry-after");
      const serverWait = parseRetryAfter(retryAfterHeader, now());
      // The server's wait travels with the attempt, so a shared rate budget can pause for it.
      const outcome: Partial<AttemptInfo> =
        serverWait === undefined ? { status } : { status, retryAfterMs: serverWait };
      if (retriesUsed < maxRetries && shouldRetryStatus(status, idempotent)) {
        const retryAfterMs = serverWait ?? 0;
        if (retryAfterMs > policy.maxRetryAfterMs) {
          report(outcome);
          const mask = config.mask ?? ((text: string) => text);
          throw await tooLongWait(method, url, response, mask, retryAfterMs, policy.maxRetryAfterMs);
        }
        discard(response);
        await retryAfter(outcome, retryAfterMs || backoffDelay(policy, retriesUsed, random));
        continue;
      }

      if (credential && status > 199 && status < 300) authorizer?.accepted?.(credential);
      report(outcome);
      return response;
    }
  };
}

/** Most of a refused answer's body {@link tooLongWait} reads, and for how long. */
const REFUSAL_BODY_BYTES = 16_384;
const REFUSAL_BODY_MS = 2_000;

/**
 * `response` with at most {@link REFUSAL_BODY_BYTES} of its body, read within
 * {@link REFUSAL_BODY_MS}: the error needs the start of the answer (a `detail`, Certn's `errors`),
 * and a body that streams on, or never ends, must neither hold the call nor fill memory.
 */
async function boundedAnswer(response: Response): Promise<Response> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  let stopTimer = ignore;
  const timeUp = new Promise<undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), REFUSAL_BODY_MS);
    stopTimer = () => clearTimeout(timer);
  });
  try {
    while (reader !== undefined && size < REFUSAL_BODY_BYTES) {
      const chunk = await Promise.race([reader.read(), timeUp]);
      if (chunk === undefined || chunk.done) break;
      chunks.push(chunk.value);
      size += chunk.value.byteLength;
    }
  } catch {
    // A body that broke: what arrived is the answer.
  }
  stopTimer();
  reader?.cancel().catch(ignore);
  const text = new TextDecoder().decode(await new Blob(chunks).arrayBuffer()).slice(0, REFUSAL_BODY_BYTES);
  return new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * The error for an answer whose `Retry-After` is longer than `retry.maxRetryAfterMs`: the
 * `CertnHttpError` that answer gives when it is not retried (its body parsed, Certn's `errors`,
 * the summary in the message), with code `CERTN_RATE_LIMITED` and `retryAfterMs`. `mask` hides
 * what the call sent (its credentials, the trusted headers and secrets) in the body's text
 * before it is parsed, since a server can quote only that; the client masks every text of its
 * errors with all of its secrets besides.
 */
async function tooLongWait(
  method: string,
  url: URL,
  response: Response,
  mask: (text: string) => string,
  retryAfterMs: number,
  maxRetryAfterMs: number,
): Promise<CertnHttpError> {
  const answer = await httpErrorFor(method, url, await boundedAnswer(response), mask);
  const wait = `the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, over retry.maxRetryAfterMs (${maxRetryAfterMs} ms)`;
  const error = new CertnHttpError(`${answer.message}; ${wait}`, {
    status: answer.status,
    method,
    url: answer.url,
    body: answer.body,
    errors: answer.errors,
    code: CertnErrorCode.RATE_LIMITED,
  });
  error.retryAfterMs = retryAfterMs;
  return error;
}
