/**
 * What the durable tests of long rate-limit waits share: the harness's partner credential and its
 * budget object, the end of that budget's 429 pause, and waking a run that sleeps such a wait.
 */
import { introspectWorkflowInstance, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import type { CertnCredentials } from "../../src/worker/config.ts";
import { credentialBudgetName } from "../../src/worker/rate-budget.ts";
import type { CertnRateLimiter } from "../../src/worker/rate-limiter-object.ts";
import { bindings, type DurableHarness, liveRuns, settled, untilStatus } from "./helpers.ts";

const namespace = bindings.RATE_LIMITER as DurableObjectNamespace<CertnRateLimiter>;

/** The harness simulator's partner credential, as durable runs use it. */
export function partnerCredentials(h: DurableHarness): CertnCredentials {
  return {
    kind: "client-credentials",
    clientId: h.sim.credentials.clientId,
    clientSecret: h.sim.credentials.clientSecret,
  };
}

/**
 * The partner credential's budget object. A stub belongs to the invocation that made it, so this
 * gives a function that makes one where it is used.
 */
export async function partnerBudget(h: DurableHarness): Promise<() => DurableObjectStub<CertnRateLimiter>> {
  const name = await credentialBudgetName(partnerCredentials(h), "https://demo-api.certn.co");
  return () => namespace.getByName(name);
}

/** Ends a budget's 429 pause: its stored pause goes, and the object restarts from storage. */
export async function endPause(stub: DurableObjectStub<CertnRateLimiter>): Promise<void> {
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("DELETE FROM pause");
  });
  await runInDurableObject(stub, (_instance, state) => state.abort("the pause ended")).catch(() => undefined);
}

/**
 * Waits for the run to sleep a rate-limit wait, runs `whileAsleep` (checks of that moment), then
 * ends the pause and cuts the engine's sleeps of rounds `rounds` short (pause and resume replay
 * the instance with them disabled); the run must then complete.
 */
export async function wakeFromRateLimit(
  h: DurableHarness,
  runId: string,
  auth: string,
  budget: () => DurableObjectStub<CertnRateLimiter>,
  options: { rounds?: number[]; whileAsleep?: (step: string) => Promise<void> } = {},
): Promise<void> {
  const waiting = await untilStatus(h, runId, auth, "waiting");
  expect(waiting.status).toBe("waiting");
  const waitingFor = waiting.waitingFor as { kind: string; step: string } | undefined;
  expect(waitingFor?.kind).toBe("rate-limit");
  if (waitingFor === undefined) return;
  const instance = await introspectWorkflowInstance(bindings.RUNS as Workflow, runId);
  try {
    await options.whileAsleep?.(waitingFor.step);
    await endPause(budget());
    const rounds = options.rounds ?? [1, 2, 3];
    await instance.modify(async (m) => {
      await m.disableSleeps(rounds.map((round) => ({ name: `${waitingFor.step} (slot wait ${round})` })));
    });
    const live = await liveRuns().get(runId);
    await live.pause();
    await live.resume();
    expect(await settled(runId)).toBe("complete");
  } finally {
    await instance.dispose();
  }
}
