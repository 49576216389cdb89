/**
 * How items end, as the collection format words it, over real HTTP on 127.0.0.1: the implicit
 * status check, unknown variables, the negative operators on nothing, `contains` with a typed
 * template, `length` in characters, a wait that times out and a JSON body nested too deep.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import {
  createWebhookHub,
  parseCollection,
  RunnerErrorCode,
  runCollection,
} from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";
import { type LocalApi, startLocalApi } from "./local-api.ts";

let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({
    "/data": () => ({ body: { count: 3, unicode: "héllo 😀", list: ["a", "b"] } }),
    "/gone": () => ({ status: 404, body: { detail: "Not found." } }),
    "/broken": () => ({ status: 500, body: { state: "ERROR" } }),
    "/echo": (request) => ({
      body: { query: Object.fromEntries(new URL(request.url, api.origin).searchParams) },
    }),
    "/deep": () => ({ body: `${"[".repeat(101)}${"]".repeat(101)}` }),
  });
});

afterAll(() => api.close());

/** Runs items after validating them as a collection (each case is one the validator accepts). */
async function run(items: Item[]) {
  const parsed = parseCollection(collectionOf(items));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return runCollection(parsed.collection, { client: api.client() });
}

describe("the implicit status check", () => {
  it("counts a status assertion in poll.until: polling until a 404 passes", async () => {
    const result = await run([
      {
        name: "wait until deleted",
        auth: "none",
        request: { method: "GET", url: "/gone" },
        poll: { until: [{ that: "status", equals: 404 }], intervalMs: 0, maxAttempts: 2 },
      },
    ]);
    expect(result.items[0]?.status).toBe("passed");
    expect(result.items[0]?.assertions.map((assertion) => assertion.op)).toEqual(["equals"]);
  });

  it("counts one in poll.failIf too, and still applies without any", async () => {
    const result = await run([
      {
        name: "fails only on a 500",
        auth: "none",
        request: { method: "GET", url: "/gone" },
        poll: {
          until: [{ that: "$.detail", exists: true }],
          failIf: [{ that: "status", equals: 500 }],
          intervalMs: 0,
          maxAttempts: 2,
        },
      },
      {
        name: "no status assertion anywhere",
        auth: "none",
        request: { method: "GET", url: "/gone" },
        poll: { until: [{ that: "$.detail", exists: true }], intervalMs: 0, maxAttempts: 2 },
      },
    ]);
    expect(result.items.map((item) => item.status)).toEqual(["passed", "failed"]);
    expect(result.items[1]?.assertions.at(-1)?.op).toBe("implicit-status");
  });
});

describe("a variable an earlier item did not capture", () => {
  it("errors the item that needs it, naming the variable and the item that was to capture it", async () => {
    const result = await run([
      {
        name: "capture misses",
        auth: "none",
        request: { method: "GET", url: "/data" },
        capture: { id: "$.nope" },
      },
      { name: "uses id", auth: "none", request: { method: "GET", url: "/echo/{{id}}" } },
    ]);
    expect(result.items[0]).toMatchObject({
      status: "failed",
      error: { code: RunnerErrorCode.CAPTURE_FAILED },
    });
    const second = result.items[1];
    expect(second).toMatchObject({ status: "errored", error: { code: RunnerErrorCode.UNKNOWN_VARIABLE } });
    expect(second?.error?.message).toContain('"id"');
    expect(second?.error?.message).toContain('"capture misses"');
    expect(second?.skipReason).toBeUndefined();
    expect(result.summary).toMatchObject({ errored: 1, skipped: 0 });
    expect(api.log.some((request) => request.url.startsWith("/echo/"))).toBe(false);
  });
});

