/**
 * The simulator's core paths, run in Node and inside workerd: proof that the app uses only web
 * standards and that its state needs no timers.
 */
import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { api, getToken, hmacSha256Hex, obj, quickBody } from "./helpers.ts";

describe("Certn simulator (Node and workerd)", () => {
  it("issues a token and serves a paginated list", async () => {
    const sim = createCertnSimulator();
    const client = api(sim, await getToken(sim));
    const page = obj((await client.get("/api/v1/teams/?page_size=2")).body);
    expect(page.count).toBe(5);
    expect(page.next).toBe("https://demo-api.certn.co/api/v1/teams/?page_size=2&page=2");
    expect(sim.requests).toEqual({ "POST /token/": 1, "GET /api/v1/teams/": 1 });
  });

  it("progresses a quick screen over simulated time and serves its PDF", async () => {
    const sim = createCertnSimulator();
    const token = await getToken(sim);
    const client = api(sim, token);
    const created = await client.send(
      "POST",
      "/api/v1/hr/applications/quick/",
      quickBody({ owner_id: sim.ownerId }),
    );
    expect(created.status).toBe(201);
    const id = obj(created.body).id as string;
    expect(obj((await client.get(`/api/v1/hr/applicants/${id}/`)).body).status).toBe("Analyzing");
    sim.clock.advance(5000);
    expect(obj((await client.get(`/api/v1/hr/applicants/${id}/`)).body).status).toBe("Returned");
    const pdf = await sim.fetch(`https://demo-api.certn.co/api/v1/hr/reports/${id}/pdf/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(String.fromCharCode(...bytes.slice(0, 5))).toBe("%PDF-");
  });

  it("throttles with an exact Retry-After and expires tokens on the simulated clock", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 1 }, tokenExpiresIn: 600 });
    const client = api(sim, await getToken(sim));
    expect((await client.get("/api/v1/users/")).status).toBe(200);
    const throttled = await client.get("/api/v1/users/");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("60");
    sim.clock.advance(60_000);
    expect((await client.get("/api/v1/users/")).status).toBe(200);
    sim.clock.advance(540_000);
    expect((await client.get("/api/v1/users/")).status).toBe(401);
  });

  it("compresses its minute and day with rateLimit.windowMs", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 2, perDay: 3, windowMs: 1_000 } });
    const client = api(sim, await getToken(sim));
    expect((await client.get("/api/v1/users/")).status).toBe(200);
    expect((await client.get("/api/v1/users/")).status).toBe(200);
    expect((await client.get("/api/v1/users/")).status).toBe(429);
    expect(sim.throttled).toBe(1);
    sim.clock.advance(1_000);
    expect((await client.get("/api/v1/users/")).status).toBe(200);
    sim.clock.advance(1_000);
    // Three in the compressed day (1,440 × 1 s): the day window refuses now.
    const day = await client.get("/api/v1/users/");
    expect(day.status).toBe(429);
    expect(Number(day.headers.get("retry-after"))).toBeGreaterThan(1_000);
    sim.clock.advance(1_440_000);
    expect((await client.get("/api/v1/users/")).status).toBe(200);
    expect(() => createCertnSimulator({ rateLimit: { windowMs: 0 } })).toThrow(
      "rateLimit.windowMs must be a number >= 1, got 0",
    );
  });

  it("signs webhooks with crypto.subtle (certn-api.md §6.1)", async () => {
    const bodies: { signature: string; body: string }[] = [];
    const sim = createCertnSimulator({
      webhook: {
        url: "https://hooks.example.test/",
        secret: "s3cret",
        fetch: async (request) => {
          bodies.push({
            signature: request.headers.get("certn-signature") ?? "",
            body: await request.text(),
          });
          return new Response(null, { status: 204 });
        },
      },
    });
    const client = api(sim, await getToken(sim));
    await client.send("POST", "/api/v1/hr/applications/quick/", quickBody({ owner_id: sim.ownerId }));
    sim.clock.advance(5000);
    await sim.flushWebhooks();
    // The state at creation and the result (certn-api.md §6.1), each signed.
    expect(bodies.map((b) => obj(JSON.parse(b.body)).status)).toEqual(["Analyzing", "Returned"]);
    for (const { signature, body } of bodies) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? [];
      expect(v1).toBe(await hmacSha256Hex("s3cret", `${t}.${body}`));
    }
  });

  it("injects drop and status faults", async () => {
    const sim = createCertnSimulator();
    sim.inject("GET /api/v1/users/", [{ status: 503 }, { drop: true }]);
    expect((await sim.fetch("https://demo-api.certn.co/api/v1/users/")).status).toBe(503);
    await expect(sim.fetch("https://demo-api.certn.co/api/v1/users/")).rejects.toBeInstanceOf(TypeError);
  });
});
