import { describe, expect, it } from "vitest";
import { tokenStoreKey } from "../../../src/auth/token-key.ts";
import { MAX_TOKEN_RESPONSE_BYTES } from "../../../src/auth/token-request.ts";
import { base64ToUtf8 } from "../../../src/core/base64.ts";
import {
  CertnErrorCode,
  createCertnClient,
  isCertnAuthError,
  isCertnError,
  isCertnResponseError,
  type StoredToken,
  type TokenStore,
} from "../../../src/index.ts";
import {
  BASE,
  CLIENT_ID,
  CLIENT_SECRET,
  fakeClock,
  fakeFetch,
  json,
  makeClient,
  rejectionOf,
  tokenResponse,
  withTokens,
} from "./harness.ts";

const ok = () => json(200, { ok: true });

describe("token request", () => {
  it("is a form POST to /token/ with a UTF-8 Basic credential", async () => {
    const { client, server } = makeClient(withTokens(ok), { clientId: "clïent", clientSecret: "sécret✓" });
    expect(await client.getAccessToken()).toBe("tok-1");
    const [request] = server.tokens();
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(`${BASE}/token/`);
    expect(request?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    expect(request?.body).toBe("grant_type=client_credentials");
    expect(request?.redirect).toBe("manual");
    const auth = request?.headers.get("authorization") ?? "";
    expect(auth.startsWith("Basic ")).toBe(true);
    // certn-api.md §2.1: base64(<client_id>:<client_secret>), the values as they are, Base64 over
    // their UTF-8 bytes (no form-urlencoding: the id has no ":").
    const utf8 = new TextEncoder().encode("clïent:sécret✓");
    expect(auth).toBe(`Basic ${btoa(String.fromCharCode(...utf8))}`);
    expect(base64ToUtf8(auth.slice(6))).toBe("clïent:sécret✓");
  });

  it("computes expiresAt from the time just before sending", async () => {
    const clock = fakeClock();
    const start = clock.t;
    const writes: StoredToken[] = [];
    const store: TokenStore = {
      get: async () => undefined,
      set: async (_key, token) => {
        writes.push(token);
      },
      delete: async () => undefined,
    };
    const server = fakeFetch(async () => {
      clock.advance(5_000); // the response takes 5 s
      return tokenResponse(1, 3600);
    });
    const client = createCertnClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      fetch: server.fetch,
      now: clock.now,
      sleep: clock.sleep,
      tokenStore: store,
    });
    await client.getAccessToken();
    expect(writes).toHaveLength(1);
    expect(writes[0]?.expiresAt).toBe(start + 3_600_000);
  });

  it("shares one token request among 50 concurrent callers on a cold cache", async () => {
    const { client, server } = makeClient(withTokens(ok));
    const tokens = await Promise.all(Array.from({ length: 50 }, () => client.getAccessToken()));
    expect(server.tokens()).toHaveLength(1);
    expect(new Set(tokens)).toEqual(new Set(["tok-1"]));
  });

  it("serves a cached token without network and refreshes inside the margin", async () => {
    const { client, server, clock } = makeClient(withTokens(ok));
    await client.getAccessToken();
    // 36000 s lifetime: margin = max(5 min, 1% = 360 s) = 360 s.
    clock.advance(36_000_000 - 361_000);
    expect(await client.getAccessToken()).toBe("tok-1");
    expect(server.tokens()).toHaveLength(1);
    clock.advance(2_000);
    expect(await client.getAccessToken()).toBe("tok-2");
    expect(server.tokens()).toHaveLength(2);
  });

  it("attaches the token in hand to each send until the refresh margin, then a fresh one", async () => {
    // Sends take the held token without waiting on the authorizer: the margin must hold there too.
    const { client, server, clock } = makeClient(withTokens(ok));
    const send = () => client.send(new Request(`${BASE}/api/v1/teams/`));
    await send();
    await send();
    clock.advance(36_000_000 - 361_000);
    await send();
    expect(server.tokens()).toHaveLength(1);
    clock.advance(2_000);
    await send();
    expect(server.tokens()).toHaveLength(2);
    expect(server.api().map((r) => r.headers.get("authorization"))).toEqual([
      "Bearer tok-1",
      "Bearer tok-1",
      "Bearer tok-1",
      "Bearer tok-2",
    ]);
  });

  it.each([
    ["missing", undefined, 3600],
    ["non-numeric", "soon", 3600],
    ["absurd", 1e12, 86_400],
    ["above the cap", 200_000, 86_400],
    ["numeric string", "7200", 7200],
  ])("expires_in %s is cached for a bounded time", async (_name, expiresIn, expectedS) => {
    const writes: StoredToken[] = [];
    const store: TokenStore = {
      get: async () => undefined,
      set: async (_k, token) => {
        writes.push(token);
      },
      delete: async () => undefined,
    };
    const { client, clock } = makeClient(
      (r) => (r.path === "/token/" ? json(200, { access_token: "t", expires_in: expiresIn }) : ok()),
      { tokenStore: store },
    );
    const start = clock.t;
    await client.getAccessToken();
    expect(writes).toHaveLength(1);
    expect(writes[0]?.expiresAt).toBe(start + expectedS * 1000);
  });

  it.each([
    ["zero", 0],
    ["negative", -5],
    ["a negative string", "-5"],
  ])(
    "expires_in %s is a token already expired: it serves the call that asked, and is not cached",
    async (_name, expiresIn) => {
      const writes: StoredToken[] = [];
      const store: TokenStore = {
        get: async () => undefined,
        set: async (_k, token) => {
          writes.push(token);
        },
        delete: async () => undefined,
      };
      const { client, server } = makeClient(
        (r) =>
          r.path === "/token/" ? tokenResponse(server.tokens().length, expiresIn) : json(200, { ok: true }),
        { tokenStore: store },
      );
      const send = () => client.send(new Request(`${BASE}/api/v1/teams/`));
      expect((await send()).status).toBe(200);
      expect((await send()).status).toBe(200);
      expect(await client.getAccessToken()).toBe("tok-3");
      // A token request for each call, each token used once, nothing written to the store.
      expect(server.tokens()).toHaveLength(3);
      expect(server.api().map((r) => r.headers.get("authorization"))).toEqual([
        "Bearer tok-1",
        "Bearer tok-2",
      ]);
      expect(writes).toEqual([]);
    },
  );

  it("never refreshes earlier than half the lifetime (short tokens)", async () => {
    // 60 s lifetime: max(5 min, 0.6 s) = 5 min, capped at 30 s.
    const { client, server, clock } = makeClient((r) =>
      r.path === "/token/" ? tokenResponse(server.tokens().length, 60) : ok(),
    );
    await client.getAccessToken();
    clock.advance(29_000);
    await client.getAccessToken();
    expect(server.tokens()).toHaveLength(1);
    clock.advance(2_000);
    await client.getAccessToken();
    expect(server.tokens()).toHaveLength(2);
  });

  it("fails with a CertnResponseError naming access_token and stores nothing", async () => {
    const writes: unknown[] = [];
    const store: TokenStore = {
      get: async () => undefined,
      set: async (_k, v) => {
        writes.push(v);
      },
      delete: async () => undefined,
    };
    const { client } = makeClient((r) => (r.path === "/token/" ? json(200, { expires_in: 36000 }) : ok()), {
      tokenStore: store,
    });
    const error = await rejectionOf(client.getAccessToken());
    expect(isCertnResponseError(error)).toBe(true);
    expect((error as Error).message).toContain("access_token");
    expect(writes).toEqual([]);
  });

  it.each([400, 401])("does not retry a %i from /token/ and throws CertnAuthError", async (status) => {
    const { client, server } = makeClient((r) =>
      r.path === "/token/" ? json(status, { error: "invalid_client" }) : ok(),
    );
    const error = await rejectionOf(client.getAccessToken());
    expect(isCertnAuthError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(CertnErrorCode.AUTH_REFUSED);
    expect((error as Error).message).toContain("invalid_client");
    expect(server.tokens()).toHaveLength(1);
  });

  it.each([429, 500, 502, 503])("retries a %i from /token/ within the policy", async (status) => {
    const { client, server } = makeClient((r, i) =>
      r.path === "/token/" ? (i < 2 ? json(status, { detail: "busy" }) : tokenResponse(1)) : ok(),
    );
    expect(await client.getAccessToken()).toBe("tok-1");
    expect(server.tokens()).toHaveLength(3);
  });

  it("retries a network error from /token/, then gives up after the policy's retries", async () => {
    const { client, server } = makeClient(() => Promise.reject(new TypeError("connection reset")), {
      retry: { retries: 2 },
    });
    const error = await rejectionOf(client.getAccessToken());
    expect((error as { code: string }).code).toBe(CertnErrorCode.NETWORK);
    expect(server.tokens()).toHaveLength(3);
  });

  it("reads at most 64 KiB of a token response (a caller cannot cap the token request)", async () => {
    const padding = "x".repeat(MAX_TOKEN_RESPONSE_BYTES);
    const { client } = makeClient(() => json(200, { access_token: "t", expires_in: 3600, padding }));
    const error = await rejectionOf(client.getAccessToken());
    expect((error as { code?: string }).code).toBe(CertnErrorCode.RESPONSE_TOO_LARGE);
    // Just under the cap is read as usual.
    const fits = "x".repeat(MAX_TOKEN_RESPONSE_BYTES - 100);
    const { client: small } = makeClient(() => json(200, { access_token: "t2", expires_in: 3600, fits }));
    await expect(small.getAccessToken()).resolves.toBe("t2");
  });

  it("turns a 410 from /token/ into CERTN_API_RETIRED pointing at CertnCentric", async () => {
    const { client } = makeClient((r) => (r.path === "/token/" ? json(410, { detail: "Gone" }) : ok()));
    const error = await rejectionOf(client.getAccessToken());
    expect(isCertnAuthError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(CertnErrorCode.API_RETIRED);
    expect((error as Error).message).toContain("apiKeyScheme: 'Api-Key'");
    expect((error as Error).message).toContain("https://api.sandbox.certn.co");
  });

  it("shares a failed token request with every waiter; the next call tries again after >= 1 s", async () => {
    let fail = true;
    const { client, server, clock } = makeClient(
      (r) =>
        r.path === "/token/" ? (fail ? json(401, { error: "invalid_client" }) : tokenResponse(7)) : ok(),
      { retry: { retries: 0 } },
    );
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.getAccessToken()));
    expect(server.tokens()).toHaveLength(1);
    const reasons = results.map((r) => (r.status === "rejected" ? r.reason : undefined));
    expect(reasons.every((reason) => reason === reasons[0] && isCertnAuthError(reason))).toBe(true);
    fail = false;
    const sleptBefore = clock.sleeps.length;
    expect(await client.getAccessToken()).toBe("tok-7");
    expect(server.tokens()).toHaveLength(2);
    expect(clock.sleeps.slice(sleptBefore)).toEqual([1000]);
  });

  it("does not wait again when the failure is older than a second", async () => {
    let fail = true;
    const { client, clock } = makeClient(
      (r) => (r.path === "/token/" ? (fail ? json(401, {}) : tokenResponse(1)) : ok()),
      { retry: { retries: 0 } },
    );
    await rejectionOf(client.getAccessToken());
    fail = false;
    clock.advance(1_500);
    await client.getAccessToken();
    expect(clock.sleeps).toEqual([]);
  });
});

