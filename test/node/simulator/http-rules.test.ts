import { beforeEach, describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { getToken } from "../../shared/simulator/helpers.ts";

let sim: CertnSimulator;
let auth: Record<string, string>;
const BASE = "https://demo-api.certn.co";
beforeEach(async () => {
  sim = createCertnSimulator();
  auth = { authorization: `Bearer ${await getToken(sim)}` };
});

describe("trailing slash (certn-api.md §1.2, §7 #13)", () => {
  it("inferred §7 #13: redirects a GET without the slash with 301, keeping the query", async () => {
    const response = await sim.fetch(`${BASE}/api/v1/teams?page=2&page_size=2`, {
      headers: auth,
      redirect: "manual",
    });
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/api/v1/teams/?page=2&page_size=2");
  });

  it("inferred §7 #13: refuses POST/PUT/DELETE without the slash with 404 (nothing is created)", async () => {
    const body = JSON.stringify({ name: "x" });
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const response = await sim.fetch(`${BASE}/api/v1/teams`, {
        method,
        headers: { ...auth, "content-type": "application/json" },
        ...(method === "DELETE" ? {} : { body }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ detail: "Not found." });
    }
    const list = await sim.fetch(`${BASE}/api/v1/teams/`, { headers: auth });
    expect(((await list.json()) as { count: number }).count).toBe(5);
  });

  it("404s paths that do not exist with or without the slash", async () => {
    for (const path of ["/api/v1/nothing/", "/api/v1/nothing", "/"]) {
      const response = await sim.fetch(`${BASE}${path}`, { headers: auth });
      expect(response.status).toBe(404);
    }
  });
});

describe("request bodies (DRF parsers)", () => {
  it("answers a non-JSON content type with 415 naming it", async () => {
    const response = await sim.fetch(`${BASE}/api/v1/teams/`, {
      method: "POST",
      headers: { ...auth, "content-type": "text/plain" },
      body: '{"name":"x"}',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });

  it("answers malformed JSON with 400 'JSON parse error - ...'", async () => {
    const response = await sim.fetch(`${BASE}/api/v1/teams/`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json; charset=utf-8" },
      body: '{"name": ',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { detail: string };
    expect(body.detail).toMatch(/^JSON parse error - ./);
  });

  it("answers a non-object JSON body with non_field_errors", async () => {
    const response = await sim.fetch(`${BASE}/api/v1/teams/`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: "[1,2]",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      non_field_errors: ["Invalid data. Expected a dictionary, but got list."],
    });
  });
});

describe("methods", () => {
  it("answers an unsupported method with 405 DRF detail and Allow, after authentication", async () => {
    const response = await sim.fetch(`${BASE}/api/v1/users/`, { method: "DELETE", headers: auth });
    expect(response.status).toBe(405);
    expect(await response.json()).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    const anonymous = await sim.fetch(`${BASE}/api/v1/users/`, { method: "DELETE" });
    expect(anonymous.status).toBe(401);
  });

  it("answers HEAD like GET without a body", async () => {
    const response = await sim.fetch(`${BASE}/api/v1/users/`, { method: "HEAD", headers: auth });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });
});

describe("request counts", () => {
  it("counts requests by method and route pattern, unknown paths by their path", async () => {
    await sim.fetch(`${BASE}/api/v1/teams/`, { headers: auth });
    await sim.fetch(`${BASE}/api/v1/teams/abc/`, { headers: auth });
    await sim.fetch(`${BASE}/api/v1/teams/def/`, { headers: auth });
    await sim.fetch(`${BASE}/nowhere/`, { headers: auth });
    expect(sim.requests).toEqual({
      "POST /token/": 1,
      "GET /api/v1/teams/": 1,
      "GET /api/v1/teams/:id/": 2,
      "GET /nowhere/": 1,
    });
    sim.reset();
    expect(sim.requests).toEqual({});
    expect(sim.tokenRequests).toBe(0);
  });

  it("resolves relative URLs against the base URL option", async () => {
    const local = createCertnSimulator({ baseUrl: "http://127.0.0.1:8788" });
    const response = await local.fetch("/api/v1/teams/", { redirect: "manual" });
    expect(response.status).toBe(401);
    expect(local.requests).toEqual({ "GET /api/v1/teams/": 1 });
  });
});

describe("partnerApiRetired (certncentric-api.md §1.2)", () => {
  it("answers every partner path, the token endpoint included, with 410 Gone", async () => {
    const retired = createCertnSimulator({ partnerApiRetired: true });
    for (const path of [
      "/token/",
      "/token",
      "/api/v1/teams/",
      "/api/v2/applicants/",
      "/hr/v1/applicants/x/",
    ]) {
      const response = await retired.fetch(`${BASE}${path}`, {
        method: path.startsWith("/token") ? "POST" : "GET",
      });
      expect(response.status).toBe(410);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/retired/);
    }
  });
});
