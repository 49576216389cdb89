/**
 * Rate budgets: the one text form of a limit, the rolling windows every budget shares, the
 * in-process limiter as a `RateBudget` (several windows, a 429's pause), and a budget of the
 * caller's own plugged in through `RunOptions.rateLimiter`, fed by a real `CertnClient`.
 */
import { describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/index.ts";
import {
  CENTRIC_RATE_LIMITS,
  createRateLimiter,
  defaultRateLimits,
  PARTNER_RATE_LIMITS,
  parseRateLimitText,
  parseRunInputs,
  type RateBudget,
  RateLimitWaitAborted,
  RateWindows,
  runCollection,
} from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, FakeClock, json } from "./helpers.ts";

describe("parseRateLimitText", () => {
  it("reads comma-separated <count>/<window> with ms, s, m, h or d, and the older N/MS form", () => {
    expect(parseRateLimitText("240/60s,14400/1d", "RUNNER_RATE_LIMIT")).toEqual([
      { requests: 240, perMs: 60_000 },
      { requests: 14_400, perMs: 86_400_000 },
    ]);
    expect(parseRateLimitText("240/60000", "--rate-limit")).toEqual([{ requests: 240, perMs: 60_000 }]);
    expect(parseRateLimitText(" 5 / 250ms , 10/1M, 3/2h ", "x")).toEqual([
      { requests: 5, perMs: 250 },
      { requests: 10, perMs: 60_000 },
      { requests: 3, perMs: 7_200_000 },
    ]);
  });

  it.each([
    [
      "fast",
      'RUNNER_RATE_LIMIT must be comma-separated <count>/<window> with the window in ms, s, m, h or d (for example 240/60s,14400/1d), got "fast"',
    ],
    ["240/60s,", 'got "240/60s,"'],
    ["240/1w", 'got "240/1w"'],
    ["-1/60s", 'got "-1/60s"'],
    ["0/60s", 'RUNNER_RATE_LIMIT: the count of "0/60s" must be a whole number from 1 to 100000 (got 0)'],
    ["100001/1d", "must be a whole number from 1 to 100000 (got 100001)"],
    ["5/0s", 'RUNNER_RATE_LIMIT: the window of "5/0s" must be from 1ms to 1d (got 0 ms)'],
    ["5/25h", 'the window of "5/25h" must be from 1ms to 1d (got 90000000 ms)'],
    [
      Array.from({ length: 9 }, () => "1/1s").join(","),
      "RUNNER_RATE_LIMIT has 9 windows; at most 8 are allowed",
    ],
    ["1/1s,".repeat(100), "got 500 characters"],
  ])("refuses %j, naming the setting and the value", (text, message) => {
    expect(() => parseRateLimitText(text, "RUNNER_RATE_LIMIT")).toThrow(message);
  });
});

describe("RateWindows", () => {
  it("grants while every window has room, then says how long until the fullest frees a slot", () => {
    const windows = new RateWindows();
    const limits = [
      { requests: 2, perMs: 1_000 },
      { requests: 3, perMs: 10_000 },
    ];
    expect(windows.take(limits, 0)).toMatchObject({ granted: true });
    expect(windows.take(limits, 100)).toMatchObject({ granted: true });
    expect(windows.take(limits, 200)).toEqual({ granted: false, waitMs: 800 });
    expect(windows.take(limits, 1_000)).toMatchObject({ granted: true });
    // The second window is full now: three in the last 10 s, the first leaves at 10 000.
    expect(windows.take(limits, 2_000)).toEqual({ granted: false, waitMs: 8_000 });
    expect(windows.take(limits, 10_000)).toMatchObject({ granted: true });
  });

  it("re-stamps a settled slot, keeps a pause, and restores from stored slots", () => {
    const windows = new RateWindows();
    const limits = [{ requests: 1, perMs: 1_000 }];
    const taken = windows.take(limits, 0);
    if (!taken.granted) throw new Error("the first slot is granted");
    expect(windows.settle(taken.slot.id, 400)).toEqual({ id: taken.slot.id, at: 400 });
    expect(windows.take(limits, 1_000)).toEqual({ granted: false, waitMs: 400 });
    windows.pause(5_000);
    windows.pause(3_000);
    expect(windows.pausedUntil).toBe(5_000);
    expect(windows.take(limits, 2_000)).toEqual({ granted: false, waitMs: 3_000 });
    const restored = new RateWindows([{ id: 7, at: 400 }], 5_000);
    expect(restored.take(limits, 1_000)).toEqual({ granted: false, waitMs: 4_000 });
    const next = restored.take(limits, 5_000);
    expect(next).toEqual({ granted: true, slot: { id: 8, at: 5_000 } });
  });
});

