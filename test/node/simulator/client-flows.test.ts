/**
 * The client library's real flows against the simulator: in process (sim.fetch as the client's
 * fetch, the client's sleep advancing simulated time) and over HTTP on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type CertnClient, CertnHttpError, createCertnClient } from "../../../src/index.ts";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { quickBody } from "../../shared/simulator/helpers.ts";

/** A client wired to `sim` with simulated time: waiting advances the simulator's clock. */
function clientFor(
  sim: CertnSimulator,
  extra: Partial<Parameters<typeof createCertnClient>[0]> = {},
): CertnClient {
  return createCertnClient({
    clientId: sim.credentials.clientId,
    clientSecret: sim.credentials.clientSecret,
    fetch: sim.fetch,
    now: () => sim.clock.now(),
    sleep: async (ms) => sim.clock.advance(ms),
    random: () => 0.5,
    ...extra,
  } as Parameters<typeof createCertnClient>[0]);
}

async function pollUntilReturned(
  sim: CertnSimulator,
  client: CertnClient,
  id: string,
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const applicant = (await client.hr.applications.get(id)) as unknown as Record<string, unknown>;
    if (applicant.status === "Returned") return applicant;
    sim.clock.advance(1000);
  }
  throw new Error("applicant never returned");
}

describe("client flows in process", () => {
  it("lists general resources and follows next across pages", async () => {
    const sim = createCertnSimulator();
    const client = clientFor(sim);
    const users = await client.users.list();
    expect(users.results.map((u) => (u as { id: string }).id)).toContain(sim.ownerId);
    const teams: unknown[] = [];
    for await (const team of client.teams.all({ page_size: 2 })) teams.push(team);
    expect(teams).toHaveLength(5);
    expect(sim.requests["GET /api/v1/teams/"]).toBe(3);
    expect(sim.tokenRequests).toBe(1);
  });

  it("quick screen → poll → reports", async () => {
    const sim = createCertnSimulator();
    const client = clientFor(sim);
    const created = await client.hr.applications.quick(quickBody({ owner_id: sim.ownerId }) as never);
    expect(created.status).toBe("Analyzing");
    const done = await pollUntilReturned(sim, client, created.id);
    expect(done.result).toBe("CLEAR");
    const pdf = await client.hr.reports.pdf(created.id);
    expect(String.fromCharCode(...pdf.slice(0, 5))).toBe("%PDF-");
    expect((await client.hr.reports.link(created.id)).url).toMatch(/^https:\/\/demo-app\.certn\.co\//);
    expect(await client.hr.reports.html(created.id)).toContain(created.id);
  });

  it("invite → applicant submits → Returned; PM invite with grouped applicants", async () => {
    const sim = createCertnSimulator();
    const client = clientFor(sim);
    const invite = await client.hr.applications.invite({
      email: "c@example.com",
      owner_id: sim.ownerId,
      request_softcheck: true,
    });
    const done = await pollUntilReturned(sim, client, invite.applicant.id);
    expect(done.is_submitted).toBe(true);
    const pm = await client.pm.applications.invite({
      email: "t@example.com",
      owner_id: sim.ownerId,
      request_softcheck: true,
      grouped_applicants: [{ email: "u@example.com" }],
    });
    expect(pm.applicants).toHaveLength(2);
  });

  it("surfaces DRF field errors as CertnHttpError with the parsed body", async () => {
    const sim = createCertnSimulator();
    const client = clientFor(sim);
    const error = await client.hr.applications
      .invite({
        email: "c@example.com",
        owner_id: sim.ownerId,
        request_us_criminal_record_check_tier_3: true,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertnHttpError);
    expect((error as CertnHttpError).status).toBe(400);
    expect(JSON.stringify((error as CertnHttpError).body)).toContain("Account not configured");
  });

  it("makes one token request for 50 concurrent calls", async () => {
    const sim = createCertnSimulator();
    const client = clientFor(sim);
    await Promise.all(Array.from({ length: 50 }, () => client.users.list()));
    expect(sim.tokenRequests).toBe(1);
    expect(sim.requests["GET /api/v1/users/"]).toBe(50);
  });

  it("refreshes once after the simulator revokes its token, and renews before expiry on the clock", async () => {
    const sim = createCertnSimulator({ tokenExpiresIn: 3600 });
    const client = clientFor(sim);
    await client.users.list();
    sim.revokeTokens();
    await client.users.list();
    expect(sim.tokenRequests).toBe(2);
    sim.clock.advance(3590_000);
    await client.users.list();
    expect(sim.tokenRequests).toBe(3);
    expect(sim.liveTokens()).toHaveLength(2);
  });

  it("retries a GET after 503 and a dropped connection, but never re-sends a POST after a 5xx", async () => {
    const sim = createCertnSimulator();
    const client = clientFor(sim);
    sim.inject("GET /api/v1/users/", [{ status: 503 }, { drop: true }]);
    await client.users.list();
    expect(sim.requests["GET /api/v1/users/"]).toBe(3);
    sim.inject("POST /api/v1/hr/applications/quick/", [{ status: 502 }]);
    const error = await client.hr.applications
      .quick(quickBody({ owner_id: sim.ownerId }) as never)
      .catch((e: unknown) => e);
    expect((error as CertnHttpError).status).toBe(502);
    expect(sim.requests["POST /api/v1/hr/applications/quick/"]).toBe(1);
  });

  it("waits out a 429 using Retry-After computed from the rolling window", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 2 } });
    const client = clientFor(sim);
    await client.users.list();
    await client.users.list();
    const before = sim.clock.now();
    await client.users.list();
    expect(sim.clock.now() - before).toBe(60_000);
    expect(sim.requests["GET /api/v1/users/"]).toBe(4);
  });

  it("works with the static API key credential (Bearer scheme) on the gen B1 paths", async () => {
    const sim = createCertnSimulator();
    const client = createCertnClient({
      apiKey: sim.credentials.apiKeys[0] ?? "",
      apiKeyScheme: "Bearer",
      fetch: sim.fetch,
    });
    const teams = await client.request<{ count: number }>("GET", "/api/v2/teams/");
    expect(teams.count).toBe(5);
    expect(sim.tokenRequests).toBe(0);
  });
});

describe("client flows over HTTP on 127.0.0.1", () => {
  let served: ServedCertnSimulator | undefined;
  afterEach(async () => {
    await served?.close();
    served = undefined;
  });

  it("runs the quick-screen flow against serveCertnSimulator", async () => {
    served = await serveCertnSimulator({ progress: { analysisMs: 0 } });
    const sim = served.simulator;
    const client = createCertnClient({
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      baseUrl: served.url,
    });
    expect(client.baseUrl).toBe(served.url);
    const teams: unknown[] = [];
    for await (const team of client.teams.all({ page_size: 2 })) teams.push(team);
    expect(teams).toHaveLength(5);
    const created = await client.hr.applications.quick(quickBody({ owner_id: sim.ownerId }) as never);
    const fetched = await client.hr.applications.get(created.id);
    expect(fetched.status).toBe("Returned");
    const pdf = await client.hr.reports.pdf(created.id);
    expect(pdf.length).toBeGreaterThan(300);
    expect(sim.tokenRequests).toBe(1);
  });
});
