/**
 * Gen A surfaces the simulator now serves (issue 18): session logins and their `Token` header
 * (certn-api.md §2.3, §2.5) and the classic PM properties and listings (§3.3).
 */
import { describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { jsonApi, obj } from "../../shared/simulator/helpers.ts";

const ORIGIN = "https://demo-api.certn.co";

function basic(sim: CertnSimulator, password = sim.sessionLogin.password): string {
  return `Basic ${btoa(`${sim.sessionLogin.username}:${password}`)}`;
}

async function login(sim: CertnSimulator, body: unknown = { expires: null }, path = "/api/v1/authenticate/") {
  return jsonApi(sim, ORIGIN, basic(sim), "throw").send("POST", path, body);
}

describe("session logins (certn-api.md §2.3)", () => {
  it("POST /api/v1/authenticate/ answers {user_id, token}; the token works as `Token` on gen A/B1 paths", async () => {
    const sim = createCertnSimulator();
    const { status, body } = await login(sim);
    expect(status).toBe(200);
    const answer = obj(body);
    expect(Object.keys(answer).sort()).toEqual(["token", "user_id"]);
    expect(answer.user_id).toBe(sim.ownerId);
    expect(answer.token).toMatch(/^[0-9a-f]{64}$/);
    const viaToken = jsonApi(sim, ORIGIN, `Token ${answer.token}`, "throw");
    expect((await viaToken.get("/hr/v1/applicants/")).status).toBe(200);
    expect((await viaToken.get("/api/v2/teams/")).status).toBe(200);
    // §2.5: the partner paths take only the OAuth token.
    expect((await viaToken.get("/api/v1/users/")).status).toBe(403);
  });

  it("refuses a wrong password and a missing Basic header with 401", async () => {
    const sim = createCertnSimulator();
    const wrong = await jsonApi(sim, ORIGIN, basic(sim, "nope"), "throw").send(
      "POST",
      "/api/v1/authenticate/",
      {},
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ detail: "Invalid username/password." });
    const none = await sim.fetch(`${ORIGIN}/api/v1/authenticate/`, { method: "POST" });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ detail: "Authentication credentials were not provided." });
    expect(none.headers.get("www-authenticate")).toBe('Basic realm="api"');
  });

  it("`expires` is in hours; GET lists the sessions by token_key; an expired token is 'Invalid token.'", async () => {
    const sim = createCertnSimulator();
    const short = obj((await login(sim, { expires: 8 })).body).token as string;
    const forever = obj((await login(sim, {})).body).token as string;
    const sessions = await jsonApi(sim, ORIGIN, basic(sim), "throw").get("/api/v1/authenticate/");
    expect(sessions.status).toBe(200);
    expect(sessions.body).toEqual([
      {
        created: "2026-11-28T10:00:00.000000Z",
        expires: "2026-11-28T18:00:00.000000Z",
        token_key: short.slice(0, 8),
      },
      { created: "2026-11-28T10:00:00.000000Z", expires: null, token_key: forever.slice(0, 8) },
    ]);
    sim.clock.advance(8 * 3_600_000);
    const expired = await jsonApi(sim, ORIGIN, `Token ${short}`, "throw").get("/hr/v1/applicants/");
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ detail: "Invalid token." });
    expect((await jsonApi(sim, ORIGIN, `Token ${forever}`, "throw").get("/hr/v1/applicants/")).status).toBe(
      200,
    );
    const bad = await login(sim, { expires: "soon" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ expires: ["A valid integer is required."] });
  });

  it("logout revokes the presented token (204); logoutall every token of the user", async () => {
    const sim = createCertnSimulator();
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map(async () => obj((await login(sim)).body).token as string),
    );
    const as = (token: string | undefined) => jsonApi(sim, ORIGIN, `Token ${token}`, "throw");
    expect((await as(a).send("POST", "/api/v1/logout/")).status).toBe(204);
    expect((await as(a).get("/hr/v1/applicants/")).status).toBe(401);
    expect((await as(b).get("/hr/v1/applicants/")).status).toBe(200);
    expect((await as(b).send("POST", "/api/v1/logoutall/")).status).toBe(204);
    expect((await as(c).get("/hr/v1/applicants/")).status).toBe(401);
    // knox's logout views take only a Token.
    const viaBasic = await jsonApi(sim, ORIGIN, basic(sim), "throw").send("POST", "/api/v1/logout/");
    expect(viaBasic.status).toBe(401);
  });

  it("POST /api/v2/login/ answers {expiry, token, user} (§2.3 [CODE])", async () => {
    const sim = createCertnSimulator();
    const { status, body } = await login(sim, { expires: 1 }, "/api/v2/login/");
    expect(status).toBe(200);
    const answer = obj(body);
    expect(answer.expiry).toBe("2026-11-28T11:00:00.000000Z");
    expect(answer.token).toMatch(/^[0-9a-f]{64}$/);
    expect(obj(answer.user)).toMatchObject({ id: sim.ownerId, email: sim.sessionLogin.username });
    const viaToken = jsonApi(sim, ORIGIN, `Token ${answer.token}`, "throw");
    expect((await viaToken.get("/hr/v1/applicants/")).status).toBe(200);
  });
});

