import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { api, getToken, obj, quickBody } from "../../shared/simulator/helpers.ts";

async function scriptedRun(seed: number): Promise<unknown[]> {
  const sim = createCertnSimulator({ seed });
  const client = api(sim, await getToken(sim));
  const out: unknown[] = [sim.ownerId];
  out.push((await client.get("/api/v1/teams/")).body);
  const quick = await client.send(
    "POST",
    "/api/v1/hr/applications/quick/",
    quickBody({ owner_id: sim.ownerId }),
  );
  out.push(quick.body);
  sim.clock.advance(5000);
  out.push((await client.get(`/api/v1/hr/applicants/${obj(quick.body).id}/`)).body);
  return out;
}

describe("determinism and reset", () => {
  it("the same seed and the same calls give byte-identical answers; another seed differs", async () => {
    const a = await scriptedRun(42);
    expect(JSON.stringify(await scriptedRun(42))).toBe(JSON.stringify(a));
    expect((await scriptedRun(43))[0]).not.toBe(a[0]);
  });

  it("reset() restores the seeded data, the clock and the id sequence", async () => {
    const sim = createCertnSimulator();
    const owner = sim.ownerId;
    const start = sim.clock.now();
    const client = api(sim, sim.credentials.apiKeys[0] ?? "");
    const first = obj((await client.send("POST", "/hr/v1/applications/quick/", quickBody())).body).id;
    await api(sim, await getToken(sim)).send("POST", "/api/v1/teams/", { name: "extra" });
    sim.clock.advance(1_000_000);
    sim.reset();
    expect(sim.ownerId).toBe(owner);
    expect(sim.clock.now()).toBe(start);
    expect(obj((await client.get("/api/v2/teams/")).body).count).toBe(5);
    expect(obj((await client.get("/hr/v1/applicants/")).body).count).toBe(0);
    expect(obj((await client.send("POST", "/hr/v1/applications/quick/", quickBody())).body).id).toBe(first);
  });

  it("starts at 2026-11-28T10:00:00Z, or at the given time, or follows the wall clock with realTime", async () => {
    expect(new Date(createCertnSimulator().clock.now()).toISOString()).toBe("2026-11-28T10:00:00.000Z");
    expect(createCertnSimulator({ now: "2030-01-01T00:00:00Z" }).clock.now()).toBe(Date.UTC(2030, 0, 1));
    const before = Date.now();
    const live = createCertnSimulator({ realTime: true }).clock.now();
    expect(live).toBeGreaterThanOrEqual(before);
    expect(() => createCertnSimulator({ now: "not a date" })).toThrow(/now must be/);
    expect(() => createCertnSimulator().clock.advance(-1)).toThrow(/advance/);
  });

  it("rejects bad credentials options naming the field", () => {
    expect(() => createCertnSimulator({ clients: [{ clientId: "", clientSecret: "x" }] })).toThrow(
      /clients\[0\]\.clientId/,
    );
    expect(() => createCertnSimulator({ apiKeys: [""] })).toThrow(/apiKeys\[0\]/);
    expect(() => createCertnSimulator({ tokenExpiresIn: 0 })).toThrow(/tokenExpiresIn/);
  });
});
