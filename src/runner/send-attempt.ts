/**
 * Sends one request of an item through the transport (which owns retries, credentials and its own
 * egress check), with the run's rate limiter, deadline and attempt counting hooked in, and reads
 * the body under the 5 MB cap.
 */
import type { ResponseView } from "../assert/response-view.ts";
import type { RequestItem } from "../collection/model.ts";
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS } from "../core/retry-policy.ts";
import type { RetryPolicy, SendOptions } from "../core/transport-types.ts";
import type { BuiltRequest } from "./build-request.ts";
import type { IterationState, RunContext } from "./context.ts";
import { type RecordedAttempt, recordResponse, replayResponse } from "./durable-steps.ts";
import { ItemFailure, RunnerErrorCode, toItemError } from "./errors.ts";
import { RateLimitWaitAborted, reportTooMany } from "./rate-limiter.ts";
import { MAX_BODY_BYTES, readBodyText, viewResponseBody } from "./read-body.ts";

/** Where an item stands, for attempt events and counting. */
export interface AttemptTally {
  name: string;
  path: string[];
  /** Requests sent for the item so far. */
  attempts: number;
}

/**
 * Rethrows what the transport (or its response body) threw. A `CertnClient` wraps network failures
 * in `CERTN_NETWORK` errors itself; another `Transport` may let `fetch`'s own rejection through,
 * and `fetch` rejects with a `TypeError` when the network fails, so only here, at the transport's
 * boundary, is a bare `TypeError` a network failure. Anywhere else it is a bug, and stays one.
 */
function asTransportFailure(error: unknown, signal: AbortSignal): never {
  // After the run's stop, whatever the transport threw is reported as the stop.
  if (error instanceof TypeError && !signal.aborted) {
    throw new ItemFailure(
      RunnerErrorCode.NETWORK,
      `the request failed before a complete response arrived (${error.message})`,
    );
  }
  throw error;
}

function deadlineFailure(message: string): ItemFailure {
  return new ItemFailure(RunnerErrorCode.DEADLINE, message);
}

/** Which poll attempt a send is, for attempt events. */
export type PollAttempt = { attempt: number; maxAttempts: number } | undefined;

/** Counts one attempt the transport made and tells the run's listener about it. */
function noteAttempt(
  context: RunContext,
  state: IterationState,
  tally: AttemptTally,
  poll: PollAttempt,
  attempt: RecordedAttempt,
): void {
  tally.attempts += 1;
  context.countRequest();
  if (!context.listening) return;
  const event: Parameters<RunContext["emit"]>[0] = {
    type: "attempt",
    name: tally.name,
    path: tally.path,
    iteration: state.iteration,
    attempt: tally.attempts,
  };
  if (attempt.status !== undefined) event.status = attempt.status;
  if (attempt.errorCode !== undefined) event.errorCode = attempt.errorCode;
  if (attempt.retryInMs !== undefined) event.retryInMs = attempt.retryInMs;
  if (poll) event.poll = poll;
  context.emit(event);
}

/** Methods whose request may order a paid check: a durable engine never runs their step twice. */
const WRITE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH"]);

/**
 * Sends `built` once as the run's next exchange. In-process it is {@link sendOnce}; in a durable
 * run it is one step named `stepName`, whose recorded output (response or error, and the attempts)
 * is all the rest of the item is worked out from, so a replay gives the same result and sends
 * nothing.
 * @throws as {@link sendOnce}.
 */
export function sendExchange(
  context: RunContext,
  state: IterationState,
  item: RequestItem,
  built: BuiltRequest,
  tally: AttemptTally,
  poll: PollAttempt,
  stepName: string,
): Promise<ResponseView> {
  state.sentAny = true;
  const steps = context.steps;
  // In-process the send's own promise is returned: an async wrapper resolving to it would cost
  // two more promises and two turns of the microtask queue on every request.
  if (steps === undefined) return sendOnce(context, state, item, built, tally, poll);
  const { control } = context;
  return (async () => {
    const recorded = await steps.exchange(stepName, { writes: WRITE_METHODS.has(built.method) }, async () => {
      const attempts: RecordedAttempt[] = [];
      try {
        return recordResponse(await sendOnce(context, state, item, built, tally, poll, attempts), attempts);
      } catch (error) {
        return { ok: false, attempts, error: toItemError(control.stopped ?? error) };
      }
    });
    for (const attempt of recorded.attempts) noteAttempt(context, state, tally, poll, attempt);
    if (control.stopped) throw control.stopped;
    if (!recorded.ok) throw new ItemFailure(recorded.error.code, recorded.error.message);
    return replayResponse(recorded);
  })();
}

/**
 * Sends `built` once (the transport may retry inside) and returns the response as selectors see it.
 * Attempts are counted and announced as they happen, or, given `recorded`, only collected there.
 * @throws the transport's errors, ItemFailure (deadline, response too large) or the run's stop reason.
 */
