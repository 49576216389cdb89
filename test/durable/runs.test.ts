/**
 * Run records and durable runs through the real app, with D1 and the CollectionRun Workflow of
 * workerd: immediate runs recorded, owner isolation, Idempotency-Key, durable runs on Workflows.
 */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type RunResult, toJUnit, toNdjsonLine } from "../../src/runner/index.ts";
import type { Env } from "../../src/worker/env.ts";
import { requestHash } from "../../src/worker/idempotency.ts";
import { MAX_STORED_RESULT_BYTES, storedResultText } from "../../src/worker/run-records.ts";
import { claimIdempotencyKey } from "../../src/worker/store/idempotency-keys.ts";
import { insertRun, isCancelRequested, updateRun } from "../../src/worker/store/runs.ts";
import { ALL_SCOPES_CLAIM, callerToken, createHarness, jsonOf } from "../workers/worker/harness.ts";
import { useDurableDeps } from "./main.ts";

const bindings = poolEnv as unknown as Env;

/** A harness whose app has D1 and the Workflow binding, and whose durable runs use its simulator. */
function durableHarness() {
  const harness = createHarness({ env: { DB: bindings.DB, RUNS: bindings.RUNS } });
  useDurableDeps({
    certnFetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      harness.upstream.push(
        typeof input === "string" ? input : input instanceof URL ? input.href : input.url,
      );
      return harness.sim.fetch(input, init);
    }) as typeof fetch,
    credentials: {
      kind: "client-credentials",
      clientId: harness.sim.credentials.clientId,
      clientSecret: harness.sim.credentials.clientSecret,
    },
  });
  return harness;
}

