import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { getToken } from "../../shared/simulator/helpers.ts";

const PAGE = "http://127.0.0.1:1234";

describe("CORS option", () => {
  it("answers a preflight from the configured origin, allowing Authorization", async () => {
    const sim = createCertnSimulator({ cors: { origin: PAGE } });
    const preflight = await sim.fetch("https://demo-api.certn.co/api/v1/teams/", {
      method: "OPTIONS",
      headers: {
        origin: PAGE,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    const token = await getToken(sim);
    const actual = await sim.fetch("https://demo-api.certn.co/api/v1/teams/", {
      headers: { origin: PAGE, authorization: `Bearer ${token}` },
    });
    expect(actual.status).toBe(200);
    expect(actual.headers.get("access-control-allow-origin")).toBe(PAGE);
    const throttledHeaders = actual.headers.get("access-control-expose-headers")?.toLowerCase() ?? "";
    expect(throttledHeaders).toContain("retry-after");
  });

  it("adds the header to injected fault responses too, and never to other origins", async () => {
    const sim = createCertnSimulator({ cors: { origin: [PAGE] } });
    sim.inject("GET /api/v1/teams/", [{ status: 503 }]);
    const faulted = await sim.fetch("https://demo-api.certn.co/api/v1/teams/", { headers: { origin: PAGE } });
    expect(faulted.headers.get("access-control-allow-origin")).toBe(PAGE);
    const other = await sim.fetch("https://demo-api.certn.co/api/v1/teams/", {
      headers: { origin: "http://evil.test" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("is off by default", async () => {
    const sim = createCertnSimulator();
    const response = await sim.fetch("https://demo-api.certn.co/api/v1/teams/", {
      method: "OPTIONS",
      headers: { origin: PAGE, "access-control-request-method": "GET" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.status).toBe(401);
  });
});
