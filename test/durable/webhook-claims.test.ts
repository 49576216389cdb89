/**
 * A wait takes one event (migration 0007, `waits.claimed_event`): two matching events that arrive
 * together go one to each of a run's waits, where both used to be handed to the first (the second
 * then sat in the engine under the first wait's type, its take hiding it from the next wait, which
 * timed out); and a receiver and the run's own look at stored events never both claim a wait.
 */
import { describe, expect, it } from "vitest";
import { openWait } from "../../src/worker/store/waits.ts";
import { claimWait, takeForWait } from "../../src/worker/store/webhook-takes.ts";
import {
  bindings,
  countRows,
  deliverCentric,
  durableHarness,
  runView,
  settled,
  startDurable,
  tokenFor,
  untilStatus,
} from "./helpers.ts";

/** Two waits in a row for events about `{{caseId}}`. */
const TWO_WAITS = {
  formatVersion: 1,
  name: "two waits",
  items: [
    {
      name: "First change",
      wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 20_000 },
    },
    {
      name: "Second change",
      wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 6_000 },
    },
  ],
};

const caseEvent = (caseId: string, eventType: string) => ({
  id: crypto.randomUUID(),
  event_type: eventType,
  object_type: "CASE",
  object_id: caseId,
});

describe("a wait takes one event", () => {
  it("gives two matching events delivered together one to each of the run's waits", async () => {
    const h = durableHarness();
    const auth = await tokenFor("bea");
    const caseId = `case-${crypto.randomUUID()}`;
    const runId = await startDurable(h, "/runs", auth, { collection: TWO_WAITS, variables: { caseId } });
    expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
    const answers = await Promise.all([
      deliverCentric(h, caseEvent(caseId, "CASE_STATUS_CHANGED")),
      deliverCentric(h, caseEvent(caseId, "CASE_REPORT_READY")),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await settled(runId, 30_000)).toBe("complete");
    const view = await runView(h, runId, auth);
    expect(view.result?.items.map((item) => [item.name, item.status])).toEqual([
      ["First change", "passed"],
      ["Second change", "passed"],
    ]);
    expect(view.status).toBe("passed");
    // Each event was taken once, by its own wait.
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(2);
  }, 40_000);

  it("is claimed by a receiver or by the run's own take, never both", async () => {
    const db = bindings.DB as D1Database;
    const now = Date.now();
    const runId = `claims-${crypto.randomUUID()}`;
    const open = (name: string) =>
      openWait(db, {
        runId,
        name,
        source: "certncentric",
        match: { clear: {}, keyed: {} },
        eventType: `ev-${name}`,
        createdAt: now,
        expiresAt: now + 60_000,
      });
    const first = { runId, name: "first" };
    await open("first");
    expect(await claimWait(db, first, "certncentric", "e-1", now)).toBe("won");
    // A repeat of the same event (its earlier hand-off may have failed) is handed to it again.
    expect(await claimWait(db, first, "certncentric", "e-1", now)).toBe("already");
    // Another event loses the wait, to a receiver as to the run's own take, and stays untaken.
    expect(await claimWait(db, first, "certncentric", "e-2", now)).toBe("lost");
    expect(await takeForWait(db, first, "certncentric", "e-2", now)).toBe("claimed");
    expect(await open("first")).toEqual({ claimedEvent: "e-1" });
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(1);

    // The run's own take closes the wait with its claim: no receiver hands it another event.
    const second = { runId, name: "second" };
    await open("second");
    expect(await takeForWait(db, second, "certncentric", "e-2", now)).toBe("taken");
    expect(await countRows("waits", "run_id = ? AND name = 'second'", runId)).toBe(0);
    expect(await claimWait(db, second, "certncentric", "e-3", now)).toBe("lost");

    // An event the run took before claims none of its later waits.
    const third = { runId, name: "third" };
    await open("third");
    expect(await claimWait(db, third, "certncentric", "e-1", now)).toBe("lost");
    expect(await takeForWait(db, third, "certncentric", "e-2", now)).toBe("passed");
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(2);
  });
});
