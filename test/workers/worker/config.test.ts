/**
 * The Certn origin setting: one rule with the client (`parseBaseUrl` in src/core/origin.ts), so a
 * value the client would refuse is a 503 CONFIG_ERROR before the run, never a 500 during it.
 */
import { describe, expect, it } from "vitest";
import { CALLER_SECRET, captureConsoleForFile, createHarness, type ErrorShape, jsonOf } from "./harness.ts";

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