describe("the in-process limiter as a RateBudget", () => {
  it("defaults to Certn's minute and day windows", () => {
    expect(PARTNER_RATE_LIMITS).toEqual([
      { requests: 240, perMs: 60_000 },
      { requests: 14_400, perMs: 86_400_000 },
    ]);
    expect(CENTRIC_RATE_LIMITS).toEqual([
      { requests: 60, perMs: 60_000 },
      { requests: 7_220, perMs: 86_400_000 },
    ]);
    expect(defaultRateLimits("https://api.ca.certn.co", [])).toBe(CENTRIC_RATE_LIMITS);
    expect(defaultRateLimits("https://demo-api.certn.co", ["/api/v1/hr/applicants/"])).toBe(
      PARTNER_RATE_LIMITS,
    );
  });

  it("honours every window at once", async () => {
    const clock = new FakeClock();
    const budget = createRateLimiter(parseRateLimitText("2/1s,3/10s", "limit"), clock);
    const start = clock.time;
    const at: number[] = [];
    for (let index = 0; index < 5; index++) {
      await budget.acquire();
      at.push(clock.time - start);
    }
    expect(at).toEqual([0, 0, 1_000, 10_000, 10_000]);
  });

  it("pauses every later acquisition for a reported 429's Retry-After", async () => {
    const clock = new FakeClock();
    const budget = createRateLimiter({ requests: 100, perMs: 1_000 }, clock);
    const start = clock.time;
    await budget.acquire();
    budget.report429(2_500);
    budget.report429(0);
    await budget.acquire();
    expect(clock.time - start).toBe(2_500);
  });

  it("throws RateLimitWaitAborted when the wait is aborted", async () => {
    const clock = new FakeClock();
    const budget = createRateLimiter({ requests: 1, perMs: 60_000 }, clock);
    await budget.acquire();
    const stop = new AbortController();
    const waiting = budget.acquire(stop.signal);
    stop.abort();
    await expect(waiting).rejects.toBeInstanceOf(RateLimitWaitAborted);
  });

  it("one budget shared by two runs keeps both within a server's limit", async () => {
    const clock = new FakeClock();
    const windowMs = 10_000;
    const seen: number[] = [];
    let tooMany = 0;
    const transport = createTestTransport(() => {
      const now = clock.now();
      const recent = seen.filter((stamp) => stamp > now - windowMs);
      seen.push(now);
      if (recent.length >= 4) {
        tooMany += 1;
        return json({}, 429, { "retry-after": "10" });
      }
      return json({});
    });
    const items = Array.from({ length: 6 }, (_, index) => ({
      name: `r${index}`,
      request: { method: "GET" as const, url: `/r/${index}` },
    }));
    const budget = createRateLimiter({ requests: 4, perMs: windowMs }, clock);
    const options = { client: transport, rateLimiter: budget, now: clock.now, sleep: clock.sleep };
    const results = await Promise.all([
      runCollection(collectionOf(items), options),
      runCollection(collectionOf(items), options),
    ]);
    expect(tooMany).toBe(0);
    expect(results.map((result) => result.summary.passed)).toEqual([6, 6]);
    // Twelve requests, four per window: the last ones wait two windows.
    expect(Math.max(...seen) - Math.min(...seen)).toBeGreaterThanOrEqual(2 * windowMs);
  });
});

