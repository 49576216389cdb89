/**
 * A durable run's wait for a slot of the credential's budget: a wait longer than a step may wait
 * in place (a 429's pause past the engine's 10-minute step timeout) is slept as a Workflow step,
 * the POST is sent once after it and the run does not error; a bounded budget answers such a wait
 * at once, and code past its step's send window takes no slot and sends nothing.
 */
import { introspectWorkflowInstance, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CertnCredentials } from "../../src/worker/config.ts";
import {
  createCredentialBudget,
  credentialBudgetName,
  SlotNotTaken,
  slotWaitOf,
  untilSendTime,
} from "../../src/worker/rate-budget.ts";
import type { CertnRateLimiter } from "../../src/worker/rate-limiter-object.ts";
import { unique } from "../workers/worker/harness.ts";
import { bindings, type DurableHarness, durableHarness, runView, startDurable, tokenFor } from "./helpers.ts";
import { partnerBudget, wakeFromRateLimit } from "./rate-limit-helpers.ts";

const namespace = bindings.RATE_LIMITER as DurableObjectNamespace<CertnRateLimiter>;
const DEMO_BASE_URL = "https://demo-api.certn.co";
const silent = (): void => undefined;

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

const invites = (h: DurableHarness): number => h.upstream.filter((url) => url.includes("/invite/")).length;

describe("a durable exchange waits for a slot as a step", () => {
  it("sleeps a pause longer than the step timeout as a step, then sends the POST once and passes", async () => {
    const h = durableHarness();
    const auth = await tokenFor("slot-wait-pause");
    const budget = await partnerBudget(h);
    // Certn answered another run 429 with Retry-After: 660: the credential is paused 11 minutes,
    // past the engine's 10-minute step timeout.
    await budget().report429(11 * 60_000);
    const runId = await startDurable(h, "/runs", auth, { collection: onePost });

    // The pause ends; the engine's sleep is cut short (pause and resume replay the instance,
    // and the replayed sleep is disabled), so the run asks the budget again.
    await wakeFromRateLimit(h, runId, auth, budget, {
      rounds: [1],
      whileAsleep: async (step) => {
        // The exchange step has ended, unsent: no step runs out its timeout while the run waits.
        const instance = await introspectWorkflowInstance(bindings.RUNS as Workflow, runId);
        await expect(instance.waitForStepResult({ name: step })).resolves.toBeDefined();
        expect(invites(h)).toBe(0);
      },
    });
    const view = await runView(h, runId, auth);
    // The POST was sent once, after the pause, and its answer recorded (the simulator answers this
    // bare invite 400, an assertion result, not an error of the run).
    expect(view.status).not.toBe("errored");
    const items = (view.result?.items ?? []) as Array<{ attempts?: number; response?: { status: number } }>;
    expect(items.map((item) => [item.attempts, item.response?.status])).toEqual([[1, 400]]);
    expect(invites(h)).toBe(1);
  });
});

describe("a durable run's bounded budget", () => {
  const limits = [{ requests: 100, perMs: 60_000 }];
  const credentials: CertnCredentials = { kind: "api-key", apiKey: "", apiKeyScheme: "Api-Key" };

  it("answers a wait longer than its bound at once, with the wait, taking no slot", async () => {
    const apiKey = unique("bounded");
    const budget = createCredentialBudget({
      namespace,
      credentials: { ...credentials, apiKey },
      baseUrl: DEMO_BASE_URL,
      limits,
      log: silent,
      maxWaitMs: 30_000,
    });
    const stub = namespace.getByName(await credentialBudgetName({ ...credentials, apiKey }, DEMO_BASE_URL));
    await stub.report429(11 * 60_000);
    const refused = await budget.acquire().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(SlotNotTaken);
    if (!(refused instanceof SlotNotTaken)) return;
    expect(refused.waitMs).toBeGreaterThan(10 * 60_000);
    // As the runner records it (code and message), the wait can be read back.
    expect(slotWaitOf({ code: refused.code, message: refused.message })).toBe(refused.waitMs);
    const slots = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM slots").one(),
    );
    expect(slots.n).toBe(0);
  });

  it("refuses a slot once the step's send window has passed, and settles a grant that came too late", async () => {
    const apiKey = unique("send-window");
    const budget = createCredentialBudget({
      namespace,
      credentials: { ...credentials, apiKey },
      baseUrl: DEMO_BASE_URL,
      limits: [{ requests: 1, perMs: 300 }],
      log: silent,
      maxWaitMs: 30_000,
    });
    const stub = namespace.getByName(await credentialBudgetName({ ...credentials, apiKey }, DEMO_BASE_URL));
    const spent = untilSendTime(budget, () => Date.now() - 1);
    await expect(spent.acquire()).rejects.toBeInstanceOf(SlotNotTaken);
    const count = async (): Promise<number> =>
      (
        await runInDurableObject(stub, (_instance, state) =>
          state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM slots").one(),
        )
      ).n;
    expect(await count()).toBe(0);

    // The window is full, so the next slot comes after a wait in place; the send window ends
    // meanwhile (it ends when the first slot is granted), so that slot is refused.
    const first = await budget.acquire();
    let windowEnd = Number.POSITIVE_INFINITY;
    const gated = untilSendTime(budget, () => windowEnd);
    const late = gated.acquire();
    windowEnd = Date.now();
    await expect(late).rejects.toBeInstanceOf(SlotNotTaken);
    first();
    await budget.drain();
  });
});