describe("properties and listings (certn-api.md §3.3)", () => {
  it("creates, lists, reads, updates and deletes a property and its listing", async () => {
    const sim = createCertnSimulator();
    const client = jsonApi(sim, ORIGIN, `Bearer ${sim.credentials.apiKeys[0]}`, "throw");
    const missing = await client.send("POST", "/api/v2/properties/", {});
    expect(missing.status).toBe(400);
    expect(Object.keys(obj(missing.body)).sort()).toEqual(["address", "city", "owner_id", "province_state"]);
    const created = await client.send("POST", "/api/v2/properties/", {
      address: "1 Main St",
      city: "Victoria",
      province_state: "BC",
      owner_id: sim.ownerId,
    });
    expect(created.status).toBe(201);
    const property = obj(created.body);
    expect(Object.keys(property).sort()).toEqual(
      [
        "id",
        "status",
        "address",
        "city",
        "province_state",
        "country",
        "postal_code",
        "is_active",
        "owner",
        "listing_count",
        "full_address",
        "url_code",
      ].sort(),
    );
    expect(obj(property.owner).id).toBe(sim.ownerId);
    const listing = await client.send("POST", "/api/v2/listings/", {
      rent: 1000,
      owner_id: sim.ownerId,
      property_id: property.id,
    });
    expect(listing.status).toBe(201);
    // §1.6 [CODE]: decimal money values are strings.
    expect(obj(listing.body)).toMatchObject({ rent: "1000.00", is_active: true, applicant_count: 0 });
    expect(obj(obj(listing.body).property).listing_count).toBe(1);
    expect(obj((await client.get("/api/v2/listings/")).body).count).toBe(1);
    const updated = await client.send("PUT", `/api/v2/properties/${property.id}/`, {
      address: "2 Main St",
      city: "Victoria",
      province_state: "BC",
      owner_id: sim.ownerId,
    });
    expect(obj(updated.body).address).toBe("2 Main St");
    // The bungalow client reads a property without the trailing slash: a 301 (§1.2).
    const redirect = await sim.fetch(`${ORIGIN}/api/v2/properties/${property.id}`, {
      headers: { authorization: `Bearer ${sim.credentials.apiKeys[0]}` },
    });
    expect(redirect.status).toBe(301);
    expect((await client.send("DELETE", `/api/v2/properties/${property.id}/`)).status).toBe(204);
    expect((await client.get(`/api/v2/properties/${property.id}/`)).status).toBe(404);
    expect(obj((await client.get("/api/v2/listings/")).body).count).toBe(0);
  });

  it("refuses an unknown property or owner as DRF does", async () => {
    const sim = createCertnSimulator();
    const client = jsonApi(sim, ORIGIN, `Bearer ${sim.credentials.apiKeys[0]}`, "throw");
    const unknown = "00000000-0000-4000-8000-000000000000";
    const response = await client.send("POST", "/api/v2/listings/", {
      rent: "abc",
      owner_id: unknown,
      property_id: unknown,
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ rent: ["A valid number is required."] });
    const refs = await client.send("POST", "/api/v2/listings/", {
      rent: "950.5",
      owner_id: unknown,
      property_id: unknown,
    });
    expect(refs.body).toEqual({
      owner_id: [`Invalid pk "${unknown}" - object does not exist.`],
      property_id: [`Invalid pk "${unknown}" - object does not exist.`],
    });
  });
});
