/**
 * `GET /runs` reads an index in its own order for every caller: a `runs:admin` caller's listing of
 * every owner's runs (no owner filter) included, whose page read the whole runs table and sorted
 * it in a temporary B-tree before migration 0009 (records are kept, so that grew forever).
 */
import { describe, expect, it } from "vitest";
import { listRuns, listRunsStatement, type RunQuery } from "../../src/worker/store/runs.ts";
import { callerToken } from "../workers/worker/harness.ts";
import { bindings, durableHarness } from "./helpers.ts";

const db = (): D1Database => bindings.DB as D1Database;

/** What EXPLAIN QUERY PLAN says of the listing's statement for `query`. */
async function planOf(query: RunQuery): Promise<string[]> {
  const { sql, values } = listRunsStatement(query);
  const plan = await db()
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...values)
    .all<{ detail: string }>();
  return plan.results.map((row) => row.detail);
}

describe("the run listing's query plans", () => {
  const after = { createdAt: 5_000, runId: "m" };
  const queries: Array<[string, RunQuery, string]> = [
    ["every owner's runs", { owner: undefined, limit: 50 }, "runs_top_by_time"],
    ["every owner's runs, next page", { owner: undefined, limit: 50, after }, "runs_top_by_time"],
    [
      "every owner's runs of a collection",
      { owner: undefined, collection: "c", limit: 50 },
      "runs_top_by_time",
    ],
    ["every owner's failed runs", { owner: undefined, status: "failed", limit: 50 }, "runs_top_by_time"],
    ["a caller's runs", { owner: "alice", limit: 50, after }, "runs_top_by_owner"],
    ["a fan-out's children", { owner: undefined, parent: "p", limit: 50, after }, "runs_children_by_time"],
  ];
  for (const [what, query, index] of queries) {
    it(`reads ${index} for ${what}, with no sort of its own`, async () => {
      const details = await planOf(query);
      expect(details.filter((detail) => detail.includes("TEMP B-TREE"))).toEqual([]);
      expect(details.some((detail) => detail.includes(`USING INDEX ${index}`))).toBe(true);
      expect(details.filter((detail) => /^SCAN runs(?! USING)/.test(detail))).toEqual([]);
    });
  }

  it("reads about one page of rows for an admin's page, however many runs are recorded", async () => {
    const insert = db().prepare(
      "INSERT INTO runs (run_id, owner, collection, mode, status, created_at, updated_at, progress) VALUES (?, ?, 'c', 'immediate', 'passed', ?, ?, '{}')",
    );
    const total = 5_000;
    const statements = Array.from({ length: total }, (_, i) =>
      insert.bind(`listing-${crypto.randomUUID()}`, `owner-${i % 100}`, 1_000 + i, 1_000 + i),
    );
    for (let i = 0; i < statements.length; i += 1000) await db().batch(statements.slice(i, i + 1000));
    const { sql, values } = listRunsStatement({ owner: undefined, limit: 50 });
    const page = await db()
      .prepare(sql)
      .bind(...values)
      .all();
    expect(page.results).toHaveLength(51);
    expect(page.meta.rows_read).toBeLessThan(200);
    // The route answers the same listing.
    expect(await listRuns(db(), { owner: undefined, limit: 50 })).toHaveLength(51);
    const h = durableHarness();
    const admin = await callerToken({ sub: "admin", scope: "runs:admin" });
    expect((await h.call("/runs?limit=50", { auth: admin })).status).toBe(200);
  }, 60_000);
});
