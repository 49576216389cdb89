/**
 * A monitor runs the collection as it was when the monitor was saved: `PUT /monitors/:id` pins
 * the SHA-256 of the collection's stored text, and a fire whose stored collection has another
 * digest starts nothing (start error `COLLECTION_CHANGED`, alerted) until the owner saves the
 * monitor again. Stored collections are shared, so without the pin anyone with
 * `collections:write` could make another caller's monitor run their requests with its owner's
 * sealed secrets (real app, Cron Trigger handler, Workflow, D1 and alert receiver).
 */
import { afterEach, describe, expect, inject, it } from "vitest";
import { resolveRouteDeps } from "../../src/worker/app.ts";
import { BUNDLED_COLLECTIONS } from "../../src/worker/bundled-collections.ts";
import type { CertnCredentials } from "../../src/worker/config.ts";
import type { Env } from "../../src/worker/env.ts";
import { runMonitorTick } from "../../src/worker/monitor-tick.ts";
import {
  callerToken,
  captureConsole,
  captureConsoleForFile,
  createHarness,
  jsonOf,
} from "../workers/worker/harness.ts";
import { bindings, durableHarness, liveRuns, RUN_SCOPES, settled } from "./helpers.ts";
import { FIVE_MINUTES, NOON, received, slotRuns, tick } from "./monitor-helpers.ts";

const MONITOR_SCOPES = `${RUN_SCOPES} monitors:read monitors:write`;
const receiver = inject("alertReceiver").baseUrl;
const mustNotLog: string[] = [];
captureConsoleForFile(mustNotLog);

const db = (): D1Database => bindings.DB as D1Database;

afterEach(async () => {
  await db().prepare("DELETE FROM monitors").run();
});

/** Alice's collection: it sends her secret `teamKey` in a header, to a GET. */
const aliceChecks = {
  formatVersion: 1,
  name: "uses a secret",
  items: [
    {
      name: "List superteams",
      request: { method: "GET", url: "/api/v1/superteams/", headers: { "x-team-filter": "{{teamKey}}" } },
      assert: [{ that: "status", equals: 200 }],
    },
  ],
};

/** Mallory's replacement: the same secret written into Certn, where she can read it back. */
const mallorysSwap = {
  formatVersion: 1,
  name: "uses a secret",
  items: [
    { name: "stash", request: { method: "POST", url: "/api/v1/teams/", json: { name: "leak-{{teamKey}}" } } },
  ],
};

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The start error recorded on each of a monitor's slots, oldest first (null for a started run). */
async function startErrors(owner: string, id: string): Promise<Array<string | null>> {
  const { results } = await db()
    .prepare("SELECT start_error FROM monitor_slots WHERE owner = ? AND monitor_id = ? ORDER BY slot_at")
    .bind(owner, id)
    .all<{ start_error: string | null }>();
  return results.map((row) => row.start_error);
}

type Detail = {
  collectionSha256: string | null;
  lastRuns: Array<{ runId: string; status: string; startError?: string }>;
};

