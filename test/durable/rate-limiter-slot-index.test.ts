/**
 * `CertnRateLimiter` deletes the slots that left its windows through an index on their time: once
 * the day window is full, every acquire deletes one, which read every stored slot before (14,400
 * with Certn's windows, up to 100,000). An object whose storage predates the index gets it when it
 * is next constructed.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CertnRateLimiter } from "../../src/worker/rate-limiter-object.ts";
import { unique } from "../workers/worker/harness.ts";
import { bindings } from "./helpers.ts";

const namespace = bindings.RATE_LIMITER as DurableObjectNamespace<CertnRateLimiter>;
const DAY = 86_400_000;

/** EXPLAIN QUERY PLAN of `sql` in the object's storage. */
function planIn(state: DurableObjectState, sql: string): string[] {
  return state.storage.sql
    .exec<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, 0)
    .toArray()
    .map((row) => row.detail);
}

describe("the rate limiter's slots", () => {
  it("are deleted, and their oldest found, through an index on their time", async () => {
    const stub = namespace.getByName(unique("slot-index"));
    await stub.acquire([{ requests: 10, perMs: 60_000 }]);
    const plans = await runInDurableObject(stub, (_instance, state) => ({
      deleted: planIn(state, "DELETE FROM slots WHERE at <= ?"),
      oldest: planIn(state, "SELECT min(at) AS at FROM slots WHERE at > ?"),
    }));
    for (const plan of [plans.deleted, plans.oldest]) {
      expect(plan.some((detail) => /^SEARCH slots USING (COVERING )?INDEX slots_by_at/.test(detail))).toBe(
        true,
      );
      expect(plan.filter((detail) => detail.startsWith("SCAN"))).toEqual([]);
    }
  });

  it("read a few rows per acquire with a full day window of 20,000 slots", async () => {
    const stub = namespace.getByName(unique("slot-index-full"));
    const count = 20_000;
    const limits = [
      { requests: count, perMs: 60_000 },
      { requests: count, perMs: DAY },
    ];
    expect((await stub.acquire(limits)).granted).toBe(true);
    const rowsRead = await runInDurableObject(stub, (_instance, state) => {
      const now = Date.now();
      for (let i = 0; i < count; i += 1) {
        state.storage.sql.exec("INSERT INTO slots (id, at) VALUES (?, ?)", 10 + i, now - DAY + 60_000 + i);
      }
      // What an acquire does when the oldest slot has just left the day window.
      const deleted = state.storage.sql.exec("DELETE FROM slots WHERE at <= ?", now - DAY + 60_000);
      deleted.toArray();
      return deleted.rowsRead;
    });
    expect(rowsRead).toBeLessThan(10);
  });

  it("get the index in an object whose storage was made before it", async () => {
    const name = unique("slot-index-old");
    const stub = namespace.getByName(name);
    await stub.acquire([{ requests: 10, perMs: 60_000 }]);
    const indexesOf = (state: DurableObjectState): string[] =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'slots'")
        .toArray()
        .map((row) => row.name);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("DROP INDEX slots_by_at");
    });
    expect(await runInDurableObject(stub, (_instance, state) => indexesOf(state))).not.toContain(
      "slots_by_at",
    );
    // The instance goes away, as after a deploy; the next call constructs it again.
    await runInDurableObject(stub, (_instance, state) => state.abort("constructed again")).catch(
      () => undefined,
    );
    const again = namespace.getByName(name);
    await again.acquire([{ requests: 10, perMs: 60_000 }]);
    const indexes = await runInDurableObject(again, (_instance, state) => indexesOf(state));
    expect(indexes).toContain("slots_by_at");
  });
});
