/**
 * The webhook receivers' scan of open waits, in workerd with real D1: read a page at a time (its
 * memory bounded however many runs wait), and still reaching a matching wait past the first page.
 */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DurableRunParams, Env } from "../../src/worker/env.ts";
import { type WebhookEventPayload, wakeWaitingRuns } from "../../src/worker/routes/webhooks.ts";
import { openWaitsFor, WAITS_PAGE } from "../../src/worker/store/waits.ts";

const db = (poolEnv as unknown as Env).DB as D1Database;

/** A Workflow binding that records the events sent to its instances (no engine needed to count them). */
function recordingRuns(): { runs: Workflow<DurableRunParams>; sent: Array<{ runId: string; type: string }> } {
  const sent: Array<{ runId: string; type: string }> = [];
  const runs = {
    get: async (runId: string) => ({
      sendEvent: async (event: { type: string; payload: WebhookEventPayload }) => {
        sent.push({ runId, type: event.type });
      },
    }),
  } as unknown as Workflow<DurableRunParams>;
  return { runs, sent };
}

describe("open waits", () => {
  it("are read a page at a time, and a webhook still wakes the matching wait past the first page", async () => {
    const now = Date.now();
    const tag = crypto.randomUUID();
    const total = WAITS_PAGE * 2 + 7;
    const insert = db.prepare(
      "INSERT INTO waits (run_id, name, source, match, event_type, created_at, expires_at) VALUES (?, ?, 'certn', ?, ?, ?, ?)",
    );
    const rows = Array.from({ length: total }, (_, index) => {
      // The one that matches sorts last of all.
      const runId = index === total - 1 ? `zzzz-${tag}` : `${tag}-${String(index).padStart(5, "0")}`;
      const caseId = index === total - 1 ? tag : `other-${index}`;
      return insert.bind(
        runId,
        "wait",
        JSON.stringify({ "$.case_id": caseId }),
        `ev-${index}`,
        now,
        now + 60_000,
      );
    });
    for (let start = 0; start < rows.length; start += 100) await db.batch(rows.slice(start, start + 100));

    const first = await openWaitsFor(db, "certn", now);
    expect(first.length).toBeLessThanOrEqual(WAITS_PAGE);
    const last = first[first.length - 1];
    expect(last).toBeDefined();
    const next = await openWaitsFor(db, "certn", now, last);
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((wait) => `${wait.runId}\n${wait.name}` > `${last?.runId}\n${last?.name}`)).toBe(true);

    const { runs, sent } = recordingRuns();
    const woken = await wakeWaitingRuns(
      db,
      runs,
      "certn",
      { eventId: `event-${tag}`, body: { case_id: tag } },
      () => undefined,
    );
    expect(woken).toBe(1);
    expect(sent).toEqual([{ runId: `zzzz-${tag}`, type: `ev-${total - 1}` }]);
  });
});
