/**
 * Abuse limits and input checks: body size (with and without Content-Length), malformed and
 * wrongly typed bodies, the run deadline and upstream concurrency (the subrequest budget has its
 * own file, budget.test.ts).
 */
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, MAX_DRAIN_BYTES } from "../../../src/worker/body.ts";
import { limitFetch } from "../../../src/worker/limit-fetch.ts";
import {
  CALLER_SECRET,
  callerToken,
  captureConsoleForFile,
  createHarness,
  type ErrorShape,
  jsonOf,
  SMOKE_ITEMS,
  type SummaryShape,
} from "./harness.ts";

const leaks: string[] = [CALLER_SECRET];
captureConsoleForFile(leaks);

/** A stream of `total` bytes in 64 KB chunks, counting what was pulled. */
function lazyBody(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const size = Math.min(chunk.byteLength, total - sent);
      sent += size;
      controller.enqueue(chunk.slice(0, size));
    },
  });
  return { stream, pulled: () => sent };
}

describe("body size", () => {
  const h = createHarness();
  // Past the limit, up to MAX_DRAIN_BYTES more are read and thrown away (body-limit.test.ts);
  // a body longer than both is never read to its end.
  const pastDrain = 2 * MAX_BODY_BYTES + MAX_DRAIN_BYTES;

  it("refuses a body over 1 MB announced by Content-Length with 413, before reading it", async () => {
    const body = lazyBody(3 * MAX_BODY_BYTES);
    const response = await h.app.fetch(
      new Request("https://worker.test/runs", {
        method: "POST",
        body: body.stream,
        headers: {
          authorization: `Bearer ${await callerToken()}`,
          "content-type": "application/json",
          "content-length": String(3 * MAX_BODY_BYTES),
        },
        duplex: "half",
      } as RequestInit),
      h.env,
    );
    expect(response.status).toBe(413);
    expect((await jsonOf<ErrorShape>(response)).error.code).toBe("BODY_TOO_LARGE");
  });

  it("refuses a streamed body over 1 MB without Content-Length, without reading all of it", async () => {
    const total = pastDrain;
    const body = lazyBody(total);
    const request = new Request("https://worker.test/collections/too-big", {
      method: "PUT",
      body: body.stream,
      headers: { authorization: `Bearer ${await callerToken()}`, "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const response = await h.app.fetch(request, h.env);
    expect(response.status).toBe(413);
    expect(body.pulled()).toBeLessThan(total);
    expect((await h.call("/collections/too-big")).status).toBe(404);
  });

  it("does not take a short Content-Length's word for a longer body", async () => {
    const body = lazyBody(pastDrain);
    let status: number;
    try {
      const response = await h.app.fetch(
        new Request("https://worker.test/collections/liar", {
          method: "PUT",
          body: body.stream,
          headers: {
            authorization: `Bearer ${await callerToken()}`,
            "content-type": "application/json",
            "content-length": "10",
          },
          duplex: "half",
        } as RequestInit),
        h.env,
      );
      status = response.status;
    } catch {
      // The runtime itself may refuse a body longer than its Content-Length.
      status = 0;
    }
    expect([0, 400, 413]).toContain(status);
    expect(body.pulled()).toBeLessThan(pastDrain);
    expect((await h.call("/collections/liar")).status).toBe(404);
  });

  it("accepts a body of exactly 1 MB (whitespace-padded JSON)", async () => {
    const json = JSON.stringify({ collection: { formatVersion: 1, name: "pad", items: [] }, dryRun: true });
    const padded = json + " ".repeat(MAX_BODY_BYTES - json.length);
    const response = await h.call("/runs", {
      method: "POST",
      body: padded,
      headers: { "content-type": "application/json" },
    });
    // Parsed (the collection is then refused for having no items), not refused for size.
    expect(response.status).toBe(400);
    expect((await jsonOf<ErrorShape>(response)).error.code).toBe("INVALID_COLLECTION");
  });
});

describe("malformed and wrongly typed bodies", () => {
  const h = createHarness();

  it("answers 400 INVALID_JSON for malformed JSON, without quoting the body", async () => {
    const secretish = `tok-${crypto.randomUUID()}`;
    leaks.push(secretish);
    const response = await h.call("/runs", {
      method: "POST",
      body: `{"secrets": {"a": "${secretish}"}, oops}`,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe("INVALID_JSON");
    expect(text).not.toContain(secretish);
  });

  it("answers 400 for an empty body where one is required, and for bytes that are not UTF-8", async () => {
    const empty = await h.call("/runs", {
      method: "POST",
      body: "",
      headers: { "content-type": "application/json" },
    });
    expect(empty.status).toBe(400);
    const binary = await h.call("/runs", {
      method: "POST",
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      headers: { "content-type": "application/json" },
    });
    expect(binary.status).toBe(400);
    expect((await jsonOf<ErrorShape>(binary)).error.message).toContain("UTF-8");
  });

  it("treats a saved run's body as optional", async () => {
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST", json: undefined });
    expect(response.status).toBe(200);
  });

  it("names every wrongly typed run input with its JSON Pointer", async () => {
    const sentBefore = h.upstream.length;
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: {
        variables: [],
        secrets: "x",
        data: [1, { ok: true }],
        iterations: "3",
        concurrency: 0,
        bail: "yes",
        includeBodies: 1,
        dryRun: null,
        iteration: 2,
      },
    });
    expect(response.status).toBe(400);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.error.code).toBe("INVALID_INPUT");
    const paths = body.issues?.map((issue) => issue.path).sort();
    expect(paths).toEqual(
      [
        "/bail",
        "/concurrency",
        "/data/0",
        "/dryRun",
        "/includeBodies",
        "/iteration",
        "/iterations",
        "/secrets",
        "/variables",
      ].sort(),
    );
    expect(body.issues?.find((issue) => issue.path === "/iteration")?.message).toContain("unknown field");
    expect(h.upstream.length).toBe(sentBefore);
  });

  it("refuses a body that is not an object, and too many iterations", async () => {
    const array = await h.call("/collections/certn-smoke/runs", { method: "POST", json: [1, 2] });
    expect(array.status).toBe(400);
    const many = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: { iterations: 1000, data: Array.from({ length: 20 }, () => ({})) },
    });
    expect(many.status).toBe(400);
    expect((await jsonOf<ErrorShape>(many)).issues?.[0]?.message).toContain("at most");
  });
});