/** Waits until the run's Workflow instance has ended; its final engine status. */
async function settled(runId: string): Promise<string> {
  const instance = await (bindings.RUNS as Workflow).get(runId);
  for (let tries = 0; tries < 200; tries++) {
    const { status } = await instance.status();
    if (status === "complete" || status === "errored" || status === "terminated") return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return "timed out";
}

const token = (sub: string, scope = ALL_SCOPES_CLAIM) => callerToken({ sub, scope });

describe("run records", () => {
  it("records an immediate run, visible to its owner and runs:admin only", async () => {
    const h = durableHarness();
    const alice = await token("alice");
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST", auth: alice });
    expect(response.status).toBe(200);
    const runId = response.headers.get("x-run-id") ?? "";
    const result = await jsonOf<{ summary: { passed: number } }>(response);

    const own = await h.call(`/runs/${runId}`, { auth: alice });
    expect(own.status).toBe(200);
    const record = await jsonOf<Record<string, unknown>>(own);
    expect(record).toMatchObject({ runId, collection: "certn-smoke", mode: "immediate", status: "passed" });
    expect((record.result as { summary: unknown }).summary).toEqual(result.summary);
    expect((record.progress as { passed: number }).passed).toBe(result.summary.passed);

    const list = await jsonOf<{ runs: Array<{ runId: string }> }>(await h.call("/runs", { auth: alice }));
    expect(list.runs.map((run) => run.runId)).toContain(runId);

    const bob = await token("bob");
    expect((await h.call(`/runs/${runId}`, { auth: bob })).status).toBe(404);
    const bobList = await jsonOf<{ runs: Array<{ runId: string }> }>(await h.call("/runs", { auth: bob }));
    expect(bobList.runs.map((run) => run.runId)).not.toContain(runId);
    const admin = await token("carol", `${ALL_SCOPES_CLAIM} runs:admin`);
    expect((await h.call(`/runs/${runId}`, { auth: admin })).status).toBe(200);
  });

  it("keeps Access service tokens (empty sub) apart by common_name, and refuses a token that names nobody", async () => {
    const h = durableHarness();
    const service = (name: string) => callerToken({ sub: "", common_name: name, scope: ALL_SCOPES_CLAIM });
    const ciA = await service("ci-a.access");
    const ciB = await service("ci-b.access");
    const started = await h.call("/collections/certn-smoke/runs", { method: "POST", auth: ciA });
    expect(started.status).toBe(200);
    const runId = started.headers.get("x-run-id") ?? "";
    expect((await h.call(`/runs/${runId}`, { auth: ciA })).status).toBe(200);
    expect((await h.call(`/runs/${runId}`, { auth: ciB })).status).toBe(404);
    const listB = await jsonOf<{ runs: Array<{ runId: string }> }>(await h.call("/runs", { auth: ciB }));
    expect(listB.runs.map((run) => run.runId)).not.toContain(runId);

    // Without a sub or a common_name every such token would be one owner: refused where records are kept.
    for (const claims of [{ sub: "" }, { sub: undefined }]) {
      const nobody = await callerToken({ ...claims, scope: `${ALL_SCOPES_CLAIM} monitors:read` });
      const sent = h.upstream.length;
      for (const [path, method] of [
        ["/runs", "GET"],
        [`/runs/${runId}`, "GET"],
        ["/monitors", "GET"],
        ["/collections/certn-smoke/runs", "POST"],
      ] as const) {
        const response = await h.call(path, { method, auth: nobody });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(await response.text()).toContain("the token names none");
      }
      expect(h.upstream.length).toBe(sent);
    }
  });

  it("pages GET /runs newest first with a cursor", async () => {
    const h = durableHarness();
    const dana = await token(`dana-${crypto.randomUUID()}`);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await h.call("/collections/certn-smoke/runs", { method: "POST", auth: dana });
      ids.push(response.headers.get("x-run-id") ?? "");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const first = await jsonOf<{ runs: Array<{ runId: string }>; cursor: string | null }>(
      await h.call("/runs?limit=2", { auth: dana }),
    );
    expect(first.runs.map((run) => run.runId)).toEqual([ids[2], ids[1]]);
    expect(first.cursor).not.toBeNull();
    const second = await jsonOf<{ runs: Array<{ runId: string }>; cursor: string | null }>(
      await h.call(`/runs?limit=2&cursor=${first.cursor}`, { auth: dana }),
    );
    expect(second.runs.map((run) => run.runId)).toEqual([ids[0]]);
    expect(second.cursor).toBeNull();
  });

  it("filters GET /runs by collection and status, and names a bad filter", async () => {
    const h = durableHarness();
    const erin = await token(`erin-${crypto.randomUUID()}`);
    const smoke = await h.call("/collections/certn-smoke/runs", { method: "POST", auth: erin });
    const failing = await h.call("/runs", {
      method: "POST",
      auth: erin,
      json: {
        collection: {
          formatVersion: 1,
          name: "always fails",
          items: [
            {
              name: "teams",
              request: { method: "GET", url: "/api/v1/teams/" },
              assert: [{ that: "status", equals: 418 }],
            },
          ],
        },
      },
    });
    const smokeId = smoke.headers.get("x-run-id");
    const failingId = failing.headers.get("x-run-id");
    const list = async (query: string) =>
      (
        await jsonOf<{ runs: Array<{ runId: string; collection: string; status: string }> }>(
          await h.call(`/runs?${query}`, { auth: erin }),
        )
      ).runs;

    const bySmoke = await list("collection=certn-smoke");
    expect(bySmoke.map((run) => run.runId)).toEqual([smokeId]);
    const byFailed = await list("status=failed");
    expect(byFailed.map((run) => run.runId)).toEqual([failingId]);
    expect(await list("collection=certn-smoke&status=failed")).toEqual([]);

    const badStatus = await h.call("/runs?status=finished", { auth: erin });
    expect(badStatus.status).toBe(400);
    expect(JSON.stringify(await badStatus.json())).toContain("/status");
    const badLimit = await h.call("/runs?limit=0", { auth: erin });
    expect(badLimit.status).toBe(400);
    expect(JSON.stringify(await badLimit.json())).toContain("/limit");
  });
});

describe("cancel of an immediate run", () => {
  it("is refused with 409 NOT_CANCELLABLE while it runs, and the run goes on unflagged", async () => {
    // The run's first Certn request is held until the cancel has been answered.
    const base = createHarness({ env: { DB: bindings.DB } });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reached: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const gated = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      if (!url.includes("/token")) {
        reached();
        await held;
      }
      return base.sim.fetch(input, init);
    }) as typeof fetch;
    const h = createHarness({ env: { DB: bindings.DB }, sim: base.sim, app: { certnFetch: gated } });
    const ivy = await token(`ivy-${crypto.randomUUID()}`);
    const answer = h.call("/collections/certn-smoke/runs", { method: "POST", auth: ivy });
    await inFlight;
    const listed = await jsonOf<{ runs: Array<{ runId: string }> }>(
      await h.call("/runs?status=running", { auth: ivy }),
    );
    const runId = listed.runs[0]?.runId ?? "";

    const cancel = await h.call(`/runs/${runId}/cancel`, { method: "POST", auth: ivy });
    expect(cancel.status).toBe(409);
    const refusal = await jsonOf<{ error: { code: string; message: string } }>(cancel);
    expect(refusal.error.code).toBe("NOT_CANCELLABLE");
    expect(refusal.error.message).toContain("only durable runs can be cancelled");
    expect(await isCancelRequested(bindings.DB as D1Database, runId)).toBe(false);

    release();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.headers.get("x-run-id")).toBe(runId);
    await response.text();
    expect((await jsonOf<{ status: string }>(await h.call(`/runs/${runId}`, { auth: ivy }))).status).toBe(
      "passed",
    );
  });
});

