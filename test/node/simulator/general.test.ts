import { beforeEach, describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { type Api, api, getToken, obj } from "../../shared/simulator/helpers.ts";

let sim: CertnSimulator;
let client: Api;
beforeEach(async () => {
  sim = createCertnSimulator();
  client = api(sim, await getToken(sim));
});

const superteamBody = {
  name: "Acme Partners",
  street_address: "1 Main Street",
  city: "Victoria",
  province_state: "BC",
  country: "CA",
  postal_code: "V8A1B2",
  is_secure_sms_enabled: false,
};

describe("superteams (certn-api.md §3.1)", () => {
  it("lists superteams as {id, name} items in the DRF envelope", async () => {
    const { status, body } = await client.get("/api/v1/superteams/");
    expect(status).toBe(200);
    const page = obj(body);
    expect(page.count).toBe(1);
    expect(page.next).toBeNull();
    expect(page.previous).toBeNull();
    const [item] = page.results as Record<string, unknown>[];
    expect(Object.keys(item ?? {}).sort()).toEqual(["id", "name"]);
  });

  it("creates (201), retrieves and updates a superteam with the documented fields", async () => {
    const created = await client.send("POST", "/api/v1/superteams/", superteamBody);
    expect(created.status).toBe(201);
    const id = obj(created.body).id as string;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const fetched = await client.get(`/api/v1/superteams/${id}/`);
    expect(Object.keys(obj(fetched.body)).sort()).toEqual(
      [
        "id",
        "name",
        "is_secure_sms_enabled",
        "is_report_id_enabled",
        "street_address",
        "city",
        "postal_code",
        "province_state",
        "other_province_state",
        "country",
      ].sort(),
    );
    const updated = await client.send("PUT", `/api/v1/superteams/${id}/`, {
      ...superteamBody,
      name: "Renamed",
    });
    expect(updated.status).toBe(200);
    expect(obj((await client.get(`/api/v1/superteams/${id}/`)).body).name).toBe("Renamed");
    expect(obj((await client.get("/api/v1/superteams/")).body).count).toBe(2);
  });

  it("answers missing and invalid fields with DRF field errors", async () => {
    const { status, body } = await client.send("POST", "/api/v1/superteams/", {
      name: "",
      country: "FR",
      is_secure_sms_enabled: "maybe",
    });
    expect(status).toBe(400);
    expect(body).toEqual({
      name: ["This field may not be blank."],
      street_address: ["This field is required."],
      city: ["This field is required."],
      province_state: ["This field is required."],
      country: ['"FR" is not a valid choice.'],
      postal_code: ["This field is required."],
      is_secure_sms_enabled: ["Must be a valid boolean."],
    });
  });

  it("requires other_province_state when province_state is OT", async () => {
    const { status, body } = await client.send("POST", "/api/v1/superteams/", {
      ...superteamBody,
      province_state: "OT",
    });
    expect(status).toBe(400);
    expect(body).toEqual({ other_province_state: ["This field is required."] });
  });

  it("404s unknown ids with {detail: 'Not found.'}", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const path of [
      `/api/v1/superteams/${unknown}/`,
      `/api/v1/teams/${unknown}/`,
      "/api/v1/teams/not-a-uuid/",
    ]) {
      const { status, body } = await client.get(path);
      expect(status).toBe(404);
      expect(body).toEqual({ detail: "Not found." });
    }
    expect((await client.send("PUT", `/api/v1/superteams/${unknown}/`, superteamBody)).status).toBe(404);
  });
});

