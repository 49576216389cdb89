/**
 * A durable exchange that meets a long rate-limit wait after it has sent (a retry that finds the
 * credential paused by another run's 429; Certn's own 429 with a Retry-After past what a step may
 * wait) sleeps the wait as a Workflow step and sends again, instead of erroring its item (real
 * app, D1, the credential's Durable Object and the CollectionRun Workflow of workerd).
 */
import { describe, expect, it } from "vitest";
import {
  durableHarness,
  liveRuns,
  runView,
  settled,
  startDurable,
  tokenFor,
  untilStatus,
} from "./helpers.ts";
import { useDurableDeps } from "./main.ts";
import { endPause, partnerBudget, partnerCredentials, wakeFromRateLimit } from "./rate-limit-helpers.ts";

const oneRead = {
  formatVersion: 1,
  name: "one read",
  items: [{ name: "Superteams", request: { method: "GET", url: "/api/v1/superteams/" } }],
};

const onePost = {
  formatVersion: 1,
  name: "one invite",
  items: [
    {
      name: "Invite",
      request: { method: "POST", url: "/api/v1/hr/applications/invite/", json: { email: "a@example.com" } },
    },
  ],
};

const urlOf = (input: RequestInfo | URL): string =>
  typeof input === "string" ? input : input instanceof URL ? input.href : input.url;

describe("a durable exchange that meets a long rate-limit wait after sending", () => {
  it("sleeps a retry's wait for the paused credential as a step, then reads and passes", async () => {
    const h = durableHarness();
    const auth = await tokenFor(`retry-pause-${crypto.randomUUID()}`);
    const budget = await partnerBudget(h);
    let reads = 0;
    useDurableDeps({
      credentials: () => partnerCredentials(h),
      certnFetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (urlOf(input).includes("/superteams/") && ++reads === 1) {
          // Meanwhile Certn answered another run of the credential 429 with Retry-After: 45.
          await budget().report429(45_000);
          return new Response("busy", { status: 503 });
        }
        return h.sim.fetch(input, init);
      }) as typeof fetch,
    });
    const runId = await startDurable(h, "/runs", auth, { collection: oneRead });
    await wakeFromRateLimit(h, runId, auth, budget);
    const view = await runView(h, runId, auth);
    expect(view.status).toBe("passed");
    expect(reads).toBe(2);
  });

  it("sleeps Certn's own 429 with a long Retry-After as a step, then sends the POST again once", async () => {
    const h = durableHarness();
    const auth = await tokenFor(`own-429-${crypto.randomUUID()}`);
    const budget = await partnerBudget(h);
    let invites = 0;
    useDurableDeps({
      credentials: () => partnerCredentials(h),
      certnFetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (urlOf(input).includes("/invite/") && ++invites === 1) {
          return new Response('{"detail":"Request was throttled. Expected available in 120 seconds."}', {
            status: 429,
            headers: { "retry-after": "120", "content-type": "application/json" },
          });
        }
        return h.sim.fetch(input, init);
      }) as typeof fetch,
    });
    const runId = await startDurable(h, "/runs", auth, { collection: onePost });
    await wakeFromRateLimit(h, runId, auth, budget);
    const view = await runView(h, runId, auth);
    expect(view.status).not.toBe("errored");
    // Refused unprocessed once, then sent once more: the simulator answers the bare invite 400.
    const items = (view.result?.items ?? []) as Array<{
      error?: { code: string };
      response?: { status: number };
    }>;
    expect(items.map((item) => [item.error?.code, item.response?.status])).toEqual([[undefined, 400]]);
    expect(invites).toBe(2);
  });

  it("sleeps at most a day a round, and not at all past the run's deadline (the item's error stands)", async () => {
    const h = durableHarness();
    const auth = await tokenFor(`far-429-${crypto.randomUUID()}`);
    let retryAfter = "259200"; // three days: slept a day at a time
    useDurableDeps({
      credentials: () => partnerCredentials(h),
      certnFetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (urlOf(input).includes("/invite/")) {
          return new Response('{"detail":"Request was throttled."}', {
            status: 429,
            headers: { "retry-after": retryAfter, "content-type": "application/json" },
          });
        }
        return h.sim.fetch(input, init);
      }) as typeof fetch,
    });
    const days = await startDurable(h, "/runs", auth, { collection: onePost });
    const waiting = await untilStatus(h, days, auth, "waiting");
    const until = Date.parse((waiting.waitingFor as unknown as { until: string }).until);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 60 * 60 * 1000);
    expect(until - Date.now()).toBeGreaterThan(23 * 60 * 60 * 1000);
    await (await liveRuns().get(days)).terminate();

    // Past the run's 30-day deadline: not slept, the item errors at once (the credential's pause
    // from the first run's 429 ended first).
    retryAfter = String(365 * 24 * 60 * 60);
    await endPause((await partnerBudget(h))());
    const years = await startDurable(h, "/runs", auth, { collection: onePost });
    expect(await settled(years)).toBe("complete");
    const view = await runView(h, years, auth);
    const items = (view.result?.items ?? []) as Array<{ status: string; error?: { code: string } }>;
    expect(items.map((item) => [item.status, item.error?.code])).toEqual([["errored", "CERTN_RATE_LIMITED"]]);
  });
});

describe("a durable run's record while it sleeps", () => {
  it("shows the sleeping step's name with a secret's value masked", async () => {
    const h = durableHarness();
    const auth = await tokenFor(`step-name-${crypto.randomUUID()}`);
    useDurableDeps({
      credentials: () => partnerCredentials(h),
      certnFetch: (input, init) => h.sim.fetch(input, init),
    });
    const secret = "tk-SUPERSECRET-42";
    const collection = {
      formatVersion: 1,
      name: "named after a secret",
      items: [
        {
          name: `poll ${secret}`,
          request: { method: "GET", url: "/api/v1/superteams/" },
          poll: { until: [{ that: "status", equals: 599 }], intervalMs: 600_000, maxAttempts: 3 },
        },
      ],
    };
    const runId = await startDurable(h, "/runs", auth, { collection, secrets: { token: secret } });
    const waiting = await untilStatus(h, runId, auth, "waiting");
    const waitingFor = waiting.waitingFor as { kind?: string; step?: string } | undefined;
    expect(waitingFor?.kind).toBe("poll");
    expect(waitingFor?.step).toContain("poll [secret]");
    expect(JSON.stringify(waiting)).not.toContain(secret);
    await (await liveRuns().get(runId)).terminate();
  });
});
