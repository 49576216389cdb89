/**
 * A token refused right after it was issued (a 401 on the replay after a refresh): the credential
 * itself is likely refused, so the client requests no token for a cool-down instead of one token
 * request per call. Each call still sends its request once, with the last token (a 2xx would end
 * the cool-down: test/node/client/refused-token-recovery.test.ts), and fails with
 * `CERTN_AUTH_TOKEN_REFUSED` when that gets a 401 again.
 */
import { describe, expect, it } from "vitest";
import { tokenStoreKey } from "../../../src/auth/token-key.ts";
import { REFUSED_TOKEN_COOLDOWN_MS } from "../../../src/auth/token-refusals.ts";
import type { Item } from "../../../src/collection/model.ts";
import {
  CertnErrorCode,
  createCertnClient,
  createMemoryTokenStore,
  isCertnAuthError,
  type StoredToken,
} from "../../../src/index.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import {
  BASE,
  CLIENT_SECRET,
  fakeClock,
  fakeFetch,
  json,
  makeClient,
  rejectionOf,
  withTokens,
} from "./harness.ts";

const users = () => new Request(`${BASE}/api/v1/users/`);
const refused = () => json(401, { detail: "Authentication credentials were not provided." });
/** The `Authorization` header of each request. */
const authorizations = (requests: { headers: Headers }[]) =>
  requests.map((request) => request.headers.get("authorization"));

function expectRefusedFast(error: unknown): void {
  expect(isCertnAuthError(error)).toBe(true);
  expect((error as { code: string }).code).toBe(CertnErrorCode.AUTH_TOKEN_REFUSED);
}

