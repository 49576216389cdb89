/**
 * Webhooks on the clock (issue 18): served in real time, each change is delivered when it
 * happens, with no request to notice it, for both APIs, signed with the wall-clock time
 * (certn-api.md §6.1; certncentric-api.md §5). In library mode the simulated clock does it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { quickscreenOrder } from "../../shared/simulator/centric-helpers.ts";
import {
  api,
  basicHeaders,
  getToken,
  hmacSha256Hex,
  obj,
  quickBody,
} from "../../shared/simulator/helpers.ts";

let served: ServedCertnSimulator | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** Collects deliveries; answers the CertnCentric challenge. */
function receiver() {
  const received: { headers: Headers; body: string; at: number }[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    if (request.method === "GET") return new Response(new URL(request.url).searchParams.get("challenge"));
    received.push({ headers: request.headers, body: await request.text(), at: Date.now() });
    return new Response(null, { status: 204 });
  };
  return { received, fetch };
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("timed out waiting for webhook deliveries");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function servedToken(s: ServedCertnSimulator): Promise<string> {
  const { clientId, clientSecret } = s.simulator.credentials;
  const response = await fetch(`${s.url}/token/`, {
    method: "POST",
    headers: basicHeaders(clientId, clientSecret),
    body: "grant_type=client_credentials",
  });
  return obj(await response.json()).access_token as string;
}

describe("served in real time: each change is delivered when it happens", () => {
  it("partner: creation, then the result, with no request in between; t is the wall-clock time (§6.1)", async () => {
    const hook = receiver();
    served = await serveCertnSimulator({
      realTime: true,
      progress: { analysisMs: 300 },
      webhook: { url: "https://hooks.example.test/certn", secret: "s", fetch: hook.fetch },
    });
    const created = await fetch(`${served.url}/api/v1/hr/applications/quick/`, {
      method: "POST",
      headers: { authorization: `Bearer ${await servedToken(served)}`, "content-type": "application/json" },
      body: JSON.stringify(quickBody({ owner_id: served.simulator.ownerId })),
    });
    expect(created.status).toBe(201);
    await until(() => hook.received.length === 2);
    expect(hook.received.map((r) => obj(JSON.parse(r.body)).status)).toEqual(["Analyzing", "Returned"]);
    for (const { headers, body, at } of hook.received) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(headers.get("certn-signature") ?? "") ?? [];
      expect(v1).toBe(await hmacSha256Hex("s", `${t}.${body}`));
      expect(Math.abs(Number(t) - at / 1000)).toBeLessThan(5);
    }
  });

  it("CertnCentric: the served simulator delivers its events too (§5.2-§5.4)", async () => {
    const hook = receiver();
    served = await serveCertnSimulator({
      realTime: true,
      progress: { analysisMs: 300 },
      centric: { webhook: { url: "https://hooks.example.test/centric", secret: "k", fetch: hook.fetch } },
    });
    const key = served.simulator.centric.apiKeys[0] ?? "";
    const response = await fetch(`${served.url}/api/public/cases/order/`, {
      method: "POST",
      headers: { authorization: `Api-Key ${key}`, "content-type": "application/json" },
      body: JSON.stringify(quickscreenOrder()),
    });
    expect(response.status).toBe(201);
    await until(() => hook.received.some((r) => obj(JSON.parse(r.body)).case_status === "COMPLETE"));
    expect(served.simulator.centric.webhookState).toBe("verified");
    for (const { headers, body } of hook.received) {
      expect(headers.get("x-signature")).toBe(await hmacSha256Hex("k", body));
    }
  });

  it("served on a simulated clock, Certn-Signature still carries the wall-clock time", async () => {
    const hook = receiver();
    served = await serveCertnSimulator({
      webhook: { url: "https://hooks.example.test/certn", secret: "s", fetch: hook.fetch },
    });
    await api(served.simulator, await getToken(served.simulator)).send(
      "POST",
      "/api/v1/hr/applications/quick/",
      quickBody({ owner_id: served.simulator.ownerId }),
    );
    served.simulator.clock.advance(5000);
    await served.simulator.flushWebhooks();
    expect(hook.received).toHaveLength(2);
    for (const { headers } of hook.received) {
      const t = Number(/^t=(\d+),/.exec(headers.get("certn-signature") ?? "")?.[1]);
      expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
    }
  });
});

describe("library mode: the simulated clock delivers, no timers", () => {
  it("reports the next change, and advancing past it delivers it", async () => {
    const hook = receiver();
    const sim = createCertnSimulator({
      webhook: { url: "https://hooks.example.test/certn", secret: "s", fetch: hook.fetch },
    });
    expect(sim.nextWebhookAt()).toBeUndefined();
    const client = api(sim, await getToken(sim));
    await client.send("POST", "/api/v1/hr/applications/quick/", quickBody({ owner_id: sim.ownerId }));
    await sim.flushWebhooks();
    expect(sim.nextWebhookAt()).toBe(sim.clock.now() + 5000);
    sim.clock.advance(5000);
    await until(() => hook.received.length === 2);
    expect(sim.nextWebhookAt()).toBeUndefined();
    // Library mode on a simulated clock signs with that clock.
    const t = Number(/^t=(\d+),/.exec(hook.received[1]?.headers.get("certn-signature") ?? "")?.[1]);
    expect(t).toBe(Math.floor(sim.clock.now() / 1000));
  });

  it("in real time (the Worker's development entry), signs with the wall clock even after an advance", async () => {
    const hook = receiver();
    const sim = createCertnSimulator({
      realTime: true,
      webhook: { url: "https://hooks.example.test/certn", secret: "s", fetch: hook.fetch },
    });
    sim.clock.advance(3_600_000);
    await api(sim, await getToken(sim)).send(
      "POST",
      "/api/v1/hr/applications/quick/",
      quickBody({ owner_id: sim.ownerId }),
    );
    await sim.flushWebhooks();
    const t = Number(/^t=(\d+),/.exec(hook.received[0]?.headers.get("certn-signature") ?? "")?.[1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(5);
  });

  it("rejects an unknown signatureTime naming the option", () => {
    expect(() =>
      createCertnSimulator({
        webhook: { url: "https://x.test/", secret: "s", signatureTime: "later" as "wall" },
      }),
    ).toThrow(/webhook\.signatureTime/);
  });
});
