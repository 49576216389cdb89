/**
 * Requests that may order a paid check are never sent twice after an ambiguous failure, over real
 * HTTP on 127.0.0.1: the upgrade of an application (`PUT .../packages/`, certn-api.md §3.2) after a
 * 500, a reset connection or a timeout, in the client and in a collection run; a POST answered
 * 503 with `Retry-After`. A 429 (answered before anything is processed) is still retried, and so
 * are GETs and DELETEs; `retryNonIdempotent: true` still opts a call in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient, isCertnError } from "../../../src/index.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";
import {
  type ScriptedHandler,
  type ScriptedServer,
  sendJson,
  startScriptedServer,
} from "./scripted-server.ts";

const APPLICANT = "123e4567-e89b-12d3-a456-426614174000";
const UPGRADE = `/api/v1/hr/applicants/${APPLICANT}/packages/`;

/** How the API part of the server fails: every request to it gets this. */
let failure: ScriptedHandler = (_request, response) => sendJson(response, 500, { detail: "Server error" });
let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer(() => (request, response) => {
    if (request.url === "/token/") {
      sendJson(response, 200, { access_token: "tok-order-retry", token_type: "Bearer", expires_in: 36_000 });
      return;
    }
    return failure(request, response);
  });
});

afterAll(() => server.close());

function client() {
  return createCertnClient({
    clientId: "order-retry-client",
    clientSecret: "order-retry-secret",
    baseUrl: server.origin,
    timeoutMs: 300,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
  });
}

/** The requests to `path` made by `run`, whatever it resolved or rejected with. */
async function sentTo(path: string, run: () => Promise<unknown>): Promise<number> {
  const before = server.requests(path).length;
  await run().catch(() => undefined);
  return server.requests(path).length - before;
}

const failures: [string, ScriptedHandler][] = [
  ["a 500", (_request, response) => sendJson(response, 500, { detail: "Server error" })],
  ["a 503", (_request, response) => sendJson(response, 503, { detail: "Service unavailable." })],
  ["a reset connection", (_request, response) => response.socket?.destroy()],
  ["a timeout", (_request, response) => void setTimeout(() => sendJson(response, 200, {}), 800)],
];

describe("an upgrade (PUT), which orders checks", () => {
  it.each(failures)("is sent once after %s", async (_name, answer) => {
    failure = answer;
    const body = { request_equifax: true };
    expect(await sentTo(UPGRADE, () => client().hr.applications.upgrade(APPLICANT, body))).toBe(1);
  });

  it("is sent once by a collection run after a 500", async () => {
    failure = (_request, response) => sendJson(response, 500, { detail: "Server error" });
    const collection = collectionOf([
      { name: "upgrade", request: { method: "PUT", url: UPGRADE, json: { request_equifax: true } } },
    ]);
    let status: number | undefined;
    const sent = await sentTo(UPGRADE, async () => {
      status = (await runCollection(collection, { client: client(), rateLimit: false })).items[0]?.response
        ?.status;
    });
    expect(status).toBe(500);
    expect(sent).toBe(1);
  });

  it("is retried after a 500 when the call opts in with retryNonIdempotent", async () => {
    failure = (_request, response) => sendJson(response, 500, { detail: "Server error" });
    const sent = await sentTo(UPGRADE, () =>
      client().hr.applications.upgrade(
        APPLICANT,
        { request_equifax: true },
        { send: { retry: { retryNonIdempotent: true } } },
      ),
    );
    expect(sent).toBe(3);
  });

  it("is retried after a 429, answered before anything is processed", async () => {
    failure = (_request, response) => sendJson(response, 429, { detail: "Request was throttled." });
    expect(await sentTo(UPGRADE, () => client().hr.applications.upgrade(APPLICANT, {}))).toBe(3);
  });
});

describe("a POST that may order", () => {
  it("is sent once after a 503 with Retry-After", async () => {
    failure = (_request, response) =>
      sendJson(response, 503, { detail: "Service temporarily unavailable." }, { "Retry-After": "0" });
    const path = "/api/v1/hr/applications/quick/";
    let error: unknown;
    const sent = await sentTo(path, () =>
      client()
        .hr.applications.quick({ request_softcheck: true } as never)
        .catch((reason: unknown) => {
          error = reason;
        }),
    );
    expect(sent).toBe(1);
    expect(isCertnError(error) && error.status).toBe(503);
  });

  it("is retried after a 429", async () => {
    failure = (_request, response) =>
      sendJson(response, 429, { detail: "Request was throttled." }, { "Retry-After": "0" });
    const path = "/api/v1/hr/applications/quick/";
    expect(await sentTo(path, () => client().hr.applications.quick({} as never))).toBe(3);
  });
});

describe("methods that order nothing", () => {
  it.each(["GET", "DELETE"])("%s is still retried after a 500", async (method) => {
    failure = (_request, response) => sendJson(response, 500, { detail: "Server error" });
    const path = `/api/v1/teams/${method.toLowerCase()}/`;
    expect(await sentTo(path, () => client().request(method, path))).toBe(3);
  });
});