describe("a freshly issued token refused", () => {
  it("costs two token requests however many calls follow; each later call sends once with the last token", async () => {
    const { client, server } = makeClient(withTokens(refused));
    const first = await client.send(users());
    // The call that found out still returns its 401 (send never throws on a status).
    expect(first.status).toBe(401);
    for (let i = 0; i < 38; i++) expectRefusedFast(await rejectionOf(client.send(users())));
    expectRefusedFast(await rejectionOf(client.request("GET", "/api/v1/teams/")));
    // getAccessToken hands out no refused token and requests none: it fails at once.
    expectRefusedFast(await rejectionOf(client.getAccessToken()));
    expect(server.tokens()).toHaveLength(2);
    // The first call's request and its replay, then exactly one request per later call (no
    // replay), each with the refused token: no token request between them.
    expect(authorizations(server.api())).toEqual([
      "Bearer tok-1",
      "Bearer tok-2",
      ...Array(39).fill("Bearer tok-2"),
    ]);
  });

  it("enters the state once for many parallel calls refused together", async () => {
    const { client, server } = makeClient(withTokens(refused));
    const responses = await Promise.all(Array.from({ length: 10 }, () => client.send(users())));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(401));
    expectRefusedFast(await rejectionOf(client.send(users())));
    expect(server.tokens()).toHaveLength(2);
    // Ten requests with tok-1, ten replays with tok-2 (one shared refresh), then the next call's
    // one request with tok-2: refused, it fails the call without a refresh.
    expect(server.api()).toHaveLength(21);
    expect(authorizations(server.api()).sort()).toEqual([
      ...Array(10).fill("Bearer tok-1"),
      ...Array(11).fill("Bearer tok-2"),
    ]);
    expect(server.api()[20]?.headers.get("authorization")).toBe("Bearer tok-2");
  });

  it("requests a token again after the cool-down, and works once the credential is fixed", async () => {
    let fixed = false;
    const { client, server, clock } = makeClient(
      withTokens((request) =>
        fixed && request.headers.get("authorization") === "Bearer tok-3" ? json(200, {}) : refused(),
      ),
    );
    expect((await client.send(users())).status).toBe(401);
    clock.advance(REFUSED_TOKEN_COOLDOWN_MS - 1);
    expectRefusedFast(await rejectionOf(client.send(users())));
    expect(server.tokens()).toHaveLength(2);
    fixed = true;
    clock.advance(1);
    expect((await client.send(users())).status).toBe(200);
    expect(server.tokens()).toHaveLength(3);
  });

  it("ends early when the shared store holds a token nobody refused (obtained elsewhere)", async () => {
    const store = createMemoryTokenStore();
    const clock = fakeClock();
    const good = "tok-from-another-isolate";
    const server = fakeFetch(
      withTokens((request) =>
        request.headers.get("authorization") === `Bearer ${good}` ? json(200, {}) : refused(),
      ),
    );
    const client = createCertnClient({
      clientId: "test-client-id",
      clientSecret: CLIENT_SECRET,
      baseUrl: BASE,
      fetch: server.fetch,
      now: clock.now,
      sleep: clock.sleep,
      tokenStore: store,
    });
    expect((await client.send(users())).status).toBe(401);
    expectRefusedFast(await rejectionOf(client.send(users())));
    // Another client with working credentials wrote its token under the same key.
    const token: StoredToken = { accessToken: good, expiresAt: clock.t + 3_600_000, obtainedAt: clock.t };
    await store.set(await tokenStoreKey(BASE, "test-client-id"), token);
    expect((await client.send(users())).status).toBe(200);
    expect(server.tokens()).toHaveLength(2);
  });

  it("says what to check, and shows no token or secret", async () => {
    const { client } = makeClient(withTokens(refused));
    await client.send(users());
    const error = (await rejectionOf(client.send(users()))) as Error;
    expect(error.message).toMatch(/refused an access token obtained moments ago/);
    expect(error.message).toMatch(/no new token is requested for 300 s/);
    for (const text of [error.message, String(error), JSON.stringify(error), error.stack ?? ""]) {
      expect(text).not.toMatch(/tok-\d/);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  it("does not begin after a 401 that the refresh fixed", async () => {
    const { client, server } = makeClient(
      withTokens((request) =>
        request.headers.get("authorization") === "Bearer tok-1" ? refused() : json(200, {}),
      ),
    );
    expect((await client.send(users())).status).toBe(200);
    expect((await client.send(users())).status).toBe(200);
    expect(server.tokens()).toHaveLength(2);
  });

  it("keeps a token provider from refreshing for every call; a different token ends the state", async () => {
    const clock = fakeClock();
    const asked: boolean[] = [];
    let handOut = "old";
    const server = fakeFetch((request) =>
      request.headers.get("authorization") === "Bearer good" ? json(200, {}) : refused(),
    );
    const client = createCertnClient({
      tokenProvider: async ({ forceRefresh }) => {
        asked.push(forceRefresh);
        if (forceRefresh) handOut = "new";
        return handOut;
      },
      fetch: server.fetch,
      now: clock.now,
    });
    expect((await client.send(users())).status).toBe(401);
    for (let i = 0; i < 5; i++) expectRefusedFast(await rejectionOf(client.send(users())));
    // Asked to refresh once only: each later call sends the refused token once, without a refresh.
    expect(asked.filter(Boolean)).toHaveLength(1);
    expect(authorizations(server.seen)).toEqual(["Bearer old", "Bearer new", ...Array(5).fill("Bearer new")]);
    handOut = "good";
    expect((await client.send(users())).status).toBe(200);
    expect(asked.filter(Boolean)).toHaveLength(1);
    expect(authorizations(server.seen).slice(7)).toEqual(["Bearer good"]);
  });

  it("in a run against the simulator: 39 refused items cost 2 token requests and 40 API requests", async () => {
    const sim = createCertnSimulator();
    const apiAuthorizations: (string | null)[] = [];
    const client = createCertnClient({
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname !== "/token/") {
          apiAuthorizations.push(request.headers.get("authorization"));
        }
        return sim.fetch(request);
      },
      now: () => sim.clock.now(),
    });
    // The token endpoint issues tokens, and the API refuses every one of them.
    sim.inject(
      (_request, route) => route !== "POST /token/",
      Array.from({ length: 100 }, () => ({ status: 401, body: { detail: "Invalid token." } })),
    );
    const items: Item[] = Array.from({ length: 39 }, (_, i) => ({
      name: `item ${i + 1}`,
      request: { method: "GET", url: "/api/v1/users/" },
    }));
    const result = await runCollection({ formatVersion: 1, name: "refused", items }, { client });
    expect(sim.tokenRequests).toBe(2);
    // The first item's request and its replay, then one request per later item.
    expect(apiAuthorizations).toHaveLength(40);
    // Every request after the first carries the second token, the one refused on the replay.
    expect(new Set(apiAuthorizations.slice(1)).size).toBe(1);
    expect(apiAuthorizations[1]).not.toBe(apiAuthorizations[0]);
    expect(result.items[0]?.status).toBe("failed");
    expect(result.items.slice(1).map((item) => item.error?.code)).toEqual(
      Array(38).fill(CertnErrorCode.AUTH_TOKEN_REFUSED),
    );
  });
});