describe("RunOptions.rateLimiter", () => {
  it("takes a slot per attempt, releases it when the attempt ends, and hears of each 429 with its Retry-After", async () => {
    const events: string[] = [];
    const budget: RateBudget = {
      acquire: async () => {
        events.push("acquire");
        return () => events.push("release");
      },
      report429: (retryAfterMs) => events.push(`429 ${retryAfterMs}`),
    };
    let calls = 0;
    const client = createCertnClient({
      baseUrl: "https://demo-api.certn.co",
      apiKey: "test-api-key-0123456789",
      fetch: async () => {
        calls += 1;
        return calls === 1
          ? new Response(JSON.stringify({ detail: "throttled" }), {
              status: 429,
              headers: { "retry-after": "0", "content-type": "application/json" },
            })
          : Response.json({ ok: true });
      },
    });
    const result = await runCollection(
      collectionOf([{ name: "one", request: { method: "GET", url: "/api/v1/hr/applicants/" } }]),
      // The limit is the budget's: a run limit of one a day would otherwise stall the retry.
      { client, rateLimiter: budget, rateLimit: { requests: 1, perMs: 86_400_000 } },
    );
    expect(result.summary).toMatchObject({ passed: 1, requests: 2 });
    expect(events).toEqual(["acquire", "release", "429 0", "acquire", "release"]);
  });

  it("refuses a rateLimiter without acquire and report429, as a programmer error", async () => {
    const transport = createTestTransport(() => json({}));
    const collection = collectionOf([{ name: "one", request: { method: "GET", url: "/x" } }]);
    const broken = { acquire: async () => () => {} } as unknown as RateBudget;
    await expect(runCollection(collection, { client: transport, rateLimiter: broken })).rejects.toThrow(
      "runCollection: rateLimiter must have acquire(signal) and report429(retryAfterMs) functions",
    );
    expect(transport.sent).toHaveLength(0);
  });

  it("a budget that throws on a 429 does not break the run", async () => {
    const budget: RateBudget = {
      acquire: async () => () => {},
      report429: () => {
        throw new Error("budget down");
      },
    };
    const transport = createTestTransport(() => json({ detail: "throttled" }, 429));
    const result = await runCollection(
      collectionOf([
        { name: "one", request: { method: "GET", url: "/x" }, assert: [{ that: "status", equals: 429 }] },
      ]),
      { client: transport, rateLimiter: budget },
    );
    expect(result.summary).toMatchObject({ passed: 1, errored: 0 });
  });
});

describe("rateLimit as a run input", () => {
  it("accepts one window, several, or false, and names a bad one", () => {
    expect(
      parseRunInputs({
        rateLimit: [
          { requests: 2, perMs: 1000 },
          { requests: 9, perMs: 60_000 },
        ],
      }),
    ).toEqual({
      ok: true,
      inputs: {
        rateLimit: [
          { requests: 2, perMs: 1000 },
          { requests: 9, perMs: 60_000 },
        ],
      },
    });
    expect(parseRunInputs({ rateLimit: false })).toMatchObject({ ok: true });
    const bad = parseRunInputs({
      rateLimit: [
        { requests: 2, perMs: 1000 },
        { requests: 0, perMs: 1000 },
      ],
    });
    expect(bad).toEqual({
      ok: false,
      issues: [
        { path: "/rateLimit/1/requests", message: expect.stringContaining("rateLimit.requests must be") },
      ],
    });
    const empty = parseRunInputs({ rateLimit: [] });
    expect(empty).toMatchObject({ ok: false, issues: [{ path: "/rateLimit" }] });
  });
});
