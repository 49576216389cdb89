/**
 * `monitors:admin`: list, read and delete another caller's monitors (an ended contractor's keep
 * running as them otherwise), never granted by RUNNER_DEFAULT_SCOPES (real app, D1, Cron Trigger).
 */
import { afterEach, describe, expect, it } from "vitest";
import { callerToken, captureConsoleForFile, jsonOf } from "../workers/worker/harness.ts";
import { bindings, durableHarness, RUN_SCOPES, settled } from "./helpers.ts";
import { NOON, slotRuns, tick } from "./monitor-helpers.ts";

captureConsoleForFile();

const MONITOR_SCOPES = `${RUN_SCOPES} monitors:read monitors:write`;

afterEach(async () => {
  await (bindings.DB as D1Database).prepare("DELETE FROM monitors").run();
});

type Listing = {
  monitors: Array<{ owner?: string; id: string; collection: string }>;
  cursor?: string | null;
};

describe("monitors:admin", () => {
  it("lists, reads and deletes another owner's monitor, which then no longer runs", async () => {
    const h = durableHarness();
    const contractor = `contractor-${crypto.randomUUID()}`;
    const theirs = await callerToken({ sub: contractor, scope: MONITOR_SCOPES });
    const body = { collection: "certn-smoke", schedule: "*/5 * * * *" };
    for (const id of ["nightly", "hourly"]) {
      expect((await h.call(`/monitors/${id}`, { method: "PUT", auth: theirs, json: body })).status).toBe(201);
    }
    const admin = await callerToken({ sub: `admin-${crypto.randomUUID()}`, scope: "monitors:admin" });
    const owner = encodeURIComponent(contractor);

    const listed = await h.call(`/monitors?owner=${owner}`, { auth: admin });
    expect(listed.status).toBe(200);
    expect((await jsonOf<Listing>(listed)).monitors.map((monitor) => [monitor.owner, monitor.id])).toEqual([
      [contractor, "hourly"],
      [contractor, "nightly"],
    ]);
    const all = await jsonOf<Listing>(await h.call("/monitors?all=true", { auth: admin }));
    expect(
      all.monitors.filter((monitor) => monitor.owner === contractor).map((monitor) => monitor.id),
    ).toEqual(["hourly", "nightly"]);
    expect(all.cursor).toBeNull();
    const detail = await h.call(`/monitors/nightly?owner=${owner}`, { auth: admin });
    expect(detail.status).toBe(200);
    expect(await jsonOf(detail)).toMatchObject({ owner: contractor, id: "nightly", lastRuns: [] });

    expect((await h.call(`/monitors/nightly?owner=${owner}`, { method: "DELETE", auth: admin })).status).toBe(
      204,
    );
    expect((await h.call("/monitors/nightly", { auth: theirs })).status).toBe(404);
    expect((await h.call(`/monitors/nightly?owner=${owner}`, { method: "DELETE", auth: admin })).status).toBe(
      404,
    );
    // The admin's own monitors are not the contractor's: no ?owner, no admin action.
    expect((await h.call("/monitors/hourly", { method: "DELETE", auth: admin })).status).toBe(403);
    await tick(NOON);
    expect(await slotRuns(contractor, "nightly")).toEqual([]);
    const [hourly] = await slotRuns(contractor, "hourly");
    expect(await settled(hourly ?? "")).toBe("complete");
  });

  it("pages every owner's monitors with a cursor", async () => {
    const h = durableHarness();
    const db = bindings.DB as D1Database;
    const insert = db.prepare(
      "INSERT INTO monitors (owner, id, collection, schedule, inputs, alert, created_at, updated_at) VALUES (?, ?, 'certn-smoke', '@daily', 'x', NULL, 0, 0)",
    );
    const owners = ["o-a", "o-b", "o-c"].map((name) => `${name}-${crypto.randomUUID()}`);
    const rows = owners.flatMap((owner) =>
      Array.from({ length: 90 }, (_, index) => insert.bind(owner, `m${index}`)),
    );
    for (let start = 0; start < rows.length; start += 50) await db.batch(rows.slice(start, start + 50));
    const admin = await callerToken({ sub: "admin", scope: "monitors:admin" });
    const seen: string[] = [];
    let cursor: string | null | undefined;
    for (let page = 0; page < 5; page++) {
      const query = cursor === undefined || cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const listing = await jsonOf<Listing>(await h.call(`/monitors?all=true${query}`, { auth: admin }));
      seen.push(...listing.monitors.map((monitor) => `${monitor.owner}/${monitor.id}`));
      cursor = listing.cursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toHaveLength(270);
    expect(new Set(seen).size).toBe(270);
    expect((await h.call("/monitors?all=true&cursor=not-a-cursor", { auth: admin })).status).toBe(400);
  });

  it("is needed for ?owner= and ?all=, is not monitors:read or :write, and PUT takes no owner", async () => {
    const h = durableHarness();
    const victim = `victim-${crypto.randomUUID()}`;
    const body = { collection: "certn-smoke", schedule: "@daily" };
    const theirs = await callerToken({ sub: victim, scope: MONITOR_SCOPES });
    expect((await h.call("/monitors/daily", { method: "PUT", auth: theirs, json: body })).status).toBe(201);
    const other = await callerToken({ sub: `other-${crypto.randomUUID()}`, scope: MONITOR_SCOPES });
    const owner = encodeURIComponent(victim);
    for (const [method, path] of [
      ["GET", `/monitors?owner=${owner}`],
      ["GET", "/monitors?all=true"],
      ["GET", `/monitors/daily?owner=${owner}`],
      ["DELETE", `/monitors/daily?owner=${owner}`],
    ] as const) {
      const response = await h.call(path, { method, auth: other });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(JSON.stringify(await response.json())).toContain("monitors:admin");
    }
    expect((await h.call("/monitors/daily", { auth: theirs })).status).toBe(200);
    // An admin cannot save a monitor as someone else: it would run as them.
    const admin = await callerToken({ sub: "admin", scope: `${MONITOR_SCOPES} monitors:admin` });
    const put = await h.call(`/monitors/daily?owner=${owner}`, { method: "PUT", auth: admin, json: body });
    expect(put.status).toBe(400);
    // Scope-less tokens never get it, whatever RUNNER_DEFAULT_SCOPES says.
    h.env.RUNNER_DEFAULT_SCOPES = "*";
    const scopeless = await callerToken({ sub: "access-user", scope: undefined });
    expect(
      (await h.call(`/monitors/daily?owner=${owner}`, { method: "DELETE", auth: scopeless })).status,
    ).toBe(403);
    h.env.RUNNER_DEFAULT_SCOPES = "monitors:admin";
    expect((await h.call(`/monitors?owner=${owner}`, { auth: scopeless })).status).toBe(503);
    expect((await h.call("/monitors/daily", { auth: theirs })).status).toBe(503);
  });
});
