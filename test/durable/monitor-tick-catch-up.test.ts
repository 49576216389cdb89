/**
 * The Cron Trigger's cap on starts per tick: monitors left out of a tick get their fire time at
 * the next ticks (real Cron Trigger handler, D1 and CollectionRun Workflow of workerd).
 */
import { afterEach, describe, expect, it } from "vitest";
import { MAX_STARTS_PER_TICK } from "../../src/worker/monitor-tick.ts";
import { callerToken } from "../workers/worker/harness.ts";
import { bindings, durableHarness, RUN_SCOPES, settled } from "./helpers.ts";
import { FIVE_MINUTES, NOON, tick } from "./monitor-helpers.ts";

/** The owner's slots: monitor id, fire time and run id, by monitor. */
async function slotsOf(
  owner: string,
): Promise<Array<{ monitor_id: string; slot_at: number; run_id: string }>> {
  const { results } = await (bindings.DB as D1Database)
    .prepare("SELECT monitor_id, slot_at, run_id FROM monitor_slots WHERE owner = ? ORDER BY monitor_id")
    .bind(owner)
    .all<{ monitor_id: string; slot_at: number; run_id: string }>();
  return results;
}

afterEach(async () => {
  await (bindings.DB as D1Database).prepare("DELETE FROM monitors").run();
});

describe("monitors beyond the starts of one tick", () => {
  it("get their fire time at the next tick", async () => {
    const h = durableHarness();
    const sub = `catch-up-${crypto.randomUUID()}`;
    const auth = await callerToken({ sub, scope: `${RUN_SCOPES} monitors:read monitors:write` });
    const count = MAX_STARTS_PER_TICK + 2;
    const ids = Array.from({ length: count }, (_, index) => `hourly-${index}`);
    for (const id of ids) {
      const body = { collection: "certn-smoke", schedule: "0 * * * *", inputs: { dryRun: true } };
      expect((await h.call(`/monitors/${id}`, { method: "PUT", auth, json: body })).status).toBe(201);
    }

    await tick(NOON);
    expect(await slotsOf(sub)).toHaveLength(MAX_STARTS_PER_TICK);
    await tick(NOON + FIVE_MINUTES);
    const slots = await slotsOf(sub);
    expect(slots.map((slot) => slot.monitor_id).sort()).toEqual([...ids].sort());
    expect(new Set(slots.map((slot) => slot.slot_at))).toEqual(new Set([NOON]));
    // Each slot's run was started and ends as the monitor's run.
    for (const slot of slots) expect(await settled(slot.run_id)).toBe("complete");
    // Nothing is started twice.
    await tick(NOON + 2 * FIVE_MINUTES);
    expect(await slotsOf(sub)).toHaveLength(count);
  }, 120_000);

  it("never catch up a fire time from before the monitor was saved", async () => {
    const h = durableHarness();
    const sub = `saved-late-${crypto.randomUUID()}`;
    const auth = await callerToken({ sub, scope: `${RUN_SCOPES} monitors:read monitors:write` });
    // A daily fire time two ticks before the next tick of the real clock: in the look-back, but
    // already past when the monitor is saved.
    const nextTick = Math.floor(Date.now() / FIVE_MINUTES) * FIVE_MINUTES + FIVE_MINUTES;
    const fire = new Date(nextTick - 2 * FIVE_MINUTES);
    const schedule = `${fire.getUTCMinutes()} ${fire.getUTCHours()} * * *`;
    const body = { collection: "certn-smoke", schedule, inputs: { dryRun: true } };
    expect((await h.call("/monitors/daily", { method: "PUT", auth, json: body })).status).toBe(201);
    await tick(nextTick);
    expect(await slotsOf(sub)).toEqual([]);
  });
});