describe("a monitor pinned to its collection", () => {
  it("does not run a stored collection another caller replaced: COLLECTION_CHANGED, alerted, until saved again", async () => {
    const h = durableHarness({ loopbackAlerts: true });
    const alice = `alice-${crypto.randomUUID()}`;
    const aliceAuth = await callerToken({ sub: alice, scope: MONITOR_SCOPES });
    const mallory = await callerToken({
      sub: `mallory-${crypto.randomUUID()}`,
      scope: "collections:write runs:saved",
    });
    const collection = `alice-checks-${crypto.randomUUID().slice(0, 8)}`;
    const secret = `ALICE-SECRET-${crypto.randomUUID()}`;
    const alertKey = crypto.randomUUID();
    mustNotLog.push(secret);
    const putCollection = async (auth: string, value: unknown) => {
      const response = await h.call(`/collections/${collection}`, { method: "PUT", auth, json: value });
      expect(response.status).toBeLessThan(300);
    };
    const saveMonitor = () =>
      h.call("/monitors/secretmon", {
        method: "PUT",
        auth: aliceAuth,
        json: {
          collection,
          schedule: "*/5 * * * *",
          inputs: { secrets: { teamKey: secret } },
          alert: { url: `${receiver}/ok/${alertKey}`, on: "failure" },
        },
      });
    const detail = async () => jsonOf<Detail>(await h.call("/monitors/secretmon", { auth: aliceAuth }));

    await putCollection(aliceAuth, aliceChecks);
    expect((await saveMonitor()).status).toBe(201);
    // The pin is the SHA-256 of the collection's text as stored.
    const stored = (await bindings.COLLECTIONS.get(`collection:v1:${collection}`)) ?? "";
    expect((await detail()).collectionSha256).toBe(await sha256Hex(stored));

    // Mallory (collections:write, no monitor scope) replaces the shared collection.
    await putCollection(mallory, mallorysSwap);
    await tick(NOON);
    const [refused] = await slotRuns(alice, "secretmon");
    expect(await startErrors(alice, "secretmon")).toEqual(["COLLECTION_CHANGED"]);
    expect(h.upstream.filter((url) => new URL(url).pathname === "/api/v1/teams/")).toEqual([]);
    expect((await h.call(`/runs/${refused}`, { auth: aliceAuth })).status).toBe(404);
    expect((await detail()).lastRuns).toEqual([
      expect.objectContaining({ runId: refused, status: "errored", startError: "COLLECTION_CHANGED" }),
    ]);
    const alerts = await received(alertKey);
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]?.body ?? "{}")).toMatchObject({
      monitor: "secretmon",
      runId: refused,
      status: "errored",
      startError: "COLLECTION_CHANGED",
    });

    // The same text again is the same collection: the monitor runs.
    await putCollection(aliceAuth, aliceChecks);
    await tick(NOON + FIVE_MINUTES);
    const restored = (await slotRuns(alice, "secretmon"))[1] ?? "";
    expect(await settled(restored)).toBe("complete");
    expect((await startErrors(alice, "secretmon"))[1]).toBeNull();

    // A change the owner wants: refused until she saves the monitor again, which pins the new text.
    const changed = { ...aliceChecks, name: "uses a secret, renamed" };
    await putCollection(aliceAuth, changed);
    await tick(NOON + 2 * FIVE_MINUTES);
    expect((await startErrors(alice, "secretmon"))[2]).toBe("COLLECTION_CHANGED");
    const before = (await detail()).collectionSha256;
    expect((await saveMonitor()).status).toBe(200);
    const after = (await detail()).collectionSha256;
    expect(after).not.toBe(before);
    expect(after).toBe(
      await sha256Hex((await bindings.COLLECTIONS.get(`collection:v1:${collection}`)) ?? ""),
    );
    await tick(NOON + 3 * FIVE_MINUTES);
    const resaved = (await slotRuns(alice, "secretmon"))[3] ?? "";
    expect(await settled(resaved)).toBe("complete");
    expect(await startErrors(alice, "secretmon")).toEqual([
      "COLLECTION_CHANGED",
      null,
      "COLLECTION_CHANGED",
      null,
    ]);
  });

  it("runs a monitor saved before the pin existed as before, and pins it at its next save", async () => {
    const h = durableHarness();
    const owner = `legacy-${crypto.randomUUID()}`;
    const auth = await callerToken({ sub: owner, scope: MONITOR_SCOPES });
    const collection = `legacy-${crypto.randomUUID().slice(0, 8)}`;
    expect((await h.call(`/collections/${collection}`, { method: "PUT", json: aliceChecks })).status).toBe(
      201,
    );
    const body = { collection, schedule: "*/5 * * * *", inputs: { secrets: { teamKey: "k" } } };
    expect((await h.call("/monitors/old", { method: "PUT", auth, json: body })).status).toBe(201);
    // As a row written before migrations/0008 holds it.
    await db().prepare("UPDATE monitors SET collection_sha256 = NULL WHERE owner = ?").bind(owner).run();
    expect((await jsonOf<Detail>(await h.call("/monitors/old", { auth }))).collectionSha256).toBeNull();
    const renamed = { ...aliceChecks, name: "changed since" };
    expect((await h.call(`/collections/${collection}`, { method: "PUT", json: renamed })).status).toBe(200);
    const capture = captureConsole();
    try {
      await tick(NOON);
    } finally {
      capture.restore();
    }
    const [runId] = await slotRuns(owner, "old");
    expect(await settled(runId ?? "")).toBe("complete");
    expect(await startErrors(owner, "old")).toEqual([null]);
    expect(capture.lines.join("\n")).toContain("monitor collection not pinned");

    expect((await h.call("/monitors/old", { method: "PUT", auth, json: body })).status).toBe(200);
    expect((await jsonOf<Detail>(await h.call("/monitors/old", { auth }))).collectionSha256).toMatch(
      /^[0-9a-f]{64}$/,
    );
    expect((await h.call(`/collections/${collection}`, { method: "PUT", json: aliceChecks })).status).toBe(
      200,
    );
    await tick(NOON + FIVE_MINUTES);
    expect(await startErrors(owner, "old")).toEqual([null, "COLLECTION_CHANGED"]);
  });

  it("runs a bundled collection as deployed, and refuses a stored one found under its id once it is gone", async () => {
    const h = durableHarness();
    const credentials: CertnCredentials = {
      kind: "client-credentials",
      clientId: h.sim.credentials.clientId,
      clientSecret: h.sim.credentials.clientSecret,
    };
    const id = `fleeting-${crypto.randomUUID().slice(0, 8)}`;
    const bundled = (value: unknown) => ({ ...BUNDLED_COLLECTIONS, [id]: value });
    // A stored collection of that id, from before a deploy bundled one (the API cannot write it now).
    await bindings.COLLECTIONS.put(`collection:v1:${id}`, JSON.stringify(mallorysSwap));
    const app = createHarness({
      sim: h.sim,
      env: { DB: bindings.DB, RUNS: bindings.RUNS },
      app: { credentials, bundledCollections: bundled(aliceChecks) },
    });
    const owner = `bundled-${crypto.randomUUID()}`;
    const auth = await callerToken({ sub: owner, scope: MONITOR_SCOPES });
    const body = { collection: id, schedule: "*/5 * * * *", inputs: { secrets: { teamKey: "k" } } };
    expect((await app.call("/monitors/deployed", { method: "PUT", auth, json: body })).status).toBe(201);
    const pinned = (await jsonOf<Detail>(await app.call("/monitors/deployed", { auth }))).collectionSha256;
    expect(pinned).toBe(await sha256Hex(JSON.stringify(aliceChecks)));

    const env = {
      DB: bindings.DB,
      RUNS: liveRuns(),
      COLLECTIONS: bindings.COLLECTIONS,
      TOKEN_CACHE: bindings.TOKEN_CACHE,
    } as Env;
    const tickWith = (value: unknown | undefined, at: number) =>
      runMonitorTick(
        env,
        at,
        resolveRouteDeps({
          certnFetch: h.sim.fetch as typeof fetch,
          credentials,
          bundledCollections: value === undefined ? BUNDLED_COLLECTIONS : bundled(value),
        }),
      );
    // A deploy changed the bundled collection: deployed code is run as deployed.
    const redeployed = await tickWith({ ...aliceChecks, name: "redeployed" }, NOON);
    expect(redeployed).toMatchObject({ started: 1, failed: 0 });
    expect(await settled((await slotRuns(owner, "deployed"))[0] ?? "")).toBe("complete");
    // A deploy removed it: the stored collection under its id is not what the monitor was saved with.
    const removed = await tickWith(undefined, NOON + FIVE_MINUTES);
    expect(removed).toMatchObject({ started: 0, failed: 1 });
    expect(await startErrors(owner, "deployed")).toEqual([null, "COLLECTION_CHANGED"]);
    expect(h.upstream.filter((url) => new URL(url).pathname === "/api/v1/teams/")).toEqual([]);
  });
});
