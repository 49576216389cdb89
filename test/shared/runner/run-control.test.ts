import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../../src/results/result.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { RateLimiter } from "../../../src/runner/rate-limiter.ts";
import { collectionOf, createTestTransport, FakeClock, json } from "./helpers.ts";

const twoSteps = collectionOf([
  { name: "first", request: { method: "GET", url: "/step/1/{{user}}" } },
  { name: "second", request: { method: "GET", url: "/step/2/{{user}}" } },
]);

/** A transport whose responses take `delayMs(index)` on `clock`, counting the most requests in flight at once. */
function concurrencyProbe(clock: FakeClock, delayMs: (index: number) => number) {
  let inFlight = 0;
  let most = 0;
  const transport = createTestTransport(async (_request, info) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await clock.sleep(delayMs(info.index), info.signal);
    inFlight -= 1;
    return json({ ok: true });
  });
  return { transport, maxInFlight: () => most };
}

describe("runCollection: iterations, concurrency and stopping", () => {
  it("runs one iteration per data row, items in order, never more than `concurrency` at once", async () => {
    const clock = new FakeClock();
    const { transport, maxInFlight } = concurrencyProbe(clock, (index) => 100 + ((index * 37) % 50));
    const data = ["ann", "bob", "cy", "dee", "eve"].map((user) => ({ user }));
    const events: RunEvent[] = [];
    const result = await runCollection(twoSteps, {
      client: transport,
      data,
      iterations: 2,
      concurrency: 3,
      now: clock.now,
      sleep: clock.sleep,
      onEvent: (event) => events.push(event),
    });
    expect(result.summary).toMatchObject({ items: 20, passed: 20, requests: 20 });
    expect(maxInFlight()).toBe(3);
    // Results are ordered by iteration, then item.
    expect(result.items.map((item) => `${item.iteration}:${item.name}`).slice(0, 4)).toEqual([
      "0:first",
      "0:second",
      "1:first",
      "1:second",
    ]);
    // Within each iteration the first item's request went out before the second's.
    const users = [...data, ...data].map((row) => row.user);
    users.forEach((user, iteration) => {
      const paths = transport.sent.map((request) => new URL(request.url).pathname);
      const first = paths.indexOf(`/step/1/${user}`);
      const second = paths.indexOf(`/step/2/${user}`);
      expect(first).toBeGreaterThanOrEqual(0);
      expect(second).toBeGreaterThan(first);
      expect(result.items[iteration * 2]?.request?.url).toContain(`/step/1/${user}`);
    });
    // Each iteration's item-start events come in item order.
    for (let iteration = 0; iteration < 10; iteration += 1) {
      const starts = events.filter((event) => event.type === "item-start" && event.iteration === iteration);
      expect(starts.map((event) => (event.type === "item-start" ? event.name : ""))).toEqual([
        "first",
        "second",
      ]);
    }
  });

  it("caps concurrency at 6 connections", async () => {
    const clock = new FakeClock();
    const { transport, maxInFlight } = concurrencyProbe(clock, () => 50);
    await runCollection(twoSteps, {
      client: transport,
      variables: { user: "x" },
      iterations: 20,
      concurrency: 50,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(maxInFlight()).toBe(6);
  });

  it("bails: nothing new starts after a failure, the rest is skipped", async () => {
    const transport = createTestTransport((request) =>
      json({}, new URL(request.url).pathname.startsWith("/step/1/bob") ? 500 : 200),
    );
    const result = await runCollection(twoSteps, {
      client: transport,
      data: [{ user: "ann" }, { user: "bob" }, { user: "cy" }],
      bail: true,
    });
    expect(result.items.map((item) => item.status)).toEqual([
      "passed",
      "passed",
      "failed",
      "skipped",
      "skipped",
      "skipped",
    ]);
    expect(result.items[3]?.skipReason).toMatch(/bail/);
    expect(transport.sent).toHaveLength(3);
    expect(result.summary).toMatchObject({ passed: 2, failed: 1, skipped: 3, requests: 3 });
  });

  it("takes bail from the collection's options", async () => {
    const transport = createTestTransport(() => json({}, 503));
    const result = await runCollection(
      { ...twoSteps, options: { bail: true } },
      { client: transport, variables: { user: "u" } },
    );
    expect(result.items.map((item) => item.status)).toEqual(["failed", "skipped"]);
  });

  it("stops at the deadline: the attempt in flight is errored, the rest skipped", async () => {
    const clock = new FakeClock();
    const transport = createTestTransport(async (request, info) => {
      // The second step hangs until aborted.
      if (new URL(request.url).pathname.startsWith("/step/2")) await clock.sleep(3_600_000, info.signal);
      else await clock.sleep(100, info.signal);
      return json({});
    });
    const result = await runCollection(twoSteps, {
      client: transport,
      data: [{ user: "ann" }, { user: "bob" }],
      deadlineMs: 5_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items.map((item) => item.status)).toEqual(["passed", "errored", "skipped", "skipped"]);
    expect(result.items[1]?.error?.code).toBe("CERTN_DEADLINE");
    expect(result.items[2]?.skipReason).toMatch(/deadline/);
    expect(transport.sent).toHaveLength(2);
    // The attempt was given at most the time left before the deadline.
    expect(transport.options[1]?.timeoutMs).toBeLessThanOrEqual(5_000 - 100);
  });

  it("refuses to start an attempt once the deadline passed, and caps Retry-After waits by it", async () => {
    const clock = new FakeClock();
    const transport = createTestTransport(async (_request, info) => {
      await clock.sleep(3_000, info.signal);
      return json({});
    });
    const result = await runCollection(twoSteps, {
      client: transport,
      variables: { user: "x" },
      deadlineMs: 10_000,
      timeoutMs: 30_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items.map((item) => item.status)).toEqual(["passed", "passed"]);
    expect(transport.options[0]?.timeoutMs).toBe(10_000);
    expect(transport.options[0]?.retry?.maxRetryAfterMs).toBe(10_000);
    expect(transport.options[1]?.timeoutMs).toBe(7_000);
  });

  it("stops when the caller aborts", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const transport = createTestTransport(async (_request, info) => {
      controller.abort();
      await clock.sleep(1000, info.signal);
      return json({});
    });
    const result = await runCollection(twoSteps, {
      client: transport,
      variables: { user: "x" },
      signal: controller.signal,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items.map((item) => [item.status, item.error?.code])).toEqual([
      ["errored", "CERTN_ABORTED"],
      ["skipped", "CERTN_ABORTED"],
    ]);
  });

  it("waits delayMs between requests", async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    const transport = createTestTransport(() => {
      times.push(clock.now());
      return json({});
    });
    await runCollection(twoSteps, {
      client: transport,
      variables: { user: "x" },
      delayMs: 1500,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(1500);
  });
});

describe("rate limiting", () => {
  it("paces 3N requests with a limit of N per window: no 429 from a server enforcing it", async () => {
    const clock = new FakeClock();
    const N = 5;
    const windowMs = 10_000;
    const seen: number[] = [];
    let tooMany = 0;
    // A server that enforces N per rolling window, like the simulator does.
    const transport = createTestTransport(() => {
      const now = clock.now();
      const recent = seen.filter((at) => at > now - windowMs);
      seen.push(now);
      if (recent.length >= N) {
        tooMany += 1;
        return json({ detail: "Request was throttled." }, 429, { "retry-after": "10" });
      }
      return json({});
    });
    const items = Array.from({ length: N }, (_, index) => ({
      name: `r${index}`,
      request: { method: "GET" as const, url: `/r/${index}` },
    }));
    const start = clock.time;
    const result = await runCollection(collectionOf(items), {
      client: transport,
      iterations: 3,
      concurrency: 3,
      rateLimit: { requests: N, perMs: windowMs },
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(tooMany).toBe(0);
    expect(result.summary).toMatchObject({ items: 3 * N, passed: 3 * N, requests: 3 * N });
    expect(clock.time - start).toBeGreaterThanOrEqual(2 * windowMs);
    // Smooth: no window ever holds more than N.
    for (const at of seen)
      expect(seen.filter((other) => other >= at && other < at + windowMs).length).toBeLessThanOrEqual(N);
  });

  it("waits exactly until the oldest request leaves the window", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 2, perMs: 1000 }, clock);
    const start = clock.time;
    await limiter.acquire();
    clock.time += 300;
    await limiter.acquire();
    await limiter.acquire();
    expect(clock.time - start).toBe(1000);
    await limiter.acquire();
    expect(clock.time - start).toBe(1300);
  });

  it("counts the window from the end of an attempt, since the server counted it on arrival", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ requests: 1, perMs: 1000 }, clock);
    const start = clock.time;
    const ended = await limiter.acquire();
    clock.time += 400; // the response took 400 ms: the server saw the request somewhere in between
    ended();
    await limiter.acquire();
    expect(clock.time - start).toBe(1400);
  });

  it("rejects a nonsensical limit", () => {
    expect(() => new RateLimiter({ requests: 0, perMs: 1000 }, new FakeClock())).toThrow(TypeError);
  });
});
