/** The KV token store on its own, with a controllable clock, against the pool's real KV. */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createKvTokenStore,
  createTokenMemory,
  DEFAULT_TOKEN_SKEW_MS,
  type KvTokenStoreOptions,
} from "../../../src/worker/kv-token-store.ts";
import { unique, wrapKv } from "./harness.ts";

const START = Date.parse("2026-11-28T10:00:00Z");

/** A store over a recording namespace with its own memory and a clock the test moves. */
function setup(options: Partial<KvTokenStoreOptions> = {}, faults: Parameters<typeof wrapKv>[1] = {}) {
  const clock = { now: START };
  const wrapped = wrapKv(poolEnv.TOKEN_CACHE, faults);
  const sleeps: number[] = [];
  const make = (memory = createTokenMemory()) =>
    createKvTokenStore({
      kv: wrapped.kv,
      clientSecret: "client-secret-for-store-tests",
      now: () => clock.now,
      memory,
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options,
    });
  return {
    clock,
    kv: wrapped.log,
    make,
    sleeps,
    key: `certn-edge:token:v1:https://demo-api.certn.co:${unique("k")}`,
  };
}

const HOUR = 3_600_000;

describe("createKvTokenStore", () => {
  it("reads back what another isolate wrote, and serves later reads from memory", async () => {
    const { make, key, kv } = setup();
    await make().set(key, { accessToken: "token-a", expiresAt: START + 10 * HOUR });
    const reader = make();
    expect(await reader.get(key)).toEqual({ accessToken: "token-a", expiresAt: START + 10 * HOUR });
    expect(await reader.get(key)).toEqual({ accessToken: "token-a", expiresAt: START + 10 * HOUR });
    expect(kv.gets).toHaveLength(1);
    expect(reader.stats).toMatchObject({ kvHits: 1, memoryHits: 1 });
  });

  it("treats a token as absent once expiresAt - skew has passed, in memory and in KV", async () => {
    const { make, key, clock } = setup();
    const writer = make();
    await writer.set(key, { accessToken: "token-b", expiresAt: START + HOUR });
    clock.now = START + HOUR - DEFAULT_TOKEN_SKEW_MS - 1;
    expect((await make().get(key))?.accessToken).toBe("token-b");
    clock.now = START + HOUR - DEFAULT_TOKEN_SKEW_MS;
    expect(await writer.get(key)).toBeUndefined();
    expect(await make().get(key)).toBeUndefined();
  });

  it("writes with expirationTtl = usable life, and skips tokens under 60 s + skew", async () => {
    const { make, key, kv } = setup();
    const store = make();
    await store.set(key, { accessToken: "long", expiresAt: START + HOUR });
    expect(kv.puts.at(-1)?.expirationTtl).toBe((HOUR - DEFAULT_TOKEN_SKEW_MS) / 1000);
    await store.set(key, { accessToken: "short", expiresAt: START + DEFAULT_TOKEN_SKEW_MS + 59_999 });
    expect(kv.puts).toHaveLength(1);
    expect(store.stats.skippedWrites).toBe(1);
    await store.set(key, { accessToken: "just-enough", expiresAt: START + DEFAULT_TOKEN_SKEW_MS + 60_000 });
    expect(kv.puts.at(-1)?.expirationTtl).toBe(60);
    // The short one is still served from this isolate's memory until it nears expiry.
    expect((await store.get(key))?.accessToken).toBe("just-enough");
  });

  it("stores only the envelope, never the token or the secret", async () => {
    const { make, key } = setup();
    await make().set(key, { accessToken: "visible-token-value", expiresAt: START + HOUR });
    const raw = await poolEnv.TOKEN_CACHE.get(key);
    expect(raw).not.toBeNull();
    expect(raw).not.toContain("visible-token-value");
    expect(raw).not.toContain(btoa("visible-token-value"));
    expect(raw).not.toContain("client-secret-for-store-tests");
    expect(Object.keys(JSON.parse(raw ?? "{}")).sort()).toEqual(["ct", "iv", "v"]);
  });

  it("after delete (a 401), waits 0-250 ms and never serves the refused token again, even from KV", async () => {
    const { make, key, sleeps } = setup();
    const memory = createTokenMemory();
    const store = make(memory);
    await store.set(key, { accessToken: "refused", expiresAt: START + 10 * HOUR });
    expect((await store.get(key))?.accessToken).toBe("refused");
    await store.delete(key);
    expect(sleeps).toEqual([125]);
    // KV still holds it (no extra write on delete), but this isolate will not use it.
    expect(await make(memory).get(key)).toBeUndefined();
    await store.set(key, { accessToken: "fresh", expiresAt: START + 10 * HOUR });
    expect((await make(memory).get(key))?.accessToken).toBe("fresh");
  });

  it("turns KV failures into misses and skipped writes", async () => {
    const failing = setup(
      {},
      {
        get: () => new Error("KV GET failed: 503"),
        put: () => new Error("KV PUT failed: 429 Too Many Requests"),
      },
    );
    const store = failing.make();
    await expect(
      store.set(failing.key, { accessToken: "t", expiresAt: START + HOUR }),
    ).resolves.toBeUndefined();
    expect(await failing.make().get(failing.key)).toBeUndefined();
    expect(store.stats.kvWriteFailures).toBe(1);
  });

  it("reads a value sealed with another secret as a miss", async () => {
    const { make, key } = setup();
    await make().set(key, { accessToken: "old-secret-token", expiresAt: START + HOUR });
    const store = createKvTokenStore({
      kv: poolEnv.TOKEN_CACHE,
      clientSecret: "rotated-secret",
      now: () => START,
      memory: createTokenMemory(),
    });
    expect(await store.get(key)).toBeUndefined();
  });
});
