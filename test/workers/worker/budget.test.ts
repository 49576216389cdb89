/**
 * The subrequest budget: the worst-case arithmetic in the 422 (retries, a replay after a 401 per
 * send, poll attempts with their retries, token requests, KV operations), and its honesty: runs
 * against the simulator with injected faults never send more upstream requests than estimated.
 */
import { describe, expect, it } from "vitest";
import type { Collection } from "../../../src/collection/model.ts";
import { estimateWorkerRun } from "../../../src/worker/budget.ts";
import {
  CALLER_SECRET,
  captureConsoleForFile,
  createHarness,
  type ErrorShape,
  type Harness,
  jsonOf,
  type SummaryShape,
} from "./harness.ts";

captureConsoleForFile([CALLER_SECRET]);

const PATHS = ["superteams", "teams", "users"];

/** `count` read-only requests (cycling through three list routes) with the given retries. */
function reads(count: number, retries?: number): Collection {
  return {
    formatVersion: 1,
    name: `${count} reads`,
    items: Array.from({ length: count }, (_, index) => ({
      name: `read ${index + 1}`,
      request: { method: "GET" as const, url: `/api/v1/${PATHS[index % PATHS.length]}/` },
      ...(retries === undefined ? {} : { retry: { retries } }),
      assert: [{ that: "status", equals: 200 }],
    })),
  };
}

/** One item polling the users list until a status it never gets. */
function polled(maxAttempts: number, retries?: number): Collection {
  return {
    formatVersion: 1,
    name: "Poll",
    items: [
      {
        name: "wait",
        request: { method: "GET", url: "/api/v1/users/" },
        ...(retries === undefined ? {} : { retry: { retries } }),
        poll: { until: [{ that: "status", equals: 200 }], maxAttempts, intervalMs: 0 },
      },
    ],
  };
}

/** Every request the Worker sent upstream: API requests and token requests. */
function upstreamCounts(h: Harness): { api: number; token: number } {
  const token = h.upstream.filter((url) => new URL(url).pathname === "/token/").length;
  return { api: h.upstream.length - token, token };
}

describe("the 422 and its arithmetic", () => {
  it("counts retries, a replay after a 401 per send, token requests with their retries and KV operations", async () => {
    const h = createHarness();
    const three = reads(3);
    // (3 requests + 0 poll attempts) × (1 + 2 retries) + 3 replays = 12 per iteration; × 3 = 36,
    // + 6 token requests (2 × (1 + 2 retries)) = 42, + 4 KV operations = 46: one over 45.
    const response = await h.call("/runs", { method: "POST", json: { collection: three, iterations: 3 } });
    expect(response.status).toBe(422);
    const body = await jsonOf<ErrorShape>(response);
    expect(body.error.code).toBe("SUBREQUEST_BUDGET_EXCEEDED");
    expect(body.error.message).toContain("46 upstream requests, over the budget of 45");
    expect(body.error.message).toContain(
      "(3 requests + 0 poll attempts) × (1 + 2 retries) + 3 replays after a 401 = 12 per iteration",
    );
    expect(body.error.message).toContain("× 3 iterations = 36");
    expect(body.error.message).toContain("+ 6 token requests (2 × (1 + 2 retries)) = 42");
    expect(body.error.message).toContain("+ 4 KV operations = 46");
    expect(h.upstream).toEqual([]);

    const fits = await h.call("/runs", { method: "POST", json: { collection: three, iterations: 2 } });
    expect(fits.status).toBe(200);
    expect((await jsonOf<{ summary: SummaryShape }>(fits)).summary.passed).toBe(6);
  });

  it("counts data rows, each poll attempt with its retries, and reading a stored collection", async () => {
    const h = createHarness();
    const rows = await h.call("/runs", {
      method: "POST",
      json: { collection: reads(3), data: [{}, {}, {}] },
    });
    expect(rows.status).toBe(422);
    expect((await jsonOf<ErrorShape>(rows)).error.message).toContain("× 3 iterations = 36");

    // 14 poll attempts × (1 + 2 retries) + 14 replays = 56: the case that was estimated at 22.
    const poll = await h.call("/runs", { method: "POST", json: { collection: polled(14) } });
    expect(poll.status).toBe(422);
    expect((await jsonOf<ErrorShape>(poll)).error.message).toContain(
      "(1 requests + 13 poll attempts) × (1 + 2 retries) + 14 replays after a 401 = 56 per iteration",
    );

    const id = `budget-${crypto.randomUUID().slice(0, 8)}`;
    expect((await h.call(`/collections/${id}`, { method: "PUT", json: reads(3) })).status).toBe(201);
    const stored = await h.call(`/collections/${id}/runs`, { method: "POST", json: { iterations: 3 } });
    expect(stored.status).toBe(422);
    expect((await jsonOf<ErrorShape>(stored)).error.message).toContain("+ 5 KV operations = 47");
  });

  it("counts neither replays nor token requests with an API key", async () => {
    const h = createHarness({
      env: { CERTN_CLIENT_ID: undefined, CERTN_CLIENT_SECRET: undefined, CERTN_API_KEY: "key-123" },
    });
    const response = await h.call("/runs", { method: "POST", json: { collection: reads(3), iterations: 6 } });
    expect(response.status).toBe(422);
    const message = (await jsonOf<ErrorShape>(response)).error.message;
    expect(message).toContain("(3 requests + 0 poll attempts) × (1 + 2 retries) = 9 per iteration");
    expect(message).toContain("× 6 iterations = 54, + 0 token requests = 54, + 0 KV operations = 54");
  });

  it("follows RUNNER_SUBREQUEST_BUDGET, and refuses a malformed one as a configuration error", async () => {
    const raised = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "100" } });
    const response = await raised.call("/runs", {
      method: "POST",
      json: { collection: reads(3), iterations: 5 },
    });
    expect(response.status).toBe(200);
    const broken = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "lots" } });
    const refused = await broken.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(refused.status).toBe(503);
    expect((await jsonOf<ErrorShape>(refused)).error.message).toContain("RUNNER_SUBREQUEST_BUDGET");
  });

  it("does not apply to a dry run, which sends nothing", async () => {
    const h = createHarness();
    const response = await h.call("/runs", {
      method: "POST",
      json: { collection: reads(3), iterations: 50, dryRun: true },
    });
    expect(response.status).toBe(200);
    expect(h.upstream).toEqual([]);
  });
});

