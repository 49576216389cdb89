import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { api, getToken } from "../../shared/simulator/helpers.ts";

describe("fault injection", () => {
  it("serves injected responses in order, then the real route again", async () => {
    const sim = createCertnSimulator();
    const client = api(sim, await getToken(sim));
    const injection = sim.inject("GET /api/v1/teams/", [
      { status: 503, headers: { "retry-after": "2" }, body: { detail: "Service unavailable" } },
      { status: 502, body: "<html>Bad gateway</html>" },
    ]);
    expect(injection.remaining).toBe(2);
    const first = await client.get("/api/v1/teams/");
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toBe("2");
    expect(first.body).toEqual({ detail: "Service unavailable" });
    const second = await client.get("/api/v1/teams/");
    expect(second.status).toBe(502);
    expect(second.body).toBe("<html>Bad gateway</html>");
    expect(second.headers.get("content-type")).toMatch(/^text\/plain/);
    expect((await client.get("/api/v1/teams/")).status).toBe(200);
    expect(injection.remaining).toBe(0);
    expect(sim.requests["GET /api/v1/teams/"]).toBe(3);
  });

  it("matches by pattern (any method), by concrete path, or by predicate; other routes are untouched", async () => {
    const sim = createCertnSimulator();
    const client = api(sim, await getToken(sim));
    sim.inject("/api/v1/teams/:id/", [{ status: 500 }]);
    sim.inject("/api/v1/users/", [{ status: 418 }]);
    sim.inject((request) => request.headers.get("x-test") === "fail", [{ status: 409 }]);
    expect((await client.get("/api/v1/teams/")).status).toBe(200);
    expect((await client.get("/api/v1/teams/abc/")).status).toBe(500);
    expect((await client.get("/api/v1/users/")).status).toBe(418);
    const flagged = await sim.fetch("https://demo-api.certn.co/api/v1/superteams/", {
      headers: { "x-test": "fail" },
    });
    expect(flagged.status).toBe(409);
  });

  it("fails the token endpoint (the client's refresh path)", async () => {
    const sim = createCertnSimulator();
    sim.inject("POST /token/", [{ status: 500 }]);
    await expect(getToken(sim)).rejects.toThrow(/500/);
    expect(await getToken(sim)).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(sim.tokenRequests).toBe(2);
  });

  it("drop rejects like a reset connection (TypeError)", async () => {
    const sim = createCertnSimulator();
    sim.inject("GET /api/v1/teams/", [{ drop: true }]);
    const error = await sim.fetch("https://demo-api.certn.co/api/v1/teams/").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe("fetch failed");
  });

  it("hang never answers until the request's signal aborts, then rejects with its reason", async () => {
    const sim = createCertnSimulator();
    sim.inject("GET /api/v1/teams/", [{ hang: true }]);
    const controller = new AbortController();
    let settled = false;
    const pending = sim
      .fetch("https://demo-api.certn.co/api/v1/teams/", { signal: controller.signal })
      .finally(() => {
        settled = true;
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    controller.abort(new DOMException("caller gave up", "AbortError"));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("AbortError");
  });

  it("delayMs waits (abortably) before answering normally or with the fault's status", async () => {
    const sim = createCertnSimulator();
    sim.inject("GET /api/v1/teams/", [{ delayMs: 5 }, { delayMs: 5, status: 504 }, { delayMs: 60_000 }]);
    expect((await sim.fetch("https://demo-api.certn.co/api/v1/teams/")).status).toBe(401);
    expect((await sim.fetch("https://demo-api.certn.co/api/v1/teams/")).status).toBe(504);
    const error = await sim
      .fetch("https://demo-api.certn.co/api/v1/teams/", { signal: AbortSignal.timeout(10) })
      .catch((e: unknown) => e);
    expect((error as DOMException).name).toBe("TimeoutError");
  });

  it("cancel() drops unconsumed faults; reset() clears every injection", async () => {
    const sim = createCertnSimulator();
    const injection = sim.inject("GET /api/v1/teams/", [{ status: 500 }, { status: 500 }]);
    injection.cancel();
    expect((await sim.fetch("https://demo-api.certn.co/api/v1/teams/")).status).toBe(401);
    sim.inject("GET /api/v1/teams/", [{ status: 500 }]);
    sim.reset();
    expect((await sim.fetch("https://demo-api.certn.co/api/v1/teams/")).status).toBe(401);
  });

  it("rejects malformed fault lists with an error naming the entry", () => {
    const sim = createCertnSimulator();
    expect(() => sim.inject("/x/", [])).toThrow(/non-empty array/);
    expect(() => sim.inject("/x/", [{ status: 200 }, { status: 99 }])).toThrow(/faults\[1\]\.status/);
    expect(() => sim.inject("/x/", [{} as never])).toThrow(/faults\[0\] needs one of/);
  });
});
