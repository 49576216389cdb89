/**
 * What the monitor tests share: a fixed noon to schedule around, the Worker's Cron Trigger fired
 * for a time, the runs a monitor's slots started and what the alert receiver got.
 */
import { createScheduledController } from "cloudflare:test";
import { inject } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { bindings, liveRuns } from "./helpers.ts";
import worker from "./main.ts";

/** 12:00 UTC on a day of 2031, and 5 minutes in ms. */
export const NOON = Date.UTC(2031, 0, 7, 12, 0);
export const FIVE_MINUTES = 5 * 60 * 1000;

/** Fires the Cron Trigger of test/durable/main.ts for `scheduledTime`. */
export async function tick(scheduledTime: number): Promise<void> {
  const env = {
    DB: bindings.DB,
    RUNS: liveRuns(),
    COLLECTIONS: bindings.COLLECTIONS,
    TOKEN_CACHE: bindings.TOKEN_CACHE,
    RESULTS: bindings.RESULTS,
  } as Env;
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "*/5 * * * *" }), env);
}

/** The run ids a monitor's slots started, oldest slot first. */
export async function slotRuns(owner: string, id: string): Promise<string[]> {
  const { results } = await (bindings.DB as D1Database)
    .prepare("SELECT run_id FROM monitor_slots WHERE owner = ? AND monitor_id = ? ORDER BY slot_at")
    .bind(owner, id)
    .all<{ run_id: string }>();
  return results.map((row) => row.run_id);
}

/** What the alert receiver (test/setup/alert-receiver.ts) got under `key`. */
export async function received(
  key: string,
): Promise<Array<{ method: string; contentType?: string; body: string }>> {
  const response = await fetch(`${inject("alertReceiver").baseUrl}/received/${key}`);
  return response.json();
}
