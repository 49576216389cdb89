/**
 * The webhook receivers' scan of open waits, in workerd with real D1: read a page at a time (its
 * memory bounded however many runs wait), and still reaching a matching wait past the first page.
 */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { DurableRunParams, Env } from "../../src/worker/env.ts";
import { type WebhookEventPayload, wakeWaitingRuns } from "../../src/worker/routes/webhooks.ts";
import { openWait, openWaitsFor, WAITS_PAGE } from "../../src/worker/store/waits.ts";
import { EventComparison, matchKey, storedMatch, storedMatchText } from "../../src/worker/wait-match.ts";

const bindings = poolEnv as unknown as Env;
const db = bindings.DB as D1Database;

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

    const first = await openWaitsFor(db, "certn", now, `event-${tag}`);
    expect(first.length).toBeLessThanOrEqual(WAITS_PAGE);
    const last = first[first.length - 1];
    expect(last).toBeDefined();
    const next = await openWaitsFor(db, "certn", now, `event-${tag}`, last);
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((wait) => `${wait.runId}\n${wait.name}` > `${last?.runId}\n${last?.name}`)).toBe(true);

    const { runs, sent } = recordingRuns();
    // Rows written before matches were stored with digests hold every value in clear: still read.
    const body = { case_id: tag };
    const comparison = new EventComparison(body, await matchKey(bindings, "certn"));
    const handOff = await wakeWaitingRuns(
      db,
      runs,
      "certn",
      { eventId: `event-${tag}`, body, comparison },
      () => undefined,
    );
    expect(handOff).toEqual({ woken: 1, failed: 0 });
    expect(sent).toEqual([{ runId: `zzzz-${tag}`, type: `ev-${total - 1}` }]);
  });

  it("keep a secret or personal match value as a keyed digest, which only the webhook's key wakes", async () => {
    const now = Date.now();
    const runId = `keyed-${crypto.randomUUID()}`;
    const reference = `ref-${crypto.randomUUID()}`;
    const wait = {
      webhook: "certncentric" as const,
      match: { "$.object_id": reference, "$.event_type": "CASE_STATUS_CHANGED" },
      // As the runner shows it: the secret masked, the status as it is.
      shown: { "$.object_id": "[secret]", "$.event_type": "CASE_STATUS_CHANGED" },
    };
    const key = await matchKey(bindings, "certncentric");
    await openWait(db, {
      runId,
      name: "wait",
      source: "certncentric",
      match: await storedMatch(wait, key),
      eventType: "ev-keyed",
      createdAt: now,
      expiresAt: now + 60_000,
    });
    const row = await db
      .prepare("SELECT match FROM waits WHERE run_id = ?")
      .bind(runId)
      .first<{ match: string }>();
    expect(row?.match).toContain("CASE_STATUS_CHANGED");
    expect(row?.match).not.toContain(reference);

    const body = { object_id: reference, event_type: "CASE_STATUS_CHANGED" };
    const other = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const wake = async (payload: typeof body, with_: CryptoKey) => {
      const { runs, sent } = recordingRuns();
      const eventId = crypto.randomUUID();
      const comparison = new EventComparison(payload, with_);
      await wakeWaitingRuns(
        db,
        runs,
        "certncentric",
        { eventId, body: payload, comparison },
        () => undefined,
      );
      return sent.filter((entry) => entry.runId === runId).length;
    };
    expect(await wake({ ...body, object_id: "ref-other" }, key)).toBe(0);
    expect(await wake({ ...body, event_type: "CASE_REPORT_READY" }, key)).toBe(0);
    expect(await wake(body, other as CryptoKey)).toBe(0);
    expect(await wake(body, key)).toBe(1);
  });

  it("keep a match with nothing secret as the plain object earlier versions read", async () => {
    const key = await matchKey(bindings, "certn");
    const plain = { webhook: "certn" as const, match: { "$.id": "a-1" }, shown: { "$.id": "a-1" } };
    expect(storedMatchText(await storedMatch(plain, key))).toBe('{"$.id":"a-1"}');
    const secret = { ...plain, shown: { "$.id": "[secret]" } };
    expect(JSON.parse(storedMatchText(await storedMatch(secret, key)))).toEqual({
      clear: {},
      keyed: { "$.id": expect.any(String) },
    });
  });

  it("digest each selected value once per delivery, however many keyed waits compare it", async () => {
    const key = await matchKey(bindings, "certncentric");
    const waits = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        storedMatch(
          {
            webhook: "certncentric",
            match: { "$.object_id": `ref-${index}`, "$['object_id']": `ref-${index}` },
            shown: { "$.object_id": "[secret]", "$['object_id']": "[secret]" },
          },
          key,
        ),
      ),
    );
    const signs = vi.spyOn(crypto.subtle, "sign");
    let matched: boolean[];
    let signed: number;
    try {
      const comparison = new EventComparison({ object_id: "ref-49" }, key);
      matched = await Promise.all(waits.map((stored) => comparison.matches(stored)));
      signed = signs.mock.calls.length;
    } finally {
      signs.mockRestore();
    }
    expect(matched.filter(Boolean)).toHaveLength(1);
    expect(matched[49]).toBe(true);
    // One value, selected by two spellings in 50 waits: signed once, not 100 times.
    expect(signed).toBe(1);
  });
});

describe("one delivery's matching", () => {
  it("reads each selected node once for all the waits, and never walks the event for a costly selector", async () => {
    const now = Date.now();
    const tag = crypto.randomUUID();
    // Rows as a version before singular selectors could leave them, sorted first: never evaluated.
    const costly = Object.fromEntries(
      Array.from({ length: 16 }, (_, index) => [`$.records[?$..n || @.n == ${index}].n`, "x"]),
    );
    const insert = db.prepare(
      "INSERT INTO waits (run_id, name, source, match, event_type, created_at, expires_at) VALUES (?, 'wait', 'certn', ?, 'ev', ?, ?)",
    );
    const row = (index: number, match: Record<string, string>) =>
      insert.bind(`${tag}-${String(index).padStart(4, "0")}`, JSON.stringify(match), now, now + 60_000);
    const rows = [
      ...Array.from({ length: 50 }, (_, index) => row(index, costly)),
      // 300 waits selecting the whole record list (its JSON text compared), then the one that matches.
      ...Array.from({ length: 300 }, (_, index) => row(50 + index, { "$.records": "[]", "$.case_id": tag })),
      row(999, { "$.case_id": tag }),
    ];
    for (let start = 0; start < rows.length; start += 100) await db.batch(rows.slice(start, start + 100));
    // Each record counts the times it is read: the work, without timing it.
    let reads = 0;
    const records = Array.from(
      { length: 2_000 },
      (_, n) =>
        new Proxy(
          { n },
          {
            get(target, key, receiver) {
              reads += 1;
              return Reflect.get(target, key, receiver);
            },
            ownKeys(target) {
              reads += 1;
              return Reflect.ownKeys(target);
            },
          },
        ),
    );
    const { runs, sent } = recordingRuns();
    const body = { case_id: tag, records };
    const comparison = new EventComparison(body, await matchKey(bindings, "certn"));
    const handOff = await wakeWaitingRuns(
      db,
      runs,
      "certn",
      { eventId: `event-${tag}`, body, comparison },
      () => undefined,
    );
    expect(handOff.woken).toBe(1);
    expect(sent.map((entry) => entry.runId)).toEqual([`${tag}-0999`]);
    // The list's text was written once (a few reads a record), not once per wait (300 times), and
    // the filters that walked the event for each record (300 million reads) never ran.
    expect(reads).toBeLessThan(10 * records.length);
  });
});
