import { describe, expect, it } from "vitest";
import { createCertnSimulator, DEMO_API_KEY } from "../../../src/simulator/index.ts";
import { api, getToken } from "../../shared/simulator/helpers.ts";

const NOT_PROVIDED = { detail: "Authentication credentials were not provided." };

describe("bearer checks on API routes (certn-api.md §2.1, §2.2, §7 #3)", () => {
  it("answers a missing Authorization header with 401 and WWW-Authenticate", async () => {
    const sim = createCertnSimulator();
    const response = await sim.fetch("https://demo-api.certn.co/api/v1/teams/");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(NOT_PROVIDED);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("inferred §7 #3: an unknown bearer token reads as missing credentials", async () => {
    const sim = createCertnSimulator();
    const response = await api(sim, "not-a-token").get("/api/v1/teams/");
    expect(response.status).toBe(401);
    expect(response.body).toEqual(NOT_PROVIDED);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("inferred §7 #3: an unknown Token credential gets 'Invalid token.'", async () => {
    const sim = createCertnSimulator();
    const response = await sim.fetch("https://demo-api.certn.co/api/v1/teams/", {
      headers: { authorization: "Token 0123456789abcdef0123456789abcdef01234567" },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "Invalid token." });
  });

  it("expires tokens on the simulated clock after expires_in", async () => {
    const sim = createCertnSimulator({ tokenExpiresIn: 60 });
    const token = await getToken(sim);
    expect((await api(sim, token).get("/api/v1/teams/")).status).toBe(200);
    sim.clock.advance(59_999);
    expect((await api(sim, token).get("/api/v1/teams/")).status).toBe(200);
    sim.clock.advance(1);
    const expired = await api(sim, token).get("/api/v1/teams/");
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(NOT_PROVIDED);
    expect(sim.liveTokens()).toEqual([]);
  });

  it("the default lifetime is 36000 s (certn-api.md §2.1)", async () => {
    const sim = createCertnSimulator();
    const token = await getToken(sim);
    sim.clock.advance(35_999_000);
    expect((await api(sim, token).get("/api/v1/users/")).status).toBe(200);
    sim.clock.advance(1000);
    expect((await api(sim, token).get("/api/v1/users/")).status).toBe(401);
  });

  it("revokeTokens and expireTokens invalidate every issued token", async () => {
    const sim = createCertnSimulator();
    const first = await getToken(sim);
    sim.revokeTokens();
    expect((await api(sim, first).get("/api/v1/teams/")).status).toBe(401);
    const second = await getToken(sim);
    expect(sim.liveTokens()).toEqual([second]);
    sim.expireTokens();
    expect(sim.liveTokens()).toEqual([]);
    expect((await api(sim, second).get("/api/v1/teams/")).status).toBe(401);
  });

  it("accepts a configured static API key as Bearer on the gen B1 paths only (§2.2, §2.5)", async () => {
    const sim = createCertnSimulator();
    expect(sim.credentials.apiKeys).toEqual([DEMO_API_KEY]);
    expect((await api(sim, DEMO_API_KEY).get("/api/v2/teams/")).status).toBe(200);
    expect((await api(sim, DEMO_API_KEY).get("/hr/v1/applicants/")).status).toBe(200);
    expect((await api(sim, DEMO_API_KEY).get("/api/v1/hr/applicants/")).status).toBe(403);
    const custom = createCertnSimulator({ apiKeys: ["k".repeat(40)] });
    expect((await api(custom, "k".repeat(40)).get("/hr/v1/applicants/")).status).toBe(200);
    expect((await api(custom, DEMO_API_KEY).get("/hr/v1/applicants/")).status).toBe(401);
  });

  it("ignores other schemes such as Basic on API routes (DRF reads them as no credentials)", async () => {
    const sim = createCertnSimulator();
    const response = await sim.fetch("https://demo-api.certn.co/api/v1/teams/", {
      headers: { authorization: `Basic ${btoa("a:b")}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual(NOT_PROVIDED);
  });
});