export async function sendOnce(
  context: RunContext,
  state: IterationState,
  item: RequestItem,
  built: BuiltRequest,
  tally: AttemptTally,
  poll: PollAttempt,
  recorded?: RecordedAttempt[],
): Promise<ResponseView> {
  const { clock, control, limiter } = context;
  const configured = item.timeoutMs ?? context.settings.timeoutMs;
  let timeoutMs = typeof configured === "number" && configured > 0 ? configured : undefined;
  let retry: RetryPolicy | undefined = item.retry;
  const remaining = control.remainingMs();
  if (remaining !== undefined) {
    if (remaining <= 0) throw control.stopped ?? deadlineFailure("the run deadline passed");
    // The attempt must end by the deadline, and no Retry-After may be waited out past it.
    timeoutMs = Math.min(timeoutMs ?? DEFAULT_TIMEOUT_MS, remaining);
    retry = {
      ...retry,
      maxRetryAfterMs: Math.min(retry?.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs, remaining),
    };
  }

  /**
   * How long a 429 may hold the rate budget: as long as the transport waits before its retry, or
   * else the longest `Retry-After` this run honours (a longer one errors the item, which must not
   * stall the next item for the full wait), never past the run's deadline.
   */
  const longestPause = (retryInMs: number | undefined): number => {
    const honoured = Math.max(retry?.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs, retryInMs ?? 0);
    return Math.min(honoured, control.remainingMs() ?? honoured);
  };
  let attemptStarted = clock.now();
  let attemptsInCall = 0;
  let reported = 0;
  let endOfSlot: (() => void) | undefined;
  /** Checks that an attempt may start now (the run's deadline) and marks its start. */
  const startAttempt = (): void => {
    const left = control.remainingMs();
    if (left !== undefined) {
      if (left <= 0) throw control.stopped ?? deadlineFailure("the run deadline passed");
      // A retry only starts when a whole attempt still fits before the deadline.
      if (attemptsInCall > 1 && timeoutMs !== undefined && left < timeoutMs) {
        throw deadlineFailure(
          `no retry: ${left} ms remain before the run deadline, less than the ${timeoutMs} ms attempt timeout`,
        );
      }
    }
    attemptStarted = clock.now();
  };
  const options: SendOptions = {
    signal: control.signal,
    auth: item.auth !== "none",
    maxBodyBytes: MAX_BODY_BYTES,
    // The runner reads every body whole: a GET whose body broke half-way is retried.
    readWhole: true,
    // Synchronous unless the rate limiter has a slot to wait for: the transport awaits only a promise.
    beforeAttempt: () => {
      attemptsInCall += 1;
      if (!limiter) return startAttempt();
      return limiter.acquire(control.signal).then(
        (release) => {
          endOfSlot = release;
          startAttempt();
        },
        (error: unknown) => {
          throw error instanceof RateLimitWaitAborted ? (control.stopped ?? error) : error;
        },
      );
    },
    onAttempt: (info) => {
      endOfSlot?.();
      reported += 1;
      const attempt: RecordedAttempt = {};
      if (info.status !== undefined) attempt.status = info.status;
      if (info.errorCode !== undefined) attempt.errorCode = info.errorCode;
      if (info.retryInMs !== undefined) attempt.retryInMs = info.retryInMs;
      if (recorded && info.retryAfterMs !== undefined) attempt.retryAfterMs = info.retryAfterMs;
      if (recorded) recorded.push(attempt);
      else noteAttempt(context, state, tally, poll, attempt);
      reportTooMany(limiter, info, longestPause(info.retryInMs));
    },
  };
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  if (retry !== undefined) options.retry = retry;

  // A bodiless request is never consumed by sending, so only one with a body (read once per send,
  // and polling sends it again) needs a copy. `as Request`: under Workers types `clone()` returns a
  // Request with Cloudflare metadata generics.
  const request = built.request.body === null ? built.request : (built.request.clone() as Request);
  let response: Response;
  try {
    response = await context.client.send(request, options);
  } catch (error) {
    asTransportFailure(error, control.signal);
  }
  if (reported === 0) {
    // A transport that does not report attempts still sent one request.
    options.onAttempt?.({
      attempt: 1,
      method: built.method,
      url: built.url.origin + built.url.pathname,
      status: response.status,
      durationMs: 0,
    });
  }
  let text: string;
  try {
    const read = readBodyText(response, MAX_BODY_BYTES, control.signal);
    text = typeof read === "string" ? read : await read;
  } catch (error) {
    asTransportFailure(error, control.signal);
  }
  return {
    status: response.status,
    durationMs: Math.max(0, clock.now() - attemptStarted),
    headers: response.headers,
    body: viewResponseBody(text),
  };
}