describe("token store", () => {
  it("keys by base URL and a hash of the client id, never the secret", async () => {
    const keys: string[] = [];
    const store: TokenStore = {
      get: async (k) => {
        keys.push(k);
        return undefined;
      },
      set: async (k) => {
        keys.push(k);
      },
      delete: async () => undefined,
    };
    const { client } = makeClient(withTokens(ok), { tokenStore: store });
    await client.getAccessToken();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toContain(BASE);
      expect(key).not.toContain(CLIENT_SECRET);
      expect(key).not.toContain(CLIENT_ID);
      expect(key).not.toContain("tok-1");
      expect(key).toBe(await tokenStoreKey(BASE, CLIENT_ID));
    }
    expect(await tokenStoreKey(BASE, "other")).not.toBe(keys[0]);
  });

  it("uses a valid stored token without a token request", async () => {
    const clock = fakeClock();
    const stored: StoredToken = { accessToken: "from-store", expiresAt: clock.t + 3_600_000 };
    const store: TokenStore = {
      get: async () => stored,
      set: async () => undefined,
      delete: async () => undefined,
    };
    const { client, server } = makeClient(ok, { tokenStore: store, now: clock.now });
    expect(await client.getAccessToken()).toBe("from-store");
    expect(server.tokens()).toHaveLength(0);
  });

  it("ignores a stored token inside its refresh margin or of the wrong shape", async () => {
    const clock = fakeClock();
    for (const stored of [
      { accessToken: "stale", expiresAt: clock.t + 60_000 },
      { accessToken: 42, expiresAt: clock.t + 3_600_000 },
      { accessToken: "no-expiry" },
    ]) {
      const store = {
        get: async () => stored as unknown as StoredToken,
        set: async () => undefined,
        delete: async () => undefined,
      };
      const { client, server } = makeClient(withTokens(ok), { tokenStore: store, now: clock.now });
      expect(await client.getAccessToken()).toBe("tok-1");
      expect(server.tokens()).toHaveLength(1);
    }
  });

  it("still succeeds when the store throws on get", async () => {
    const store: TokenStore = {
      get: async () => {
        throw new Error("KV down");
      },
      set: async () => undefined,
      delete: async () => undefined,
    };
    const { client } = makeClient(withTokens(ok), { tokenStore: store });
    expect(await client.request("GET", "/api/v1/users/")).toEqual({ ok: true });
  });

  it("still succeeds when the store throws on set (KV 429)", async () => {
    const store: TokenStore = {
      get: async () => undefined,
      set: async () => {
        throw new Error("429 Too Many Requests");
      },
      delete: async () => {
        throw new Error("KV down");
      },
    };
    const { client, server } = makeClient(withTokens(ok), { tokenStore: store });
    expect(await client.request("GET", "/api/v1/users/")).toEqual({ ok: true });
    expect(await client.request("GET", "/api/v1/users/")).toEqual({ ok: true });
    expect(server.tokens()).toHaveLength(1);
  });

  it("keeps the default store per client instance", async () => {
    const a = makeClient(withTokens(ok));
    const b = makeClient(withTokens(ok));
    await a.client.getAccessToken();
    await b.client.getAccessToken();
    expect(a.server.tokens()).toHaveLength(1);
    expect(b.server.tokens()).toHaveLength(1);
  });

  it("never reads back from the store the token that just got a 401", async () => {
    const clock = fakeClock();
    const entries = new Map<string, StoredToken>();
    // A store that ignores deletes, like an eventually consistent KV.
    const store: TokenStore = {
      get: async (k) => entries.get(k),
      set: async (k, v) => {
        entries.set(k, v);
      },
      delete: async () => undefined,
    };
    const key = await tokenStoreKey(BASE, CLIENT_ID);
    entries.set(key, { accessToken: "stale", expiresAt: clock.t + 3_600_000 });
    const { client, server } = makeClient(
      withTokens((r) => (r.headers.get("authorization") === "Bearer stale" ? json(401, {}) : ok())),
      { tokenStore: store, now: clock.now },
    );
    expect(await client.request("GET", "/api/v1/users/")).toEqual({ ok: true });
    expect(server.tokens()).toHaveLength(1);
    expect(server.api().map((r) => r.headers.get("authorization"))).toEqual(["Bearer stale", "Bearer tok-1"]);
  });
});

