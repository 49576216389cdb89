/**
 * A wait's look at stored events in the real D1 schema: oldest first among the newest kept, none
 * the run took, and the bodies read a page at a time, so a take that stops at its first match
 * holds one page of bodies (each up to 256 KB) however many events are stored.
 */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { EVENTS_PAGE, untakenEvents } from "../../src/worker/store/webhook-events.ts";

const db = (poolEnv as unknown as Env).DB as D1Database;
const NOW = Date.UTC(2026, 11, 6);

/** `db`, counting the stored bodies its answers carry. */
function countingBodies(inner: D1Database): { db: D1Database; bodies: () => number } {
  let bodies = 0;
  const wrap = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get(target, key) {
        if (key === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        if (key === "all")
          return async () => {
            const answer = await target.all<Record<string, unknown>>();
            bodies += answer.results.filter((row) => "body" in row).length;
            return answer;
          };
        const value = Reflect.get(target, key);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const db = new Proxy(inner, {
    get(target, key) {
      if (key === "prepare") return (query: string) => wrap(target.prepare(query));
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, bodies: () => bodies };
}

describe("untakenEvents", () => {
  it("gives the untaken events oldest first, and reads one page of bodies to find an early match", async () => {
    const tag = crypto.randomUUID();
    const runId = `run-${tag}`;
    const stored = 200;
    for (let index = 0; index < stored; index += 1) {
      await db
        .prepare(
          "INSERT INTO webhook_events (source, event_id, received_at, body) VALUES ('certncentric', ?, ?, ?)",
        )
        .bind(`${tag}-${String(index).padStart(3, "0")}`, NOW - 1000 + index, JSON.stringify({ index, tag }))
        .run();
    }
    await db
      .prepare(
        "INSERT INTO webhook_takes (run_id, source, event_id, taken_at) VALUES (?, 'certncentric', ?, ?)",
      )
      .bind(runId, `${tag}-000`, NOW)
      .run();

    const all: number[] = [];
    for await (const event of untakenEvents(db, "certncentric", runId, NOW)) {
      if ((event.body as { tag?: string }).tag === tag) all.push((event.body as { index: number }).index);
    }
    expect(all).toEqual(Array.from({ length: stored - 1 }, (_, index) => index + 1));

    const counting = countingBodies(db);
    let found: unknown;
    for await (const event of untakenEvents(counting.db, "certncentric", runId, NOW)) {
      if ((event.body as { index?: number; tag?: string }).tag === tag) {
        found = event.body;
        break;
      }
    }
    expect(found).toEqual({ index: 1, tag });
    expect(counting.bodies()).toBeLessThanOrEqual(EVENTS_PAGE);
  });
});
