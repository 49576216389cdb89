import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { api, basicHeaders, getToken } from "../../shared/simulator/helpers.ts";

describe("rate limits (certn-api.md §1.3, §7 #5)", () => {
  it("inferred §7 #5: throttles with the DRF 429 body and a Retry-After a client can rely on", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 3 } });
    const client = api(sim, await getToken(sim));
    for (let i = 0; i < 3; i++) {
      expect((await client.get("/api/v1/teams/")).status).toBe(200);
      sim.clock.advance(10_000);
    }
    // Accepted at t=0, 10 s, 20 s; now t=30 s: the first leaves the window at t=60 s.
    const throttled = await client.get("/api/v1/teams/");
    expect(throttled.status).toBe(429);
    expect(throttled.body).toEqual({ detail: "Request was throttled. Expected available in 30 seconds." });
    expect(throttled.headers.get("retry-after")).toBe("30");
    sim.clock.advance(29_999);
    expect((await client.get("/api/v1/teams/")).status).toBe(429);
    sim.clock.advance(1);
    expect((await client.get("/api/v1/teams/")).status).toBe(200);
    expect((await client.get("/api/v1/teams/")).status).toBe(429);
  });

  it("rounds Retry-After up to whole seconds and never answers 0", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 1 } });
    const client = api(sim, await getToken(sim));
    await client.get("/api/v2/teams/");
    sim.clock.advance(59_500);
    const throttled = await client.get("/api/v2/teams/");
    expect(throttled.headers.get("retry-after")).toBe("1");
    sim.clock.advance(Number(throttled.headers.get("retry-after")) * 1000);
    expect((await client.get("/api/v2/teams/")).status).toBe(200);
  });

  it("enforces the rolling day window too", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 100, perDay: 5 } });
    const client = api(sim, sim.credentials.apiKeys[0] ?? "");
    for (let i = 0; i < 5; i++) {
      expect((await client.get("/api/v2/teams/")).status).toBe(200);
      sim.clock.advance(3600_000);
    }
    // Accepted at 0 h..4 h; now 5 h: the first leaves the 24 h window in 19 h.
    const throttled = await client.get("/api/v2/teams/");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe(String(19 * 3600));
    sim.clock.advance(19 * 3600_000);
    expect((await client.get("/api/v2/teams/")).status).toBe(200);
  });

  it("defaults to 240 per rolling minute; refused requests do not count", async () => {
    const sim = createCertnSimulator();
    const client = api(sim, sim.credentials.apiKeys[0] ?? "");
    for (let i = 0; i < 240; i++) expect((await client.get("/api/v2/teams/")).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await client.get("/api/v2/teams/")).status).toBe(429);
    sim.clock.advance(60_000);
    expect((await client.get("/api/v2/teams/")).status).toBe(200);
  });

  it("keeps one window per credential, and the token endpoint outside the API limit", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 1 } });
    const viaToken = api(sim, await getToken(sim));
    const viaKey = api(sim, sim.credentials.apiKeys[0] ?? "");
    expect((await viaToken.get("/api/v2/teams/")).status).toBe(200);
    expect((await viaToken.get("/api/v2/teams/")).status).toBe(429);
    expect((await viaKey.get("/api/v2/teams/")).status).toBe(200);
    const { clientId, clientSecret } = sim.credentials;
    for (let i = 0; i < 5; i++) {
      const token = await sim.fetch("https://demo-api.certn.co/token/", {
        method: "POST",
        headers: basicHeaders(clientId, clientSecret),
        body: "grant_type=client_credentials",
      });
      expect(token.status).toBe(200);
    }
    // A new token of the same client shares the client's window.
    expect((await api(sim, sim.liveTokens()[1] ?? "").get("/api/v2/teams/")).status).toBe(429);
  });

  it("does not throttle unauthenticated requests (they are refused first) and can be turned off", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 1 } });
    for (let i = 0; i < 3; i++) expect((await api(sim, "bad").get("/api/v2/teams/")).status).toBe(401);
    expect((await api(sim, sim.credentials.apiKeys[0] ?? "").get("/api/v2/teams/")).status).toBe(200);
    const unlimited = createCertnSimulator({ rateLimit: false });
    const client = api(unlimited, unlimited.credentials.apiKeys[0] ?? "");
    for (let i = 0; i < 300; i++) expect((await client.get("/api/v2/teams/")).status).toBe(200);
  });

  it("rejects nonsensical limits with a clear error", () => {
    expect(() => createCertnSimulator({ rateLimit: { perMinute: 0 } })).toThrow(
      /rateLimit\.perMinute must be a number >= 1/,
    );
  });
});