describe("other credentials", () => {
  it("sends an Api-Key credential and defaults to the CertnCentric sandbox", async () => {
    const server = fakeFetch(() => json(200, {}));
    const client = createCertnClient({ apiKey: "sk_test_abc", apiKeyScheme: "Api-Key", fetch: server.fetch });
    expect(client.baseUrl).toBe("https://api.sandbox.certn.co");
    await client.request("GET", "/api/public/cases/");
    expect(server.seen[0]?.headers.get("authorization")).toBe("Api-Key sk_test_abc");
    expect(server.tokens()).toHaveLength(0);
  });

  it("returns a 401 for an API key without refreshing or replaying", async () => {
    const server = fakeFetch(() => json(401, { detail: "Invalid token." }));
    const client = createCertnClient({ apiKey: "k", fetch: server.fetch });
    const response = await client.send(new Request(`${BASE}/api/v2/teams/`));
    expect(response.status).toBe(401);
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]?.headers.get("authorization")).toBe("Bearer k");
  });

  it("asks a token provider again after a 401 and replays with the new token", async () => {
    const calls: boolean[] = [];
    const server = fakeFetch((r) =>
      r.headers.get("authorization") === "Bearer old" ? json(401, {}) : json(200, {}),
    );
    const client = createCertnClient({
      tokenProvider: async ({ forceRefresh }) => {
        calls.push(forceRefresh);
        return forceRefresh ? "new" : calls.length > 1 ? "new" : "old";
      },
      fetch: server.fetch,
    });
    const response = await client.send(new Request(`${BASE}/api/v1/users/`));
    expect(response.status).toBe(200);
    expect(calls).toEqual([false, true, false]);
    expect(server.seen.map((r) => r.headers.get("authorization"))).toEqual(["Bearer old", "Bearer new"]);
  });

  it("asks the provider afresh after a 401 even while a plain provider call is in flight", async () => {
    // That plain call may hand back the very token just refused: joining it, the refresh would
    // see no new token and return the 401 without a replay.
    const calls: boolean[] = [];
    let held = "old";
    let releasePlain: (token: string) => void = () => undefined;
    let secondPlainStarted: () => void = () => undefined;
    const plainPending = new Promise<void>((resolve) => {
      secondPlainStarted = resolve;
    });
    const server = fakeFetch(async (r) => {
      if (r.headers.get("authorization") !== "Bearer old") return json(200, {});
      await plainPending;
      return json(401, {});
    });
    const client = createCertnClient({
      // Plain calls: the first gives the old token, the second is slow and gives it too (read
      // before the refresh), the rest give what the provider holds by then.
      tokenProvider: ({ forceRefresh }) => {
        calls.push(forceRefresh);
        if (forceRefresh) {
          held = "new";
          return Promise.resolve(held);
        }
        if (calls.length !== 2) return Promise.resolve(held);
        secondPlainStarted();
        return new Promise<string>((resolve) => {
          releasePlain = resolve;
        });
      },
      fetch: server.fetch,
    });
    const first = client.send(new Request(`${BASE}/api/v1/users/`));
    while (server.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    // A second call asks for a token while the first waits for its answer (the 401).
    const second = client.send(new Request(`${BASE}/api/v1/teams/`));
    await plainPending;
    await new Promise((resolve) => setTimeout(resolve, 20));
    releasePlain("old");
    expect((await first).status).toBe(200);
    expect(calls.slice(0, 3)).toEqual([false, false, true]);
    expect(
      server.seen.filter((r) => r.path === "/api/v1/users/").map((r) => r.headers.get("authorization")),
    ).toEqual(["Bearer old", "Bearer new"]);
    // The slow call's old token is refused in turn, and that call recovers the same way.
    expect((await second).status).toBe(200);
  });

  it("wraps a failing token provider without echoing its message", async () => {
    const client = createCertnClient({
      tokenProvider: async () => {
        throw new Error(`cannot reach vault with ${CLIENT_SECRET}`);
      },
      fetch: fakeFetch(() => json(200, {})).fetch,
    });
    const error = await rejectionOf(client.getAccessToken());
    expect(isCertnError(error)).toBe(true);
    expect((error as { code: string }).code).toBe(CertnErrorCode.AUTH_FAILED);
    expect(JSON.stringify(error)).not.toContain(CLIENT_SECRET);
    expect(String(error)).not.toContain(CLIENT_SECRET);
  });
});
