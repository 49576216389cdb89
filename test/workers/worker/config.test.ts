/**
 * The Certn origin setting: one rule with the client (`parseBaseUrl` in src/core/origin.ts), so a
 * value the client would refuse is a 503 CONFIG_ERROR before the run, never a 500 during it.
 */
import { describe, expect, it } from "vitest";
import {
  CALLER_SECRET,
  captureConsoleForFile,
  createHarness,
  type ErrorShape,
  jsonOf,
  SMOKE_ITEMS,
} from "./harness.ts";

captureConsoleForFile([CALLER_SECRET]);

describe("CERTN_BASE_URL", () => {
  it.each([
    "http://127.evil.example",
    "http://127.0.0.1.evil.example",
    "http://localhost.evil.example",
    "http://demo-api.certn.co",
    "https://user:pass@demo-api.certn.co",
    "https://demo-api.certn.co/api",
    "not a url",
  ])("refuses %s with 503 CONFIG_ERROR naming the setting, not its value", async (value) => {
    const h = createHarness({ env: { CERTN_BASE_URL: value } });
    for (const json of [{}, { dryRun: true }]) {
      const response = await h.call("/collections/certn-smoke/runs", { method: "POST", json });
      expect(response.status).toBe(503);
      const text = await response.text();
      const body = JSON.parse(text) as ErrorShape;
      expect(body.error.code).toBe("CONFIG_ERROR");
      expect(body.error.message).toContain("CERTN_BASE_URL");
      expect(text).not.toContain(value);
    }
    expect(h.upstream).toEqual([]);
  });

  it.each([
    "http://127.0.0.1:8788",
    "http://localhost:8788",
    "http://[::1]:8788",
    "https://demo-api.certn.co",
  ])("accepts %s", async (value) => {
    const h = createHarness({ env: { CERTN_BASE_URL: value } });
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: { dryRun: true },
    });
    expect(response.status).toBe(200);
    expect((await jsonOf<{ dryRun: boolean }>(response)).dryRun).toBe(true);
  });
});

describe("RUNNER_DEADLINE_MS", () => {
  it("refuses a deadline over the runner's one day with 503, not a 500 when the run starts", async () => {
    const h = createHarness({ env: { RUNNER_DEADLINE_MS: String(2 * 86_400_000) } });
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: { dryRun: true },
    });
    expect(response.status).toBe(503);
    expect((await jsonOf<ErrorShape>(response)).error.message).toContain("RUNNER_DEADLINE_MS");
  });
});

describe("RUNNER_RATE_LIMIT", () => {
  it.each([
    [
      "fast",
      'RUNNER_RATE_LIMIT must be comma-separated <count>/<window> with the window in ms, s, m, h or d (for example 240/60s,14400/1d), got "fast"',
    ],
    [
      "240/60s,0/1d",
      'RUNNER_RATE_LIMIT: the count of "0/1d" must be a whole number from 1 to 100000 (got 0)',
    ],
  ])("refuses %s with 503 CONFIG_ERROR naming the setting and what is wrong", async (value, message) => {
    const h = createHarness({ env: { RUNNER_RATE_LIMIT: value } });
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(response.status).toBe(503);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.error).toMatchObject({ code: "CONFIG_ERROR", message });
    expect(h.upstream).toEqual([]);
  });

  it("paces a run at its windows (in-process without the binding)", async () => {
    const h = createHarness({ env: { RUNNER_RATE_LIMIT: "2/50ms,1000/1d" } });
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(response.status).toBe(200);
    const result = await jsonOf<{ summary: { passed: number }; durationMs: number }>(response);
    expect(result.summary.passed).toBe(SMOKE_ITEMS);
    // Five requests (the smoke collection's), two per 50 ms: the fifth waits two windows.
    expect(result.durationMs).toBeGreaterThanOrEqual(100);
  });
});
