/**
 * A caller who disconnects stops the run, whatever the output format: the request's abort signal
 * becomes the run's, so nothing more is sent upstream once it fires.
 */
import { describe, expect, it } from "vitest";
import { CALLER_SECRET, callerToken, captureConsoleForFile, createHarness } from "./harness.ts";

captureConsoleForFile([CALLER_SECRET]);

/** Polls the users list every 20 ms until a status it never gets: a run that goes on for a while. */
const endless = {
  formatVersion: 1,
  name: "Endless poll",
  items: [
    {
      name: "wait",
      request: { method: "GET", url: "/api/v1/users/" },
      retry: { retries: 0 },
      poll: { until: [{ that: "status", equals: 299 }], maxAttempts: 400, intervalMs: 20 },
    },
    { name: "after", request: { method: "GET", url: "/api/v1/teams/" } },
  ],
};

describe("caller disconnect", () => {
  it.each(["application/json", "application/x-ndjson"])(
    "stops a %s run and sends nothing more",
    async (accept) => {
      const h = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "2000" } });
      const caller = new AbortController();
      const request = new Request("https://worker.test/runs", {
        method: "POST",
        signal: caller.signal,
        headers: {
          authorization: `Bearer ${await callerToken()}`,
          "content-type": "application/json",
          accept,
        },
        body: JSON.stringify({ collection: endless }),
      });
      const answered = h.app.fetch(request, h.env);
      // Let a few poll attempts go out, then hang up.
      while (h.upstream.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
      caller.abort();
      const response = await answered;
      expect(response.status).toBe(200);
      const text = await response.text().catch(() => "");
      const sentAtAbort = h.upstream.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      // At most the attempt in flight when the signal fired; no further poll attempt.
      expect(h.upstream.length).toBeLessThanOrEqual(sentAtAbort + 1);
      expect(h.upstream.length).toBeLessThan(50);
      if (accept === "application/json") {
        const result = JSON.parse(text) as { items: { status: string; error: { code: string } | null }[] };
        expect(result.items[0]?.status).toBe("errored");
        expect(result.items[0]?.error?.code).toBe("CERTN_ABORTED");
        expect(result.items[1]?.status).toBe("skipped");
      }
    },
  );
});
