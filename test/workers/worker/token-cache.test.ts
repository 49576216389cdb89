/**
 * The Certn token in KV: shared by isolates, encrypted, checked on read, never written on a hit,
 * and never failing a run when KV fails. Isolates are modelled by separate token memories.
 */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { createTokenMemory, DEFAULT_TOKEN_SKEW_MS } from "../../../src/worker/kv-token-store.ts";
import { deriveTokenKey, openToken, sealToken } from "../../../src/worker/token-crypto.ts";
import {
  CALLER_SECRET,
  captureConsoleForFile,
  createHarness,
  expectNoLeak,
  jsonOf,
  SMOKE_ITEMS,
  type SummaryShape,
  unique,
  wrapKv,
} from "./harness.ts";

const secrets: string[] = [CALLER_SECRET];
const tokens: string[] = [];
const capture = captureConsoleForFile(secrets, tokens);

/** A simulator with its own client, for a group of "isolates". */
function simulator(options: Parameters<typeof createCertnSimulator>[0] = {}) {
  const sim = createCertnSimulator({
    clientId: unique("client"),
    clientSecret: `secret-${crypto.randomUUID()}`,
    rateLimit: false,
    ...options,
  });
  secrets.push(sim.credentials.clientSecret);
  return sim;
}

/** Runs the bundled smoke collection and returns the response text (checked for leaks) and summary. */
async function runSmoke(
  h: ReturnType<typeof createHarness>,
): Promise<{ status: number; summary: SummaryShape }> {
  const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
  const text = await response.text();
  tokens.push(...h.sim.liveTokens());
  expectNoLeak(text, [h.clientSecret, ...h.sim.liveTokens()]);
  return { status: response.status, summary: response.status === 200 ? JSON.parse(text).summary : undefined };
}

/** A green smoke run on a fresh simulator through a recording KV, and the one token write it made. */
async function smokeRunWithKvWrite() {
  const sim = simulator();
  const tokenKv = wrapKv(poolEnv.TOKEN_CACHE);
  const h = createHarness({ sim, env: { TOKEN_CACHE: tokenKv.kv } });
  expect((await runSmoke(h)).status).toBe(200);
  const [put] = tokenKv.log.puts;
  if (put === undefined) throw new Error("no KV write");
  return { sim, tokenKv, put };
}