describe("the estimate is an upper bound of what is sent", () => {
  /** Runs `collection` with a budget that admits it and checks the requests sent against the estimate. */
  async function expectWithinEstimate(
    h: Harness,
    collection: Collection,
    inputs: { iterations?: number; concurrency?: number } = {},
  ): Promise<{ api: number; token: number; total: number }> {
    const estimate = estimateWorkerRun(collection, inputs, {
      tokenCredentials: true,
      storedCollection: false,
    });
    const response = await h.call("/runs", { method: "POST", json: { collection, ...inputs } });
    expect(response.status, await response.clone().text()).toBe(200);
    await response.text();
    const sent = upstreamCounts(h);
    expect(sent.api).toBeLessThanOrEqual(estimate.apiRequests);
    expect(sent.token).toBeLessThanOrEqual(estimate.tokenRequests);
    expect(sent.api + sent.token).toBeLessThanOrEqual(estimate.total);
    return { ...sent, total: estimate.total };
  }

  /** Every API request (not the token endpoint) gets `fault`, `times` times. */
  function failApi(h: Harness, times: number, fault: { status: number }): void {
    h.sim.inject(
      (request) => new URL(request.url).pathname !== "/token/",
      Array.from({ length: times }, () => fault),
    );
  }

  it("17 items answered 401 with retries: 0: each replayed at most once, two token requests at most", async () => {
    const h = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "45" } });
    failApi(h, 1000, { status: 401 });
    // 17 × (1 + 0 + 1) = 34, + 6 token requests + 4 KV operations = 44: within the default 45.
    const sent = await expectWithinEstimate(h, reads(17, 0));
    // The 401s really reached the Worker (and a fresh token was asked for).
    expect(sent.api).toBeGreaterThan(0);
    expect(sent.token).toBeGreaterThan(1);
  });

  it("one polled item answered 500 with maxAttempts 6: attempts × (1 + retries) at most", async () => {
    const h = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "100" } });
    failApi(h, 1000, { status: 500 });
    const sent = await expectWithinEstimate(h, polled(6));
    // Every poll attempt used its two retries: the estimate without them would have been too low.
    expect(sent.api).toBe(6 * 3);
  });

  it("401s and 500s mixed, three iterations at once", async () => {
    const h = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "200" } });
    h.sim.inject(
      (request) => new URL(request.url).pathname !== "/token/",
      Array.from({ length: 60 }, (_, index) => ({ status: index % 3 === 0 ? 401 : 503 })),
    );
    await expectWithinEstimate(h, reads(4, 1), { iterations: 3, concurrency: 3 });
  });

  it("a token endpoint that fails after a 401 adds no token requests beyond the estimate", async () => {
    const h = createHarness({ env: { RUNNER_SUBREQUEST_BUDGET: "100" } });
    // The first token is issued, then the API refuses it and the token endpoint fails from then on.
    failApi(h, 1000, { status: 401 });
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    await response.text();
    h.sim.inject(
      "POST /token/",
      Array.from({ length: 1000 }, () => ({ status: 500 })),
    );
    const before = upstreamCounts(h);
    const collection = reads(5);
    const estimate = estimateWorkerRun(collection, {}, { tokenCredentials: true, storedCollection: false });
    const run = await h.call("/runs", { method: "POST", json: { collection } });
    await run.text();
    const after = upstreamCounts(h);
    expect(after.token - before.token).toBeLessThanOrEqual(estimate.tokenRequests);
    expect(after.api - before.api + after.token - before.token).toBeLessThanOrEqual(estimate.total);
  });
});
