/** The CertnCentric surface in Node and inside workerd. */
import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { centricApi, quickscreenOrder } from "./centric-helpers.ts";
import { hmacSha256Hex, obj } from "./helpers.ts";

describe("CertnCentric simulator (Node and workerd)", () => {
  it("orders a quickscreen, completes it over simulated time, and signs X-Signature webhooks after the challenge", async () => {
    const received: { signature: string; body: string }[] = [];
    const sim = createCertnSimulator({
      centric: {
        webhook: {
          url: "https://hooks.example.test/centric",
          secret: "k",
          fetch: async (request) => {
            if (request.method === "GET")
              return new Response(new URL(request.url).searchParams.get("challenge"));
            received.push({
              signature: request.headers.get("x-signature") ?? "",
              body: await request.text(),
            });
            return new Response(null, { status: 204 });
          },
        },
      },
    });
    const api = centricApi(sim);
    const created = await api.send("POST", "/api/public/cases/order/", quickscreenOrder("Review"));
    expect(created.status).toBe(201);
    const id = obj(created.body).id;
    sim.clock.advance(5000);
    expect(obj((await api.get(`/api/public/cases/${id}/`)).body)).toMatchObject({
      overall_status: "COMPLETE",
      overall_score: "REVIEW",
    });
    await sim.flushWebhooks();
    expect(sim.centric.webhookState).toBe("verified");
    expect(received.length).toBeGreaterThan(0);
    for (const r of received) expect(r.signature).toBe(await hmacSha256Hex("k", r.body));
  });

  it("answers errors in the {type, errors} envelope", async () => {
    const sim = createCertnSimulator();
    const response = await centricApi(sim).send("POST", "/api/public/cases/order/", {});
    expect(response.status).toBe(400);
    expect(obj(response.body).type).toBe("validation_error");
    const anonymous = await sim.fetch("https://api.sandbox.certn.co/api/public/cases/");
    expect(anonymous.status).toBe(401);
  });
});