describe("GET /runs", () => {
  it("lists a run without reading its stored result", async () => {
    const db = bindings.DB as D1Database;
    const owner = `quinn-${crypto.randomUUID()}`;
    const runId = crypto.randomUUID();
    await insertRun(db, {
      runId,
      owner,
      collection: "ad-hoc",
      mode: "immediate",
      status: "running",
      now: Date.now(),
    });
    // Not JSON: only a read of the whole record could trip on it. A listing shows headers only.
    await updateRun(db, runId, { status: "passed", result: "{not json", now: Date.now() });
    const h = createHarness({ env: { DB: bindings.DB } });
    const response = await h.call("/runs", { auth: await token(owner) });
    expect(response.status).toBe(200);
    const page = await jsonOf<{ runs: Array<Record<string, unknown>> }>(response);
    expect(page.runs).toEqual([
      expect.objectContaining({ runId, collection: "ad-hoc", mode: "immediate", status: "passed" }),
    ]);
    expect(page.runs[0]).not.toHaveProperty("result");
  });
});

describe("Idempotency-Key", () => {
  it("gives back the first run for the same key and body, 422 for another body", async () => {
    const h = durableHarness();
    const auth = await token("erin");
    const key = crypto.randomUUID();
    const send = (json: unknown) =>
      h.call("/collections/certn-smoke/runs", {
        method: "POST",
        auth,
        json,
        headers: { "idempotency-key": key },
      });
    const first = await send({});
    expect(first.status).toBe(200);
    const sentAfterFirst = h.upstream.length;
    const again = await send({});
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("x-run-id")).toBe(first.headers.get("x-run-id"));
    expect(h.upstream.length).toBe(sentAfterFirst);
    const other = await send({ variables: { x: "y" } });
    expect(other.status).toBe(422);
    expect((await jsonOf<{ error: { code: string } }>(other)).error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("starts one run for concurrent duplicates", async () => {
    const h = durableHarness();
    const auth = await token(`frank-${crypto.randomUUID()}`);
    const key = crypto.randomUUID();
    const responses = await Promise.all(
      [0, 1, 2].map(() =>
        h.call("/collections/certn-smoke/runs", {
          method: "POST",
          auth,
          json: {},
          headers: { "idempotency-key": key },
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const list = await jsonOf<{ runs: unknown[] }>(await h.call("/runs", { auth }));
    expect(list.runs).toHaveLength(1);
  });

  /** Claims `key` for `runId` at `now`, as a POST of `{}` to certn-smoke's runs on `h` would have. */
  async function claimSmokeKey(
    h: ReturnType<typeof durableHarness>,
    owner: string,
    key: string,
    runId: string,
    now: number,
  ): Promise<void> {
    // certn-smoke runs with the simulator's client credentials, whose secret keys the digest.
    const secret = h.sim.credentials.clientSecret;
    const bodyHash = await requestHash(
      secret,
      "/collections/certn-smoke/runs",
      new TextEncoder().encode("{}"),
    );
    const db = bindings.DB as D1Database;
    expect(await claimIdempotencyKey(db, { owner, key, bodyHash, runId, now })).toBeUndefined();
  }

  /** A first immediate run of certn-smoke under `key`, recorded as started (still 'running') at `now`. */
  async function startedImmediateRun(
    h: ReturnType<typeof durableHarness>,
    owner: string,
    key: string,
    runId: string,
    now: number,
  ): Promise<void> {
    await claimSmokeKey(h, owner, key, runId, now);
    await insertRun(bindings.DB as D1Database, {
      runId,
      owner,
      collection: "certn-smoke",
      mode: "immediate",
      status: "running",
      now,
    });
  }

  /** The same POST again, with `key`. */
  const postSmoke = (h: ReturnType<typeof durableHarness>, auth: string, key: string) =>
    h.call("/collections/certn-smoke/runs", {
      method: "POST",
      auth,
      json: {},
      headers: { "idempotency-key": key },
    });

  /** A repeat refused as spent, having sent nothing. */
  async function expectSpent(h: ReturnType<typeof durableHarness>, response: Response): Promise<string> {
    expect(response.status).toBe(409);
    expect(response.headers.get("retry-after")).toBeNull();
    const body = await jsonOf<{ error: { code: string; message: string } }>(response);
    expect(body.error.code).toBe("IDEMPOTENCY_KEY_SPENT");
    expect(h.upstream).toEqual([]);
    return body.error.message;
  }

  it("never runs again after a first immediate run that ended without a result, and says so", async () => {
    const h = durableHarness();
    const owner = `hana-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const db = bindings.DB as D1Database;
    // The first run claimed the key, started (it may have ordered) and failed unexpectedly.
    const runId = crypto.randomUUID();
    const startedAt = Date.now();
    await startedImmediateRun(h, owner, key, runId, startedAt);
    await updateRun(db, runId, { status: "errored", now: startedAt + 1 });
    const again = await postSmoke(h, await token(owner), key);
    expect(again.headers.get("location")).toBe(`/runs/${runId}`);
    expect(await expectSpent(h, again)).toContain("errored");
  });

  it("treats a first immediate run still 'running' long past its deadline as ended (its isolate died)", async () => {
    const h = durableHarness();
    const owner = `ivan-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const runId = crypto.randomUUID();
    const startedAt = Date.now() - 2 * 60 * 60 * 1000;
    await startedImmediateRun(h, owner, key, runId, startedAt);
    expect(await expectSpent(h, await postSmoke(h, await token(owner), key))).toContain("stopped");
  });

  it("takes over a claim whose run was never recorded (nothing was sent), once it is 10 minutes old", async () => {
    const h = durableHarness();
    const owner = `jon-${crypto.randomUUID()}`;
    const auth = await token(owner);
    const key = crypto.randomUUID();
    const lost = crypto.randomUUID();
    await claimSmokeKey(h, owner, key, lost, Date.now() - 11 * 60 * 1000);
    const first = await postSmoke(h, auth, key);
    expect(first.status).toBe(200);
    const runId = first.headers.get("x-run-id");
    expect(runId).not.toBe(lost);
    expect(h.upstream.length).toBeGreaterThan(0);
    const sent = h.upstream.length;
    const again = await postSmoke(h, auth, key);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("x-run-id")).toBe(runId);
    expect(h.upstream.length).toBe(sent);
  });

  it("replays the stored result in the format each repeat asks for, whatever the first asked for", async () => {
    const h = durableHarness();
    const auth = await token(`kim-${crypto.randomUUID()}`);
    const key = crypto.randomUUID();
    const send = (accept: string) =>
      h.call("/collections/certn-smoke/runs", {
        method: "POST",
        auth,
        json: {},
        headers: { "idempotency-key": key, accept },
      });
    // The first run streams NDJSON; its last line is the result that was stored.
    const first = await send("application/x-ndjson");
    expect(first.status).toBe(200);
    const lines = (await first.text()).trim().split("\n");
    const last = JSON.parse(lines.at(-1) ?? "") as { type: string; result: RunResult };
    expect(last.type).toBe("result");
    expect(last.result.summary.items).toBeGreaterThan(0);
    const sent = h.upstream.length;
    const formats = [
      ["application/json", "application/json", `${JSON.stringify(last.result)}`],
      ["application/xml", "application/xml", toJUnit(last.result)],
      ["text/xml;q=0.9, application/json;q=0.5", "application/xml", toJUnit(last.result)],
      ["application/x-ndjson", "application/x-ndjson", toNdjsonLine({ type: "result", result: last.result })],
    ] as const;
    for (const [accept, contentType, body] of formats) {
      const again = await send(accept);
      expect(again.status, accept).toBe(200);
      expect(again.headers.get("content-type"), accept).toBe(`${contentType}; charset=utf-8`);
      expect(again.headers.get("idempotent-replayed"), accept).toBe("true");
      expect(again.headers.get("x-run-id"), accept).toBe(first.headers.get("x-run-id"));
      expect(again.headers.get("cache-control"), accept).toBe("no-store");
      expect(await again.text(), accept).toBe(body);
    }
    expect(h.upstream.length).toBe(sent);
  });

  it("replays a result no longer kept as JSON whatever the repeat asks for, as nothing can be rendered", async () => {
    const h = durableHarness();
    const owner = `lee-${crypto.randomUUID()}`;
    const key = crypto.randomUUID();
    const runId = crypto.randomUUID();
    const now = Date.now();
    await startedImmediateRun(h, owner, key, runId, now);
    // Its result went to RESULTS, which this app does not have (the binding was removed).
    const pointer = JSON.stringify({ resultIn: "RESULTS", key: `result:${runId}` });
    await updateRun(bindings.DB as D1Database, runId, { status: "passed", result: pointer, now: now + 1 });
    for (const accept of ["application/xml", "application/x-ndjson"]) {
      const again = await h.call("/collections/certn-smoke/runs", {
        method: "POST",
        auth: await token(owner),
        json: {},
        headers: { "idempotency-key": key, accept },
      });
      expect(again.status, accept).toBe(200);
      expect(again.headers.get("content-type"), accept).toBe("application/json; charset=utf-8");
      expect(await again.json(), accept).toEqual({ resultExpired: true });
    }
    expect(h.upstream).toEqual([]);
  });

  it("refuses a malformed key naming the header", async () => {
    const h = durableHarness();
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      json: {},
      headers: { "idempotency-key": "é" },
    });
    expect(response.status).toBe(400);
    expect((await jsonOf<{ error: { message: string } }>(response)).error.message).toContain(
      "Idempotency-Key",
    );
  });
});

describe("durable runs", () => {
  it("answers 202 with Location and ends passed with the immediate result's shape", async () => {
    const h = durableHarness();
    const auth = await token("gina");
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      auth,
      headers: { prefer: "Respond-Async" },
    });
    expect(response.status).toBe(202);
    const body = await jsonOf<{ runId: string; status: string }>(response);
    expect(body.status).toBe("queued");
    expect(response.headers.get("location")).toBe(`/runs/${body.runId}`);
    expect(await settled(body.runId)).toBe("complete");
    const record = await jsonOf<{
      status: string;
      mode: string;
      result: { summary: { passed: number; items: number } };
    }>(await h.call(`/runs/${body.runId}`, { auth }));
    expect(record.mode).toBe("durable");
    expect(record.status).toBe("passed");
    const immediate = await jsonOf<{ summary: { passed: number; items: number } }>(
      await h.call("/collections/certn-smoke/runs", { method: "POST", auth }),
    );
    expect(record.result.summary.items).toBe(immediate.summary.items);
    expect(record.result.summary.passed).toBe(immediate.summary.passed);
    const events = await (await h.call(`/runs/${body.runId}/events`, { auth })).text();
    const types = events
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types[0]).toBe("run-start");
    expect(types[types.length - 1]).toBe("run-end");
  });
});