describe("operators", () => {
  it("notEquals and notContains pass when the selector selects nothing; exists: true still fails", async () => {
    const result = await run([
      {
        name: "absent field",
        auth: "none",
        request: { method: "GET", url: "/data" },
        assert: [
          { that: "$.error", notEquals: "boom" },
          { that: "$.error", notContains: "boom" },
          { that: "$.list", notContains: "c" },
          { that: "$.list", notEquals: ["a"] },
        ],
      },
      {
        name: "absent and required",
        auth: "none",
        request: { method: "GET", url: "/data" },
        assert: [{ that: "$.error", exists: true }],
      },
    ]);
    expect(result.items[0]?.assertions.map((assertion) => assertion.passed)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(result.items.map((item) => item.status)).toEqual(["passed", "failed"]);
  });

  it("contains compares a string with a typed template's JSON text", async () => {
    const result = await run([
      {
        name: "capture a number",
        auth: "none",
        request: { method: "GET", url: "/data" },
        capture: { n: "$.count" },
      },
      {
        name: "string contains it",
        auth: "none",
        request: { method: "GET", url: "/echo", query: { msg: "there are 3 results", flag: "is true" } },
        assert: [
          { that: "$.query.msg", contains: "{{n}}" },
          { that: "$.query.msg", notContains: 4 },
          { that: "$.query.flag", contains: true },
        ],
      },
    ]);
    expect(result.items[1]?.assertions.map((assertion) => [assertion.expected, assertion.passed])).toEqual([
      [3, true],
      [4, true],
      [true, true],
    ]);
    expect(result.items[1]?.status).toBe("passed");
  });

  it("length counts a string's characters as code points", async () => {
    const result = await run([
      {
        name: "length",
        auth: "none",
        request: { method: "GET", url: "/data" },
        assert: [
          { that: "$.unicode", length: 7 },
          { that: "$.unicode", schema: { minLength: 7, maxLength: 7 } },
          { that: "$[?length(@) == 7]", equals: "héllo 😀" },
        ],
      },
    ]);
    expect(result.items[0]?.assertions.map((assertion) => assertion.passed)).toEqual([true, true, true]);
  });
});

describe("a JSON body nested deeper than 100 levels", () => {
  it("passes a status assertion, and fails each $ selector saying why", async () => {
    const result = await run([
      {
        name: "status only",
        auth: "none",
        request: { method: "GET", url: "/deep" },
        assert: [{ that: "status", equals: 200 }],
      },
      {
        name: "a $ selector",
        auth: "none",
        request: { method: "GET", url: "/deep" },
        assert: [
          { that: "$[0]", exists: true },
          { that: "status", equals: 200 },
        ],
      },
    ]);
    expect(result.items.map((item) => [item.status, item.error])).toEqual([
      ["passed", null],
      ["failed", null],
    ]);
    expect(result.items[1]?.assertions[0]?.message).toContain("nests deeper than 100 levels");
    expect(result.items[1]?.assertions[1]?.passed).toBe(true);
  });
});

describe("a wait that times out", () => {
  it("fails with CERTN_WAIT_TIMEOUT, and the run's deadline still errors it", async () => {
    const wait = (name: string, timeoutMs: number): Item => ({
      name,
      wait: { webhook: "certn", match: { "$.id": "never" }, timeoutMs },
    });
    const hub = createWebhookHub();
    const timedOut = await runCollection(
      collectionOf([
        { name: "ping", auth: "none", request: { method: "GET", url: "/data" } },
        wait("short", 50),
      ]),
      { client: api.client(), webhooks: hub },
    );
    expect(timedOut.items[1]).toMatchObject({
      status: "failed",
      error: { code: RunnerErrorCode.WAIT_TIMEOUT },
    });
    expect(timedOut.items[1]?.error?.message).toContain("within 50 ms");
    expect(timedOut.summary).toMatchObject({ failed: 1, errored: 0 });

    const cut = await runCollection(collectionOf([wait("long", 60_000)]), {
      client: api.client(),
      webhooks: hub,
      deadlineMs: 100,
    });
    expect(cut.items[0]).toMatchObject({ status: "errored", error: { code: RunnerErrorCode.DEADLINE } });
  });
});
