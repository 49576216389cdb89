/**
 * One sleep, one contract: it resolves after `ms` or as soon as the signal aborts, and never
 * rejects; the transport and the runner check the signal themselves afterwards.
 */
import { describe, expect, it } from "vitest";
import { sleep } from "../../../src/core/sleep.ts";
import { createClock } from "../../../src/runner/clock.ts";
import { json, makeClient, rejectionOf, withTokens } from "./harness.ts";

describe("core sleep", () => {
  it("resolves after the time has passed", async () => {
    const started = Date.now();
    await sleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it("resolves (never rejects) as soon as the signal aborts, and at once when already aborted", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(new Error("stop")), 5);
    await expect(waiting).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(sleep(60_000, controller.signal)).resolves.toBeUndefined();
    await expect(sleep(-1)).resolves.toBeUndefined();
  });

  it("waits longer than one timer can hold in steps, instead of firing at once", async () => {
    const controller = new AbortController();
    let settled = false;
    const month = 30 * 24 * 3600 * 1000; // over 2^31 - 1 ms, which a single timer turns into 1 ms
    const waiting = sleep(month, controller.signal).then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(settled).toBe(false);
    controller.abort();
    await waiting;
    expect(settled).toBe(true);
  });

  it("is the runner's default sleep too", () => {
    expect(createClock().sleep).toBe(sleep);
  });
});

describe("the transport with a sleep that resolves early on abort", () => {
  it("rejects with the caller's reason after the wait and starts no further attempt", async () => {
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const { client, server } = makeClient(
      withTokens(() => json(503, {}, { "Retry-After": "30" })),
      {
        // Resolves at once, like core's sleep does when the signal aborts during the wait.
        sleep: async () => {
          controller.abort(reason);
        },
      },
    );
    let slots = 0;
    const error = await rejectionOf(
      client.send(new Request("https://demo-api.certn.co/api/v1/teams/"), {
        signal: controller.signal,
        beforeAttempt: async () => {
          slots += 1;
        },
      }),
    );
    expect(error).toBe(reason);
    expect(server.api()).toHaveLength(1);
    // The runner's rate limiter lives in beforeAttempt: an aborted wait takes no further slot.
    expect(slots).toBe(1);
  });
});
