/**
 * The one transport contract. `CertnClient` implements it; the runner, the Worker and the CLI
 * talk to it and to nothing else, so retries, credentials and the egress check live in one place.
 */

/** Retry policy of one call; every field has a client-wide default. */
export interface RetryPolicy {
  /** How many times a failed attempt may be retried (0 turns retrying off). Default 2. */
  retries?: number;
  /** Base of the exponential backoff, in ms. Default 500. */
  baseDelayMs?: number;
  /** Cap of the computed backoff (not of a server's `Retry-After`), in ms. Default 10,000. */
  maxDelayMs?: number;
  /** Longest `Retry-After` that is honoured by waiting; longer ends the call as rate limited. Default 60,000. */
  maxRetryAfterMs?: number;
  /**
   * Allow retrying POST and PATCH after ambiguous failures (timeouts, resets, 5xx).
   * Off by default, because a Certn POST may order a paid check.
   */
  retryNonIdempotent?: boolean;
}

/** What `onAttempt` is told after each attempt. */
export interface AttemptInfo {
  /** 1-based attempt number within this call (the 401 replay counts as an attempt). */
  attempt: number;
  method: string;
  /** The URL without its query string. */
  url: string;
  /** The response status, when a response arrived. */
  status?: number;
  /** The error code (`CERTN_TIMEOUT`, `CERTN_NETWORK`, ...) when no response arrived. */
  errorCode?: string;
  /** Delay before the next attempt, when there will be one. */
  retryInMs?: number;
  /** The response's `Retry-After`, in ms from now, when it carried a valid one. */
  retryAfterMs?: number;
  /**
   * Milliseconds from sending to the response headers (or the failure); to the end of the body
   * when the attempt read it whole (a body within `maxBodyBytes` that declared its length).
   */
  durationMs: number;
}

/** Options of one `send` call. */
export interface SendOptions {
  retry?: RetryPolicy;
  /** Per-attempt timeout covering headers and body, in ms. */
  timeoutMs?: number;
  /** The caller's own abort signal; an abort is reported as the caller's, not as a timeout. */
  signal?: AbortSignal;
  /** Attach the credential (default true). */
  auth?: boolean;
  /**
   * Called before every attempt, retries and the 401 replay included (the runner's rate limiter);
   * a promise it returns is awaited.
   */
  beforeAttempt?: () => Promise<void> | void;
  /** Told about each attempt's outcome. */
  onAttempt?: (info: AttemptInfo) => void;
  /**
   * Largest response body, in bytes, that the returned response may carry; a larger body makes
   * reading it fail with `CERTN_RESPONSE_TOO_LARGE` without buffering the rest. Default: no cap.
   * A body within the cap that declared its length is read whole under the attempt's deadline,
   * and the response's methods and `body` serve those bytes; hand such a response to a platform
   * that takes the object itself (returned from a Worker's `fetch`, `cache.put`) as
   * `new Response(response.body, response)`.
   */
  maxBodyBytes?: number;
  /**
   * Read the body whole (up to `maxBodyBytes`) before `send` resolves, for a caller that reads it
   * whole anyway: a body that times out or breaks half-way is then retried like a request that got
   * no answer (idempotent requests, within `retry`), instead of failing its reader. A body within
   * `maxBodyBytes` that declared its length is read so already.
   */
  readWhole?: boolean;
}

/**
 * Anything the runner can send requests through: normally a `CertnClient`.
 * `send` never throws on an HTTP status; it throws `CertnError`s for refused egress,
 * timeouts, network failures, an exhausted rate-limit wait and refused credentials.
 */
export interface Transport {
  /** The origin every request must go to, for example `https://demo-api.certn.co`. */
  readonly baseUrl: string;
  send(request: Request, options?: SendOptions): Promise<Response>;
  /**
   * Optional: `text` with every credential this transport holds or has attached replaced by
   * `[secret]`, in every encoded form (raw, percent-encoded, JSON-escaped, Base64): the client
   * secret, `id:secret` and its Basic form, the API key, and each access token obtained so far
   * (refreshed ones included, also those of a `tokenProvider`). The runner passes every text of
   * a result through it, so a server that echoes the `Authorization` header cannot put a
   * credential into a report. The values themselves are never handed out.
   */
  maskSecrets?(text: string): string;
}