describe("teams and pagination (certn-api.md §1.4, §7 #6)", () => {
  it("pages five seeded teams two at a time with absolute next/previous URLs from the request origin", async () => {
    const origin = "http://127.0.0.1:9999";
    const local = api(sim, await getToken(sim), origin);
    const first = obj((await local.get("/api/v1/teams/?page_size=2")).body);
    expect(first.count).toBe(5);
    expect((first.results as unknown[]).length).toBe(2);
    expect(first.next).toBe(`${origin}/api/v1/teams/?page_size=2&page=2`);
    expect(first.previous).toBeNull();
    const second = obj((await local.get("/api/v1/teams/?page_size=2&page=2")).body);
    expect(second.previous).toBe(`${origin}/api/v1/teams/?page_size=2`);
    expect(second.next).toBe(`${origin}/api/v1/teams/?page_size=2&page=3`);
    const third = obj((await local.get("/api/v1/teams/?page_size=2&page=3")).body);
    expect((third.results as unknown[]).length).toBe(1);
    expect(third.next).toBeNull();
    const ids = [first, second, third].flatMap((p) => (p.results as { id: string }[]).map((t) => t.id));
    expect(new Set(ids).size).toBe(5);
  });

  it("defaults to 10 per page and clamps page_size above 100 (inferred §7 #6)", async () => {
    const sim2 = createCertnSimulator({ seed: 3 });
    const c = api(sim2, await getToken(sim2));
    for (let i = 0; i < 120; i++) {
      expect((await c.send("POST", "/api/v1/teams/", { name: `Team ${i}` })).status).toBe(201);
    }
    const byDefault = obj((await c.get("/api/v1/teams/")).body);
    expect(byDefault.count).toBe(125);
    expect((byDefault.results as unknown[]).length).toBe(10);
    const clamped = obj((await c.get("/api/v1/teams/?page_size=1000")).body);
    expect((clamped.results as unknown[]).length).toBe(100);
    const invalidSize = obj((await c.get("/api/v1/teams/?page_size=abc")).body);
    expect((invalidSize.results as unknown[]).length).toBe(10);
  });

  it("answers an invalid or out-of-range page with 404 'Invalid page.' like DRF", async () => {
    for (const page of ["99", "0", "abc", "-1"]) {
      const { status, body } = await client.get(`/api/v1/teams/?page=${page}`);
      expect(status).toBe(404);
      expect(body).toEqual({ detail: "Invalid page." });
    }
    expect(obj((await client.get("/api/v1/teams/?page_size=2&page=last")).body).next).toBeNull();
  });

  it("returns full team objects, creates and updates teams, and serves the /api/v2/teams/ alias", async () => {
    const list = obj((await client.get("/api/v1/teams/")).body);
    const team = (list.results as Record<string, unknown>[])[0] ?? {};
    for (const key of [
      "id",
      "name",
      "team_type",
      "country",
      "active_user_count",
      "industry",
      "internal_name",
    ]) {
      expect(team).toHaveProperty(key);
    }
    expect(team.active_user_count).toBe(2);
    const created = await client.send("POST", "/api/v1/teams/", {
      name: "New team",
      team_type: "PM",
      pre_pay: true,
    });
    expect(created.status).toBe(201);
    const id = obj(created.body).id as string;
    const updated = await client.send("PUT", `/api/v1/teams/${id}/`, { name: "Renamed team" });
    expect(updated.status).toBe(200);
    expect(obj(updated.body)).toMatchObject({ id, name: "Renamed team", team_type: "PM", pre_pay: true });
    expect(obj((await client.get(`/api/v2/teams/${id}/`)).body).name).toBe("Renamed team");
    expect(obj((await client.get("/api/v2/teams/")).body).count).toBe(6);
    const bad = await client.send("POST", "/api/v1/teams/", {
      superteam: "00000000-0000-4000-8000-000000000000",
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ name: ["This field is required."] });
  });
});

describe("users and packages (certn-api.md §3.1)", () => {
  it("lists users; the owner user's id is sim.ownerId", async () => {
    const page = obj((await client.get("/api/v1/users/")).body);
    const users = page.results as Record<string, unknown>[];
    expect(page.count).toBe(3);
    expect(users.map((u) => u.id)).toContain(sim.ownerId);
    expect(users[0]).toMatchObject({ id: sim.ownerId, email: "owner@example.com", is_active: true });
  });

  it("inferred §3.1 [2ND]: lists packages at /api/v1/packages/", async () => {
    const page = obj((await client.get("/api/v1/packages/")).body);
    expect(page.count).toBe(3);
    const item = (page.results as Record<string, unknown>[])[0] ?? {};
    expect(item).toMatchObject({ name: "Basic" });
    expect(Array.isArray(item.request_flags)).toBe(true);
  });
});
