/**
 * A 429 without `Retry-After` (Certn documents neither the headers nor the body of its 429s)
 * pauses every run of the credential too: until the oldest request its shortest window counts
 * leaves that window, at least a second. Before, such a 429 paused no one, and the budget went on
 * granting every other run at the full rate while Certn refused them.
 */
import { describe, expect, it } from "vitest";
import { createCredentialBudget, UNANNOUNCED_429_PAUSE_MS } from "../../src/worker/rate-budget.ts";
import type { CertnRateLimiter, RateGrant } from "../../src/worker/rate-limiter-object.ts";
import { unique } from "../workers/worker/harness.ts";
import { bindings } from "./helpers.ts";

const namespace = bindings.RATE_LIMITER as DurableObjectNamespace<CertnRateLimiter>;
const CERTN = [
  { requests: 240, perMs: 60_000 },
  { requests: 14_400, perMs: 86_400_000 },
];

/** The wait an acquisition was answered with (it must not be granted). */
function waitOf(grant: RateGrant): number {
  if (grant.granted) throw new Error("the credential should be paused");
  return grant.waitMs;
}

describe("a 429 without Retry-After", () => {
  it("pauses every caller until the oldest slot of the shortest window leaves it", async () => {
    const name = unique("unannounced");
    expect((await namespace.getByName(name).acquire(CERTN)).granted).toBe(true);
    await namespace.getByName(name).report429(0, CERTN);
    // Another run of the credential, with its own stub.
    const wait = waitOf(await namespace.getByName(name).acquire(CERTN));
    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it("pauses a second when its window counts nothing, or no windows are sent", async () => {
    const fresh = namespace.getByName(unique("unannounced-empty"));
    await fresh.report429(0, CERTN);
    const wait = waitOf(await fresh.acquire(CERTN));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(UNANNOUNCED_429_PAUSE_MS);
    const older = namespace.getByName(unique("unannounced-older-caller"));
    expect((await older.acquire(CERTN)).granted).toBe(true);
    await older.report429(0);
    expect(waitOf(await older.acquire(CERTN))).toBeLessThanOrEqual(UNANNOUNCED_429_PAUSE_MS);
  });

  it("is reported with the run's windows by the run's budget", async () => {
    const name = unique("unannounced-budget");
    const credentials = { kind: "api-key" as const, apiKey: name, apiKeyScheme: "Api-Key" as const };
    const budget = createCredentialBudget({
      namespace,
      credentials,
      baseUrl: "https://demo-api.certn.co",
      limits: CERTN,
      log: () => undefined,
    });
    const release = await budget.acquire();
    release();
    budget.report429(0);
    await budget.drain();
    const other = createCredentialBudget({
      namespace,
      credentials,
      baseUrl: "https://demo-api.certn.co",
      limits: CERTN,
      log: () => undefined,
      maxWaitMs: 0,
    });
    await expect(other.acquire()).rejects.toThrow(/asks to wait (5\d|60) s/);
  });
});
