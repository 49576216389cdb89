/**
 * At most N upstream requests at once within one incoming request (Workers allows 6 open
 * connections per invocation). Built per request: no queue is shared between two requests.
 */

/** The Workers limit of simultaneous open connections per invocation. */
export const MAX_UPSTREAM_CONCURRENCY = 6;

/** A `fetch` that never has more than `limit` calls waiting for response headers at once. */
export function limitFetch(inner: typeof fetch, limit = MAX_UPSTREAM_CONCURRENCY): typeof fetch {
  let active = 0;
  const waiting: (() => void)[] = [];
  const acquire = (): Promise<void> => {
    if (active < limit) {
      active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    // The slot passes straight to the next waiter, so `active` never exceeds the limit.
    if (next === undefined) active--;
    else next();
  };
  const limited = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    await acquire();
    try {
      return await inner(input, init);
    } finally {
      release();
    }
  };
  return limited as typeof fetch;
}
