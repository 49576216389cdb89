/**
 * The cool-down after a refused fresh token, over real HTTP on 127.0.0.1 (docs/client.md, "A
 * refused fresh token"): when the token obtained by the refresh after a 401 gets a 401 too, no new
 * token is requested for 5 minutes, but each call still sends its request once with the last
 * token. An API that recovered answers it, which ends the cool-down; one that still refuses it
 * fails the call with `CERTN_AUTH_TOKEN_REFUSED`, and the token endpoint hears nothing more.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCertnClient, isCertnAuthError, isCertnHttpError } from "../../../src/index.ts";
import { type ScriptedServer, sendJson, startScriptedServer } from "./scripted-server.ts";

const TOKEN_PREFIX = "tok-refused-";
let issued = 0;
/** How many more API requests get a 401 before the API recovers. */
let refusals = 0;
let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer(() => (request, response) => {
    if (request.url === "/token/") {
      issued += 1;
      sendJson(response, 200, { access_token: `${TOKEN_PREFIX}${issued}`, expires_in: 36_000 });
      return;
    }
    if (refusals > 0) {
      refusals -= 1;
      sendJson(response, 401, { detail: "Authentication credentials were not provided." });
      return;
    }
    sendJson(response, 200, { count: 0, next: null, previous: null, results: [] });
  });
});

beforeEach(() => {
  server.log.length = 0;
});

afterAll(() => server.close());

/** The requests since the test began, as `METHOD path [token]`. */
function seen(): string[] {
  return server.log.map((request) => {
    const token = request.headers.authorization?.replace(/^Bearer /, "");
    return `${request.method} ${request.url}${request.url === "/token/" ? "" : ` ${token}`}`;
  });
}

/** A client whose clock the test moves. */
function clientWithClock() {
  const clock = { t: Date.UTC(2026, 10, 28) };
  const client = createCertnClient({
    clientId: "refused-client",
    clientSecret: "refused-secret",
    baseUrl: server.origin,
    now: () => clock.t,
  });
  return { client, clock };
}

/** Resolves to "ok", the status of an HTTP error, or an auth error's code. */
const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => "ok",
    (error: unknown) =>
      isCertnAuthError(error) ? error.code : isCertnHttpError(error) ? String(error.status) : String(error),
  );

describe("a refused fresh token", () => {
  it("is sent once by the next call, which succeeds once the API recovered, and ends the cool-down", async () => {
    issued = 0;
    const { client, clock } = clientWithClock();
    refusals = 2;
    // The replay's 401 is returned as it is; the cool-down begins.
    expect(await outcome(client.users.list())).toBe("401");
    // The API recovered: no new token, the last one is sent once, and it works.
    clock.t += 1_000;
    expect(await outcome(client.users.list())).toBe("ok");
    expect(seen()).toEqual([
      "POST /token/",
      "GET /api/v1/users/ tok-refused-1",
      "POST /token/",
      "GET /api/v1/users/ tok-refused-2",
      "GET /api/v1/users/ tok-refused-2",
    ]);
    // The cool-down is over: a later 401 refreshes and replays again, as any 401 does.
    refusals = 1;
    expect(await outcome(client.users.list())).toBe("ok");
    expect(seen().slice(5)).toEqual([
      "GET /api/v1/users/ tok-refused-2",
      "POST /token/",
      "GET /api/v1/users/ tok-refused-3",
    ]);
    expect(await client.getAccessToken()).toBe("tok-refused-3");
  });

  it("fails a call whose one request is refused again, requesting no token, until the cool-down ends", async () => {
    issued = 0;
    const { client, clock } = clientWithClock();
    refusals = 1_000;
    expect(await outcome(client.users.list())).toBe("401");
    for (let call = 0; call < 3; call++) {
      clock.t += 60_000;
      expect(await outcome(client.users.list())).toBe("CERTN_AUTH_TOKEN_REFUSED");
    }
    // No token handed out while refused: getAccessToken sends nothing.
    expect(await outcome(client.getAccessToken())).toBe("CERTN_AUTH_TOKEN_REFUSED");
    expect(seen().filter((line) => line === "POST /token/")).toHaveLength(2);
    expect(seen().slice(4)).toEqual([
      "GET /api/v1/users/ tok-refused-2",
      "GET /api/v1/users/ tok-refused-2",
      "GET /api/v1/users/ tok-refused-2",
    ]);
    // Five minutes after the refusal a token is requested again.
    clock.t += 2 * 60_000 + 1;
    refusals = 0;
    expect(await outcome(client.users.list())).toBe("ok");
    expect(seen().slice(7)).toEqual(["POST /token/", "GET /api/v1/users/ tok-refused-3"]);
  });

  it("is sent once for a token provider too, and a success ends the cool-down", async () => {
    const asked: boolean[] = [];
    let next = 0;
    const client = createCertnClient({
      tokenProvider: async ({ forceRefresh }) => {
        asked.push(forceRefresh);
        if (forceRefresh || next === 0) next += 1;
        return `${TOKEN_PREFIX}provided-${next}`;
      },
      baseUrl: server.origin,
    });
    refusals = 2;
    expect(await outcome(client.users.list())).toBe("401");
    expect(await outcome(client.users.list())).toBe("ok");
    expect(asked.filter((forced) => forced)).toHaveLength(1);
    refusals = 1;
    expect(await outcome(client.users.list())).toBe("ok");
    expect(asked.filter((forced) => forced)).toHaveLength(2);
  });
});
