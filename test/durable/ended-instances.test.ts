/**
 * A durable run whose Workflow instance ended without writing its record (an operator's
 * terminate here): reading the run asks the engine, once the record has been quiet a while, and
 * shows it errored instead of "waiting" forever; a run whose instance still waits is left alone
 * (real app, D1 and CollectionRun Workflow of workerd).
 */
import { describe, expect, it } from "vitest";
import { QUIET_BEFORE_ENGINE_CHECK_MS } from "../../src/worker/run-reconcile.ts";
import {
  bindings,
  durableHarness,
  liveRuns,
  runView,
  settled,
  startDurable,
  tokenFor,
  WAIT_THEN_READ,
} from "./helpers.ts";

const db = (): D1Database => bindings.DB as D1Database;

/** Makes the record look unwritten for longer than a read waits before asking the engine. */
async function quiet(runId: string): Promise<void> {
  await db()
    .prepare("UPDATE runs SET updated_at = updated_at - ? WHERE run_id = ?")
    .bind(QUIET_BEFORE_ENGINE_CHECK_MS + 1_000, runId)
    .run();
}

/** Starts a waiting durable run; its id once its record says it waits. */
async function waitingRun(h: ReturnType<typeof durableHarness>, auth: string): Promise<string> {
  h.env.RUNS = liveRuns();
  const runId = await startDurable(h, "/runs", auth, {
    collection: WAIT_THEN_READ,
    variables: { caseId: "case-nobody-orders" },
  });
  const until = Date.now() + 20_000;
  while ((await runView(h, runId, auth)).status !== "waiting" && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect((await runView(h, runId, auth)).status).toBe("waiting");
  return runId;
}

describe("reading a durable run whose instance ended without its record", () => {
  it("shows it errored once the record has been quiet, and leaves a run that still waits alone", async () => {
    const h = durableHarness();
    const auth = await tokenFor("ended-instance");
    const dead = await waitingRun(h, auth);
    const alive = await waitingRun(h, auth);
    await (await liveRuns().get(dead)).terminate();
    expect(await settled(dead)).toBe("terminated");

    // Written a moment ago: the record stands (no engine call for a run just heard from).
    expect((await runView(h, dead, auth)).status).toBe("waiting");
    await quiet(dead);
    await quiet(alive);
    expect((await runView(h, dead, auth)).status).toBe("errored");
    // Its instance still waits: quiet for days is what a waiting run is.
    expect((await runView(h, alive, auth)).status).toBe("waiting");
    await (await liveRuns().get(alive)).terminate();
  }, 60_000);
});