describe("token cache in KV", () => {
  it("shares one token between two fresh app instances (isolates) with one token request in total", async () => {
    const sim = simulator();
    const tokenKv = wrapKv(poolEnv.TOKEN_CACHE);
    const first = createHarness({ sim, memory: createTokenMemory(), env: { TOKEN_CACHE: tokenKv.kv } });
    const second = createHarness({ sim, memory: createTokenMemory(), env: { TOKEN_CACHE: tokenKv.kv } });

    const a = await runSmoke(first);
    expect(a.status).toBe(200);
    expect(a.summary.passed).toBe(SMOKE_ITEMS);
    expect(tokenKv.log.puts).toHaveLength(1);

    const b = await runSmoke(second);
    expect(b.status).toBe(200);
    expect(b.summary.passed).toBe(SMOKE_ITEMS);
    expect(sim.tokenRequests).toBe(1);
    // A cache hit writes nothing.
    expect(tokenKv.log.puts).toHaveLength(1);
  });

  it("keys the entry by base URL and a client id hash, and stores only a v1 AES-GCM envelope", async () => {
    const { sim, put } = await smokeRunWithKvWrite();
    expect(put.key).toMatch(/^certn-edge:token:v1:https:\/\/demo-api\.certn\.co:[0-9a-f]{32}$/);
    expect(put.key).not.toContain(sim.credentials.clientId);
    expect(put.key).not.toContain(sim.credentials.clientSecret);

    const [token] = sim.liveTokens();
    if (token === undefined) throw new Error("no live token");
    const stored = await poolEnv.TOKEN_CACHE.get(put.key);
    if (stored === null) throw new Error("nothing stored");
    expectNoLeak(stored, [token, sim.credentials.clientSecret]);
    const envelope = JSON.parse(stored);
    expect(Object.keys(envelope).sort()).toEqual(["ct", "iv", "v"]);
    expect(envelope.v).toBe(1);
    expect(atob(envelope.iv)).toHaveLength(12);

    const opened = await openToken(await deriveTokenKey(sim.credentials.clientSecret), put.key, stored);
    expect(opened?.accessToken).toBe(token);
    expect(await openToken(await deriveTokenKey("another-secret"), put.key, stored)).toBeUndefined();
    // Bound to its key: the same value under another key does not open.
    const key = await deriveTokenKey(sim.credentials.clientSecret);
    expect(await openToken(key, `${put.key}x`, stored)).toBeUndefined();

    // Expires with the token's usable life (lifetime minus skew), never under 60 s.
    const ttl = put.expirationTtl ?? 0;
    expect(ttl).toBeGreaterThanOrEqual(60);
    expect(ttl).toBeLessThanOrEqual(36_000 - DEFAULT_TOKEN_SKEW_MS / 1000);
    expect(ttl).toBeGreaterThan(36_000 - DEFAULT_TOKEN_SKEW_MS / 1000 - 60);
  });

  it("uses a fresh random IV for every write", async () => {
    const key = await deriveTokenKey("secret");
    const token = { accessToken: "tok", expiresAt: Date.now() + 3_600_000 };
    const one = JSON.parse(await sealToken(key, "k", token));
    const two = JSON.parse(await sealToken(key, "k", token));
    expect(one.iv).not.toBe(two.iv);
    expect(one.ct).not.toBe(two.ct);
  });

  it("ignores a stored token whose expiresAt minus skew has passed, whatever KV's TTL", async () => {
    const { sim, tokenKv, put } = await smokeRunWithKvWrite();
    // Replace the entry with a token inside the skew window (still "live" in KV for an hour).
    const key = await deriveTokenKey(sim.credentials.clientSecret);
    const nearlyExpired = {
      accessToken: "nearly-expired-token",
      expiresAt: Date.now() + DEFAULT_TOKEN_SKEW_MS - 1_000,
    };
    await poolEnv.TOKEN_CACHE.put(put.key, await sealToken(key, put.key, nearlyExpired), {
      expirationTtl: 3600,
    });

    const other = createHarness({ sim, memory: createTokenMemory(), env: { TOKEN_CACHE: tokenKv.kv } });
    const run = await runSmoke(other);
    expect(run.status).toBe(200);
    expect(run.summary.passed).toBe(SMOKE_ITEMS);
    expect(sim.tokenRequests).toBe(2);
  });

  it("does not write a token with less than 60 s + skew of life, and the run still passes", async () => {
    const sim = simulator({ tokenExpiresIn: 300 });
    const tokenKv = wrapKv(poolEnv.TOKEN_CACHE);
    const h = createHarness({ sim, env: { TOKEN_CACHE: tokenKv.kv } });
    const run = await runSmoke(h);
    expect(run.status).toBe(200);
    expect(run.summary.passed).toBe(SMOKE_ITEMS);
    expect(tokenKv.log.puts).toHaveLength(0);
  });
});

describe("KV failures never fail a run", () => {
  it("fetches a token directly when KV get throws", async () => {
    const sim = simulator();
    const tokenKv = wrapKv(poolEnv.TOKEN_CACHE, {
      get: () => new Error("KV GET failed: 500 Internal Server Error"),
    });
    const first = createHarness({ sim, memory: createTokenMemory(), env: { TOKEN_CACHE: tokenKv.kv } });
    const second = createHarness({ sim, memory: createTokenMemory(), env: { TOKEN_CACHE: tokenKv.kv } });
    for (const h of [first, second]) {
      const run = await runSmoke(h);
      expect(run.status).toBe(200);
      expect(run.summary.passed).toBe(SMOKE_ITEMS);
    }
    // One token per isolate: bounded, however often KV fails.
    expect(sim.tokenRequests).toBe(2);
    expect(capture.lines.some((line) => line.includes("token cache read failed"))).toBe(true);
  });

  it("uses the fresh token when KV put throws 429, and keeps it in the isolate's memory", async () => {
    const sim = simulator();
    const tokenKv = wrapKv(poolEnv.TOKEN_CACHE, {
      put: () => new Error("KV PUT failed: 429 Too Many Requests"),
    });
    const h = createHarness({ sim, env: { TOKEN_CACHE: tokenKv.kv } });
    for (let run = 0; run < 3; run++) {
      const result = await runSmoke(h);
      expect(result.status).toBe(200);
      expect(result.summary.passed).toBe(SMOKE_ITEMS);
    }
    expect(sim.tokenRequests).toBe(1);
    expect(tokenKv.log.puts).toHaveLength(1);
    expect(capture.lines.some((line) => line.includes("token cache write failed"))).toBe(true);
  });
});

