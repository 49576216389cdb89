/**
 * A 429 whose Retry-After is longer than the run honours errors its item, and holds the rate
 * budget no longer than the run would have waited (the longest Retry-After it honours, 60 s by
 * default) nor past the run's deadline: the next item does not stall for the server's full day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createRateLimiter,
  PARTNER_RATE_LIMITS,
  RunnerErrorCode,
  runCollection,
} from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";
import { type LocalApi, startLocalApi } from "./local-api.ts";

const A_DAY_S = 86_400;

let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({
    "/limited-for-a-day": () => ({ status: 429, headers: { "retry-after": String(A_DAY_S) }, body: {} }),
    "/limited-for-30s": () => ({ status: 429, headers: { "retry-after": "30" }, body: {} }),
    "/ok": () => ({ body: { ok: true } }),
  });
});

afterAll(() => api.close());

/** A clock whose sleeps return at once, moving its time on by what they asked for, and are recorded. */
function instantClock() {
  const sleeps: number[] = [];
  let time = Date.now();
  return {
    sleeps,
    now: () => time,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      time += ms;
    },
  };
}

const limitedThenNext = (path: string) =>
  collectionOf([
    { name: "limited", auth: "none", request: { method: "GET", url: path } },
    { name: "next", auth: "none", request: { method: "GET", url: "/ok" } },
  ]);

describe("a Retry-After longer than the run honours", () => {
  it("errors its item, and the next item waits at most the 60 s the run honours, not a day", async () => {
    const clock = instantClock();
    const result = await runCollection(limitedThenNext("/limited-for-a-day"), {
      client: api.client(),
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items.map((item) => [item.status, item.error?.code ?? null])).toEqual([
      ["errored", RunnerErrorCode.RATE_LIMITED],
      ["passed", null],
    ]);
    const waited = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(60_000);
  });

  it("holds a budget shared with other runs no longer than the run's deadline", async () => {
    const clock = instantClock();
    const shared = createRateLimiter(PARTNER_RATE_LIMITS, { now: clock.now, sleep: clock.sleep });
    const limited = collectionOf([
      { name: "limited", auth: "none", request: { method: "GET", url: "/limited-for-30s" } },
    ]);
    const result = await runCollection(limited, {
      client: api.client(),
      rateLimiter: shared,
      deadlineMs: 5_000,
    });
    expect(result.items[0]?.error?.code).toBe(RunnerErrorCode.RATE_LIMITED);
    // Another run's next slot: held until the deadline at most, not the 30 s asked for.
    const release = await shared.acquire();
    release();
    const waited = clock.sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(5_000);
  });
});
