/**
 * One rate budget per credential: the `CertnRateLimiter` Durable Object (real, SQLite-backed, in
 * workerd) grants N per window and then answers with waits, keeps names apart, pauses everyone
 * for a reported 429; immediate and durable runs of the real app take their slots from it, so two
 * runs at once stay within the simulator's compressed limit; without a working object a run
 * paces itself and still passes.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createCredentialBudget, credentialBudgetName } from "../../src/worker/rate-budget.ts";
import type { CertnRateLimiter } from "../../src/worker/rate-limiter-object.ts";
import {
  captureConsoleForFile,
  createHarness,
  jsonOf,
  SMOKE_ITEMS,
  unique,
} from "../workers/worker/harness.ts";
import { bindings, durableHarness, RUN_SCOPES, settled, startDurable, tokenFor } from "./helpers.ts";

const capture = captureConsoleForFile();

const namespace = bindings.RATE_LIMITER as DurableObjectNamespace<CertnRateLimiter>;
const limiter = (name: string) => namespace.getByName(name);

describe("CertnRateLimiter", () => {
  it("grants N per window, then answers how long to wait, at once", async () => {
    const stub = limiter(unique("grants"));
    const limits = [{ requests: 3, perMs: 60_000 }];
    const grants = [];
    for (let index = 0; index < 4; index++) grants.push(await stub.acquire(limits));
    expect(grants.slice(0, 3).map((grant) => grant.granted)).toEqual([true, true, true]);
    const refused = grants[3];
    expect(refused?.granted).toBe(false);
    if (refused?.granted !== false) throw new Error("the fourth acquisition must wait");
    expect(refused.waitMs).toBeGreaterThan(55_000);
    expect(refused.waitMs).toBeLessThanOrEqual(60_000);
    // The slots are stored, so an evicted object comes back with its windows.
    const stored = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM slots").one(),
    );
    expect(stored.n).toBe(3);
  });

  it("honours every window it is given: the tighter one decides", async () => {
    const stub = limiter(unique("windows"));
    const limits = [
      { requests: 10, perMs: 1_000 },
      { requests: 2, perMs: 86_400_000 },
    ];
    expect((await stub.acquire(limits)).granted).toBe(true);
    expect((await stub.acquire(limits)).granted).toBe(true);
    const third = await stub.acquire(limits);
    expect(third.granted).toBe(false);
    if (third.granted) return;
    expect(third.waitMs).toBeGreaterThan(86_000_000);
  });

  it("clears slots no window can count any more when its alarm fires", async () => {
    const stub = limiter(unique("alarm"));
    expect((await stub.acquire([{ requests: 5, perMs: 60_000 }])).granted).toBe(true);
    // A slot from more than a day ago (the longest window there is) and the one just granted.
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("INSERT INTO slots (id, at) VALUES (?, ?)", 1_000, Date.now() - 86_400_001);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM slots").one(),
    );
    expect(left.n).toBe(1);
    // Re-armed for the slot that is left.
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull();
  });

  it("keeps two credentials apart", async () => {
    const limits = [{ requests: 1, perMs: 60_000 }];
    const first = limiter(unique("first"));
    const second = limiter(unique("second"));
    expect((await first.acquire(limits)).granted).toBe(true);
    expect((await first.acquire(limits)).granted).toBe(false);
    expect((await second.acquire(limits)).granted).toBe(true);
  });

  it("a reported 429 pauses every caller of the credential for its Retry-After", async () => {
    const name = unique("paused");
    const limits = [{ requests: 100, perMs: 60_000 }];
    expect((await limiter(name).acquire(limits)).granted).toBe(true);
    await limiter(name).report429(5_000);
    // Another caller (another run, another isolate) with its own stub of the same name.
    const other = await limiter(name).acquire(limits);
    expect(other.granted).toBe(false);
    if (other.granted) return;
    expect(other.waitMs).toBeGreaterThan(4_000);
    expect(other.waitMs).toBeLessThanOrEqual(5_000);
    // Another credential is not paused.
    expect((await limiter(unique("unpaused")).acquire(limits)).granted).toBe(true);
  });

  it("re-stamps a settled slot, so the window counts from the end of the attempt", async () => {
    const stub = limiter(unique("settle"));
    const limits = [{ requests: 1, perMs: 60_000 }];
    const grant = await stub.acquire(limits);
    if (!grant.granted) throw new Error("the first slot is granted");
    const before = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ at: number }>("SELECT at FROM slots WHERE id = ?", grant.slot).one(),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await stub.settle(grant.slot);
    const after = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ at: number }>("SELECT at FROM slots WHERE id = ?", grant.slot).one(),
    );
    expect(after.at).toBeGreaterThan(before.at);
  });

  it("is named by a hash of the client id or API key and the base URL, never the secret", async () => {
    const credentials = {
      kind: "client-credentials" as const,
      clientId: "client-1",
      clientSecret: "s3cret-value",
    };
    const name = await credentialBudgetName(credentials, "https://demo-api.certn.co");
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(
      await credentialBudgetName({ ...credentials, clientSecret: "other" }, "https://demo-api.certn.co"),
    ).toBe(name);
    expect(await credentialBudgetName(credentials, "https://api.certn.co")).not.toBe(name);
    expect(
      await credentialBudgetName(
        { kind: "api-key", apiKey: "client-1", apiKeyScheme: "Api-Key" },
        "https://demo-api.certn.co",
      ),
    ).not.toBe(name);
  });
});

describe("runs share the credential's budget", () => {
  it("two immediate runs at once stay within a tight compressed limit: no 429 at the simulator", async () => {
    const h = createHarness({
      // Simulated time follows the wall clock, so the compressed windows move as the runs wait.
      simulator: { realTime: true, rateLimit: { perMinute: 3, perDay: 10_000, windowMs: 500 } },
      env: { RATE_LIMITER: bindings.RATE_LIMITER, RUNNER_RATE_LIMIT: "3/500ms" },
    });
    const responses = await Promise.all([
      h.call("/collections/certn-smoke/runs", { method: "POST" }),
      h.call("/collections/certn-smoke/runs", { method: "POST" }),
    ]);
    const results = await Promise.all(
      responses.map((response) => jsonOf<{ summary: { passed: number; requests: number } }>(response)),
    );
    for (const result of results)
      expect(result.summary).toMatchObject({ passed: SMOKE_ITEMS, requests: SMOKE_ITEMS });
    expect(h.sim.throttled).toBe(0);
    const runIds = responses.map((response) => response.headers.get("x-run-id") ?? "");
    const finished = capture.lines
      .filter((line) => line.includes('"run finished"') && runIds.some((id) => line.includes(id)))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // Every request took a slot from the object; waiting made some take more than one call.
    expect(finished).toHaveLength(2);
    for (const line of finished) {
      expect(line).toMatchObject({ rateLimiter: "object" });
      expect(line.rateLimiterCalls).toBeGreaterThan(SMOKE_ITEMS);
    }
  });

  it("the same two runs, each pacing itself alone (no binding), do draw 429s", async () => {
    const h = createHarness({
      simulator: { realTime: true, rateLimit: { perMinute: 3, perDay: 10_000, windowMs: 500 } },
      env: { RATE_LIMITER: undefined, RUNNER_RATE_LIMIT: "3/500ms" },
    });
    const responses = await Promise.all([
      h.call("/collections/certn-smoke/runs", { method: "POST" }),
      h.call("/collections/certn-smoke/runs", { method: "POST" }),
    ]);
    await Promise.all(responses.map((response) => response.text()));
    expect(h.sim.throttled).toBeGreaterThan(0);
  });

  it("a durable run takes a slot per upstream request from the same object", async () => {
    const h = durableHarness();
    const alice = await tokenFor("alice", RUN_SCOPES);
    const runId = await startDurable(h, "/collections/certn-smoke/runs", alice);
    expect(await settled(runId)).toBe("complete");
    const name = await credentialBudgetName(
      {
        kind: "client-credentials",
        clientId: h.sim.credentials.clientId,
        clientSecret: h.sim.credentials.clientSecret,
      },
      "https://demo-api.certn.co",
    );
    const slots = await runInDurableObject(limiter(name), (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM slots").one(),
    );
    expect(slots.n).toBe(SMOKE_ITEMS);
  });

  it("without the binding a run paces itself and passes, and says so in its log line", async () => {
    const h = createHarness({ env: { RATE_LIMITER: undefined } });
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    const runId = response.headers.get("x-run-id") ?? "";
    expect((await jsonOf<{ summary: { passed: number } }>(response)).summary.passed).toBe(SMOKE_ITEMS);
    const finished = capture.lines
      .filter((line) => line.includes(runId) && line.includes('"run finished"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(finished).toEqual([
      expect.objectContaining({ rateLimiter: "in-process: no binding", rateLimiterCalls: 0 }),
    ]);
  });

  it("an object that fails never fails the run: it falls back in-process and logs why", async () => {
    const failing = {
      getByName: () => ({
        acquire: () => Promise.reject(new Error("object unavailable")),
      }),
    } as unknown as DurableObjectNamespace<CertnRateLimiter>;
    const logged: string[] = [];
    const budget = createCredentialBudget({
      namespace: failing,
      credentials: { kind: "api-key", apiKey: "test-key", apiKeyScheme: "Api-Key" },
      baseUrl: "https://demo-api.certn.co",
      limits: [{ requests: 2, perMs: 60_000 }],
      log: (level, message, fields) => logged.push(`${level} ${message} ${JSON.stringify(fields)}`),
    });
    const release = await budget.acquire();
    release();
    await budget.acquire();
    budget.report429(1_000);
    expect(budget.stats.source).toBe("in-process: object failed");
    expect(logged).toEqual([
      'warn rate limiter object failed; this run paces itself in-process {"error":"Error"}',
    ]);
    // The in-process limiter holds the same windows: a third slot in the minute waits.
    const stop = new AbortController();
    const third = budget.acquire(stop.signal);
    setTimeout(() => stop.abort(), 20);
    await expect(third).rejects.toThrow("the wait for a rate-limit slot was aborted");
  });
});