describe("after a 401", () => {
  it("refreshes once, after a jitter of at most 250 ms, and never reuses the refused token from KV", async () => {
    const sim = simulator();
    const tokenKv = wrapKv(poolEnv.TOKEN_CACHE);
    const sleeps: number[] = [];
    const memory = createTokenMemory();
    const h = createHarness({
      sim,
      memory,
      env: { TOKEN_CACHE: tokenKv.kv },
      app: {
        tokenStore: {
          memory,
          random: () => 0.999,
          sleep: async (ms) => {
            sleeps.push(ms);
          },
        },
      },
    });
    expect((await runSmoke(h)).status).toBe(200);
    expect(sim.tokenRequests).toBe(1);

    // Certn revokes the token; KV still holds it (as other isolates' stale reads would).
    sim.revokeTokens();
    const run = await runSmoke(h);
    expect(run.status).toBe(200);
    expect(run.summary.passed).toBe(SMOKE_ITEMS);
    expect(sim.tokenRequests).toBe(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(0);
    expect(sleeps[0]).toBeLessThanOrEqual(250);
    expect(sleeps[0]).toBeGreaterThan(200);
    expect(tokenKv.log.puts).toHaveLength(2);
  });

  it("lets another isolate pick up the refreshed token from KV", async () => {
    const sim = simulator();
    const first = createHarness({ sim, memory: createTokenMemory() });
    expect((await runSmoke(first)).status).toBe(200);
    sim.revokeTokens();
    expect((await runSmoke(first)).status).toBe(200);
    const second = createHarness({ sim, memory: createTokenMemory() });
    const run = await runSmoke(second);
    expect(run.summary.passed).toBe(SMOKE_ITEMS);
    expect(sim.tokenRequests).toBe(2);
  });
});

describe("API keys", () => {
  it("runs with CERTN_API_KEY: no token cache, and the key never reaches KV, a log or a result", async () => {
    const sim = simulator();
    const [apiKey] = sim.centric.apiKeys;
    if (apiKey === undefined) throw new Error("simulator without a CertnCentric API key");
    secrets.push(apiKey);
    const tokenKv = wrapKv(poolEnv.TOKEN_CACHE);
    const h = createHarness({
      sim,
      env: {
        TOKEN_CACHE: tokenKv.kv,
        CERTN_CLIENT_ID: undefined,
        CERTN_CLIENT_SECRET: undefined,
        CERTN_API_KEY: apiKey,
        CERTN_API_KEY_SCHEME: "Api-Key",
      },
    });
    // API keys are CertnCentric's credential (the simulator refuses them on partner-only routes).
    const response = await h.call("/collections/centric-smoke/runs", { method: "POST" });
    const text = await response.text();
    expect(response.status).toBe(200);
    const summary = JSON.parse(text).summary as { items: number; passed: number };
    expect(summary.items).toBeGreaterThan(0);
    expect(summary.passed).toBe(summary.items);
    expect(text).not.toContain(apiKey);
    expect(sim.tokenRequests).toBe(0);
    expect(tokenKv.log.gets).toHaveLength(0);
    expect(tokenKv.log.puts).toHaveLength(0);
  });

  it("refuses an unknown CERTN_API_KEY_SCHEME with a configuration error", async () => {
    const h = createHarness({
      env: {
        CERTN_CLIENT_ID: undefined,
        CERTN_CLIENT_SECRET: undefined,
        CERTN_API_KEY: "k",
        CERTN_API_KEY_SCHEME: "Token",
      },
    });
    const response = await h.call("/collections/certn-smoke/runs", { method: "POST" });
    expect(response.status).toBe(503);
    expect((await jsonOf<{ error: { code: string } }>(response)).error.code).toBe("CONFIG_ERROR");
  });
});