describe("a database without the schema", () => {
  it("answers 503 CONFIG_ERROR naming the migrations, not 500", async () => {
    const failing = {
      prepare: () => {
        throw new Error("D1_ERROR: no such table: runs: SQLITE_ERROR");
      },
    } as unknown as D1Database;
    const h = createHarness({ env: { DB: failing } });
    const response = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      auth: await token("nia"),
    });
    expect(response.status).toBe(503);
    const body = await jsonOf<{ error: { code: string; message: string } }>(response);
    expect(body.error.code).toBe("CONFIG_ERROR");
    expect(body.error.message).toContain("migrations apply");
  });
});

describe("results too large for a D1 row", () => {
  it("go to RESULTS and come back whole through GET /runs/:runId", async () => {
    const results = (bindings as unknown as { RESULTS: KVNamespace }).RESULTS;
    const runId = crypto.randomUUID();
    const big = {
      summary: { items: 1, passed: 1, failed: 0, errored: 0, skipped: 0 },
      items: [{ name: "big", status: "passed", note: "x".repeat(MAX_STORED_RESULT_BYTES) }],
    } as unknown as RunResult;
    const text = await storedResultText(big, runId, results);
    expect(text.length).toBeLessThan(200);
    expect(await results.get(`result:${runId}`)).toBe(JSON.stringify(big));
    await insertRun(bindings.DB as D1Database, {
      runId,
      owner: "olga",
      collection: "ad-hoc",
      mode: "immediate",
      status: "running",
      now: Date.now(),
    });
    await updateRun(bindings.DB as D1Database, runId, { status: "passed", result: text, now: Date.now() });
    const h = createHarness({ env: { DB: bindings.DB, RESULTS: results } });
    const view = await jsonOf<{ result: unknown }>(
      await h.call(`/runs/${runId}`, { auth: await token("olga") }),
    );
    expect(view.result).toEqual(big);
    // Without the namespace the row keeps what did not pass.
    const trimmed = JSON.parse(await storedResultText(big, runId, undefined)) as { itemsOmitted: number };
    expect(trimmed.itemsOmitted).toBe(1);
  });
});
