/**
 * Waiting that an abort signal can cut short. One contract for the client and the runner: a
 * sleep resolves after `ms`, or as soon as `signal` aborts, and never rejects; the caller checks
 * `signal.aborted` afterwards and decides what an abort means where it waits (the transport
 * throws the caller's reason, the runner reports its stop reason).
 */

/**
 * A sleep function: resolves after `ms`, or early as soon as `signal` aborts (never rejects on
 * abort; callers check `signal.aborted`). Injectable, so tests need not wait in real time.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The longest delay one timer takes (2^31 - 1 ms, about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The default {@link Sleep}, on `setTimeout`. Resolves at once for `ms <= 0` or an aborted
 * signal; an abort clears the timer and the listener, so nothing keeps the process alive. A wait
 * longer than one timer can hold (a `Retry-After` of a month, under a raised `maxRetryAfterMs`)
 * is waited in steps, not cut to 1 ms.
 */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted || !(ms > 0)) {
      resolve();
      return;
    }
    let remaining = ms;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const step = (): void => {
      const next = Math.min(remaining, MAX_TIMER_MS);
      remaining -= next;
      timer = setTimeout(remaining > 0 ? step : done, next);
    };
    step();
    signal?.addEventListener("abort", done, { once: true });
  });

/** Resolves or rejects like `promise`, but rejects with the signal's reason as soon as it aborts. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return signal
    ? new Promise<T>((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason);
        if (signal.aborted) onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      })
    : promise;
}