describe("deadline", () => {
  it("passes RUNNER_DEADLINE_MS to the run: a hanging request is errored, the rest skipped, answer 200", async () => {
    const h = createHarness({ env: { RUNNER_DEADLINE_MS: "200" } });
    h.sim.inject("GET /api/v1/superteams/", [{ hang: true }]);
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(response.status).toBe(200);
    const result = await jsonOf<{
      summary: SummaryShape;
      items: { status: string; error: { code: string } | null }[];
    }>(response);
    expect(result.items[0]?.status).toBe("errored");
    expect(result.summary.passed).toBe(0);
    expect(result.summary.errored + result.summary.skipped).toBe(SMOKE_ITEMS);
  });
});

describe("upstream concurrency", () => {
  it("never has more than 6 fetches waiting at once", async () => {
    let active = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const inner = (async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => releases.push(resolve));
      active--;
      return new Response("ok");
    }) as unknown as typeof fetch;
    const limited = limitFetch(inner);
    const calls = Array.from({ length: 20 }, () => limited("https://demo-api.certn.co/"));
    let settled = 0;
    while (settled < 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(active).toBeLessThanOrEqual(6);
      const release = releases.shift();
      if (release !== undefined) {
        release();
        settled++;
      }
    }
    await Promise.all(calls);
    expect(peak).toBe(6);
  });

  it("wires the limiter into each request's client", async () => {
    let active = 0;
    let peak = 0;
    const sim = createHarness().sim;
    const h2 = createHarness({
      sim,
      env: { RUNNER_SUBREQUEST_BUDGET: "1000" },
      app: {
        maxUpstreamConcurrency: 2,
        certnFetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
          active++;
          peak = Math.max(peak, active);
          try {
            await new Promise((resolve) => setTimeout(resolve, 5));
            return await sim.fetch(input, init);
          } finally {
            active--;
          }
        }) as typeof fetch,
      },
    });
    const response = await h2.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: { iterations: 4, concurrency: 4 },
    });
    expect(response.status).toBe(200);
    expect((await jsonOf<{ summary: SummaryShape }>(response)).summary.passed).toBe(4 * SMOKE_ITEMS);
    expect(peak).toBe(2);
  });
});
