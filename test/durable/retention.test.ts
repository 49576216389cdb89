/**
 * Retention in the real D1 schema: rows past their promised time go, the rest stay, and one call
 * deletes a bounded batch per table.
 */
import { createScheduledController } from "cloudflare:test";
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import { CONSOLE_LOGIN_CODE_TTL_MS } from "../../src/worker/store/console-logins.ts";
import { IDEMPOTENCY_KEY_TTL_MS } from "../../src/worker/store/idempotency-keys.ts";
import { MAX_PRUNED_PER_TABLE, pruneExpired, pruneStatements } from "../../src/worker/store/retention.ts";
import {
  WEBHOOK_EVENT_ID_RETENTION_MS,
  WEBHOOK_EVENT_RETENTION_MS,
} from "../../src/worker/store/webhook-events.ts";
import worker from "./main.ts";

const db = (poolEnv as unknown as Env).DB as D1Database;
const NOW = Date.UTC(2026, 11, 5);
const DAY = 24 * 60 * 60 * 1000;

async function count(table: string, where: string, value: string): Promise<number> {
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .bind(value)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

describe("pruneExpired", () => {
  it("empties event bodies past 7 days and deletes events past 180, keys past 24 hours, long-expired waits and stale console codes, and keeps the rest", async () => {
    const tag = crypto.randomUUID();
    const insertEvent = (id: string, at: number) =>
      db
        .prepare(
          "INSERT INTO webhook_events (source, event_id, received_at, body) VALUES ('certncentric', ?, ?, '{}')",
        )
        .bind(`${tag}-${id}`, at)
        .run();
    await insertEvent("forgotten", NOW - WEBHOOK_EVENT_ID_RETENTION_MS - 1);
    await insertEvent("old", NOW - WEBHOOK_EVENT_RETENTION_MS - 1);
    await insertEvent("kept", NOW - WEBHOOK_EVENT_RETENTION_MS + 60_000);
    const insertKey = (key: string, at: number) =>
      db
        .prepare(
          "INSERT INTO idempotency_keys (owner, key, body_hash, run_id, created_at) VALUES (?, ?, 'h', 'r', ?)",
        )
        .bind(tag, key, at)
        .run();
    await insertKey("old", NOW - IDEMPOTENCY_KEY_TTL_MS - 1);
    await insertKey("kept", NOW - IDEMPOTENCY_KEY_TTL_MS + 60_000);
    const insertWait = (name: string, expiresAt: number) =>
      db
        .prepare(
          "INSERT INTO waits (run_id, name, source, match, event_type, created_at, expires_at) VALUES (?, ?, 'certn', '{}', 't', 0, ?)",
        )
        .bind(tag, name, expiresAt)
        .run();
    await insertWait("long-expired", NOW - 2 * DAY);
    await insertWait("just-expired", NOW - 60_000);
    await insertWait("open", NOW + DAY);

    const insertLogin = (name: string, at: number) =>
      db
        .prepare("INSERT INTO console_logins (code_sha256, spent_at) VALUES (?, ?)")
        .bind(`${tag}-${name}`, at)
        .run();
    await insertLogin("stale", NOW - CONSOLE_LOGIN_CODE_TTL_MS - 1);
    await insertLogin("recent", NOW - CONSOLE_LOGIN_CODE_TTL_MS + 60_000);

    const counts = await pruneExpired(db, NOW);
    expect(counts.webhookEvents).toBeGreaterThanOrEqual(1);
    expect(counts.webhookBodies).toBeGreaterThanOrEqual(1);
    expect(await count("webhook_events", "event_id LIKE ?", `${tag}-%`)).toBe(2);
    expect(await count("webhook_events", "event_id = ? AND body = '{}'", `${tag}-kept`)).toBe(1);
    // Past 7 days only the id is left, to know a repeated delivery.
    expect(await count("webhook_events", "event_id = ? AND body = 'null'", `${tag}-old`)).toBe(1);
    expect(await count("idempotency_keys", "owner = ?", tag)).toBe(1);
    expect(await count("idempotency_keys", "owner = ? AND key = 'kept'", tag)).toBe(1);
    expect(await count("waits", "run_id = ?", tag)).toBe(2);
    expect(await count("waits", "run_id = ? AND name = 'long-expired'", tag)).toBe(0);
    expect(counts.consoleLogins).toBeGreaterThanOrEqual(1);
    expect(await count("console_logins", "code_sha256 LIKE ?", `${tag}-%`)).toBe(1);
    expect(await count("console_logins", "code_sha256 = ?", `${tag}-recent`)).toBe(1);
  });

  it("deletes and empties at most one batch per table per call", async () => {
    const tag = crypto.randomUUID();
    const rows = MAX_PRUNED_PER_TABLE + 5;
    const insert = (name: string, at: number) =>
      Array.from({ length: rows }, (_, i) =>
        db
          .prepare(
            "INSERT INTO webhook_events (source, event_id, received_at, body) VALUES ('certn', ?, ?, '{}')",
          )
          .bind(`${tag}-${name}-${i}`, at),
      );
    await db.batch([...insert("forgotten", NOW - 181 * DAY), ...insert("old", NOW - 8 * DAY)]);
    const first = await pruneExpired(db, NOW);
    expect(first.webhookEvents).toBe(MAX_PRUNED_PER_TABLE);
    expect(first.webhookBodies).toBe(MAX_PRUNED_PER_TABLE);
    await pruneExpired(db, NOW);
    expect(await count("webhook_events", "event_id LIKE ?", `${tag}-forgotten-%`)).toBe(0);
    expect(await count("webhook_events", "event_id LIKE ? AND body = 'null'", `${tag}-old-%`)).toBe(rows);
  });

  it("runs on the Cron Trigger", async () => {
    const tag = crypto.randomUUID();
    await db
      .prepare(
        "INSERT INTO webhook_events (source, event_id, received_at, body) VALUES ('certn', ?, ?, '{}')",
      )
      .bind(tag, NOW - 181 * DAY)
      .run();
    const env = { DB: db } as Env;
    await worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: "*/5 * * * *" }), env);
    expect(await count("webhook_events", "event_id = ?", tag)).toBe(0);
  });
});

describe("the retention sweeps", () => {
  it("each read an index over their time column, not their whole table", async () => {
    for (const { sql } of pruneStatements(NOW)) {
      const plan = await db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(NOW, MAX_PRUNED_PER_TABLE)
        .all<{ detail: string }>();
      const details = plan.results.map((row) => row.detail);
      expect(
        details.some((detail) => /^SEARCH \w+ USING (COVERING )?INDEX/.test(detail)),
        sql,
      ).toBe(true);
      expect(
        details.filter((detail) => detail.startsWith("SCAN")),
        sql,
      ).toEqual([]);
    }
  });
});
