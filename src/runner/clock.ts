/** The run's sense of time, injectable so tests never wait in real time. */

/** Current time and an abortable sleep. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time: `Date.now` and `setTimeout`. */
export function realSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Builds the run's clock from the optional `now` and `sleep` of the run options. */
export function createClock(
  now?: () => number,
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>,
): Clock {
  return { now: now ?? (() => Date.now()), sleep: sleep ?? realSleep };
}
