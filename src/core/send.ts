/**
 * The transport loop behind `client.send`: the egress and header checks, the body buffered once,
 * per-attempt timeouts, retries with full-jitter backoff and `Retry-After`, and the one-time
 * token refresh and replay after a 401. It never throws on an HTTP status.
 */
import { type FetchLike, runAttempt } from "./attempt.ts";
import type { AppliedCredential, Authorizer } from "./authorizer.ts";
import { assertNoBlockedHeaders } from "./blocked-headers.ts";
import { CertnError, CertnErrorCode, isCertnError } from "./errors.ts";
import { checkEgress, urlWithoutQuery } from "./origin.ts";
import {
  backoffDelay,
  isIdempotentMethod,
  parseRetryAfter,
  type ResolvedRetryPolicy,
  resolveRetryPolicy,
  shouldRetryStatus,
} from "./retry-policy.ts";
import { raceSignal, type Sleep } from "./sleep.ts";
import type { AttemptInfo, SendOptions } from "./transport.ts";

/** Everything the transport needs, fixed per client. */
export interface SenderConfig {
  /** The only origin requests may go to. */
  origin: string;
  fetch: FetchLike;
  now: () => number;
  sleep: Sleep;
  /** Returns a number in [0, 1); drives the backoff jitter. */
  random: () => number;
  /** Default per-attempt timeout, in ms. */
  timeoutMs: number;
  /** Default retry policy. */
  retry: ResolvedRetryPolicy;
  /** Attaches credentials; absent for a client without any. */
  authorizer?: Authorizer;
}

/** Options the client's own calls may add (never exposed to `client.send` callers). */
export interface InternalSendOptions extends SendOptions {
  /** Headers set after the blocked-header check (the token request's Basic credential). */
  trustedHeaders?: Record<string, string>;
  /** Retry as if idempotent whatever the method (the token request). */
  idempotent?: boolean;
  /** Send the request body as a stream, unbuffered; such a request is never retried or replayed. */
  streamingBody?: boolean;
}

/** The transport function. */
export type SendFunction = (request: Request, options?: InternalSendOptions) => Promise<Response>;

function checkTimeout(value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`timeoutMs must be a finite number of milliseconds > 0 (got ${String(value)})`);
  }
  return value;
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** Builds the transport for one client. */
export function createSender(config: SenderConfig): SendFunction {
  return async function send(request, options = {}) {
    const url = checkEgress(request.url, config.origin);
    assertNoBlockedHeaders(request.headers);
    const method = request.method.toUpperCase();
    const policy = resolveRetryPolicy(config.retry, options.retry);
    const timeoutMs = checkTimeout(options.timeoutMs ?? config.timeoutMs);
    const signal = options.signal;
    const authorizer = options.auth === false ? undefined : config.authorizer;
    const streaming = options.streamingBody === true && request.body !== null;
    const body: BodyInit | null = streaming
      ? request.body
      : request.body === null
        ? null
        : new Uint8Array(await request.arrayBuffer());
    const idempotent = options.idempotent ?? (isIdempotentMethod(method) || policy.retryNonIdempotent);
    const label = `${method} ${urlWithoutQuery(url)}`;
    const baseHeaders = new Headers(request.headers);
    for (const [name, value] of Object.entries(options.trustedHeaders ?? {})) baseHeaders.set(name, value);

    const makeRequest = (credential: AppliedCredential | undefined, attemptSignal: AbortSignal): Request => {
      const headers = new Headers(baseHeaders);
      if (credential) headers.set("Authorization", credential.header);
      const init: RequestInit & { duplex?: "half" } = {
        method,
        headers,
        redirect: "manual",
        signal: attemptSignal,
      };
      if (body !== null) init.body = body;
      if (streaming) init.duplex = "half";
      return new Request(url.href, init);
    };

    let attempt = 0;
    let retriesUsed = 0;
    let replayed = false;
    for (;;) {
      if (options.beforeAttempt) await options.beforeAttempt();
      if (signal?.aborted) throw signal.reason;
      const credential = authorizer ? await raceSignal(authorizer.authorize(), signal) : undefined;
      attempt += 1;
      const started = config.now();
      const report = (outcome: Partial<AttemptInfo>): void => {
        try {
          options.onAttempt?.({
            attempt,
            method,
            url: urlWithoutQuery(url),
            durationMs: Math.max(0, config.now() - started),
            ...outcome,
          });
        } catch {
          // A failing observer must not change the outcome of the call.
        }
      };

      let response: Response;
      try {
        response = await runAttempt({
          fetch: config.fetch,
          makeRequest: (attemptSignal) => makeRequest(credential, attemptSignal),
          timeoutMs,
          callerSignal: signal,
          maxBodyBytes: options.maxBodyBytes,
          label,
        });
      } catch (error) {
        if (!isCertnError(error)) {
          report({ errorCode: "ABORTED" });
          throw error;
        }
        const transient = error.code === CertnErrorCode.TIMEOUT || error.code === CertnErrorCode.NETWORK;
        if (!transient || streaming || !idempotent || retriesUsed >= policy.retries) {
          report({ errorCode: error.code });
          throw error;
        }
        const delay = backoffDelay(policy, retriesUsed, config.random);
        report({ errorCode: error.code, retryInMs: delay });
        retriesUsed += 1;
        await config.sleep(delay, signal);
        continue;
      }

      const status = response.status;
      if (status === 401 && authorizer && credential && !replayed && !streaming) {
        replayed = true;
        if (await raceSignal(authorizer.refreshAfter401(credential), signal)) {
          report({ status, retryInMs: 0 });
          discard(response);
          continue;
        }
      }

      const retryAfterHeader = response.headers.get("retry-after");
      const retryable = !streaming && shouldRetryStatus(status, idempotent, retryAfterHeader !== null);
      if (retryable && retriesUsed < policy.retries) {
        const retryAfterMs = parseRetryAfter(retryAfterHeader, config.now());
        if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
          report({ status });
          discard(response);
          const error = new CertnError(
            CertnErrorCode.RATE_LIMITED,
            `${label} -> ${status}: rate limited; the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s, longer than retry.maxRetryAfterMs (${policy.maxRetryAfterMs} ms)`,
          );
          error.status = status;
          error.retryAfterMs = retryAfterMs;
          throw error;
        }
        const delay =
          retryAfterMs !== undefined && retryAfterMs > 0
            ? retryAfterMs
            : backoffDelay(policy, retriesUsed, config.random);
        report({ status, retryInMs: delay });
        discard(response);
        retriesUsed += 1;
        await config.sleep(delay, signal);
        continue;
      }

      report({ status });
      return response;
    }
  };
}
