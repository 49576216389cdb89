/**
 * `delayMs` is the pause "between requests" (collection format, Top level): between two requests of
 * one iteration, and between the last request of an iteration and the first of the next one run
 * after it; never before the run's first request.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";
import { type LocalApi, startLocalApi } from "./local-api.ts";

let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({ "/ping": () => ({ body: { ok: true } }) });
});

afterAll(() => api.close());

describe("delayMs", () => {
  it("pauses before every request but the run's first, across iterations too", async () => {
    const sleeps: number[] = [];
    let time = Date.now();
    const ping = (name: string) => ({
      name,
      auth: "none" as const,
      request: { method: "GET" as const, url: "/ping" },
    });
    const result = await runCollection(collectionOf([ping("first"), ping("second")]), {
      client: api.client(),
      iterations: 3,
      delayMs: 500,
      rateLimit: false,
      now: () => time,
      sleep: async (ms) => {
        sleeps.push(ms);
        time += ms;
      },
    });
    expect(result.summary).toMatchObject({ passed: 6, requests: 6 });
    // Six requests one after the other: five pauses.
    expect(sleeps).toEqual([500, 500, 500, 500, 500]);
  });
});
