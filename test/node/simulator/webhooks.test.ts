import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { api, getToken, hmacSha256Hex, obj, quickBody } from "../../shared/simulator/helpers.ts";

const SECRET = "whsec-test-secret";

function receiver(statuses: number[] = []) {
  const seen: Request[] = [];
  const bodies: string[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    seen.push(request);
    bodies.push(await request.text());
    return new Response(null, { status: statuses.shift() ?? 200 });
  };
  return { seen, bodies, fetch };
}

async function setup(statuses: number[] = [], autoDeliver = true) {
  const hook = receiver(statuses);
  const sim = createCertnSimulator({
    webhook: { url: "https://hooks.example.test/certn", secret: SECRET, fetch: hook.fetch, autoDeliver },
  });
  const client = api(sim, await getToken(sim));
  const created = await client.send(
    "POST",
    "/api/v1/hr/applications/quick/",
    quickBody({ owner_id: sim.ownerId }),
  );
  return { sim, client, hook, id: obj(created.body).id as string };
}

describe("webhooks (certn-api.md §6.1, §7 #14)", () => {
  it("delivers each status change, creation included, with the full applicant object, signed", async () => {
    const { sim, hook, id } = await setup();
    await sim.flushWebhooks();
    expect(hook.bodies.map((b) => obj(JSON.parse(b)).status)).toEqual(["Analyzing"]);
    sim.clock.advance(5000);
    await sim.flushWebhooks();
    expect(hook.seen).toHaveLength(2);
    const request = hook.seen[1] as Request;
    const body = hook.bodies[1] as string;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://hooks.example.test/certn");
    expect(request.headers.get("content-type")).toBe("application/json");
    const payload = obj(JSON.parse(body));
    expect(payload).toMatchObject({ id, status: "Returned", report_status: "COMPLETE", result: "CLEAR" });
    expect(payload).toHaveProperty("request_softcheck", true);
    const header = request.headers.get("certn-signature") ?? "";
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(match).not.toBeNull();
    const t = match?.[1] ?? "";
    expect(Number(t)).toBe(Math.floor(sim.clock.now() / 1000));
    expect(match?.[2]).toBe(await hmacSha256Hex(SECRET, `${t}.${body}`));
    expect(await hmacSha256Hex("another-secret", `${t}.${body}`)).not.toBe(match?.[2]);
    const teamId = request.headers.get("certn-team-id");
    expect(teamId).toMatch(/^[0-9a-f-]{36}$/);
    const application = obj(payload.application);
    expect(obj(obj(application.owner).team).id).toBe(teamId);
    await sim.flushWebhooks();
    expect(hook.seen).toHaveLength(2);
  });

  it("announces every change of an invite in order, each as it was then", async () => {
    const { sim, client, hook } = await setup();
    await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "x@example.com",
      request_softcheck: true,
    });
    sim.clock.advance(60_000);
    await sim.flushWebhooks();
    const states = hook.bodies.map((b) => {
      const p = obj(JSON.parse(b));
      return `${p.applicant_type}:${p.status}/${p.report_status}`;
    });
    expect(states).toEqual([
      "Quick Screen:Analyzing/IN_PROGRESS",
      "Invite:Pending/WAITING_ON_CANDIDATE",
      "Quick Screen:Returned/COMPLETE",
      "Invite:Analyzing/IN_PROGRESS",
      "Invite:Returned/COMPLETE",
    ]);
  });

  it("delivers a change when the simulated clock passes it, with no request and no flush", async () => {
    const { sim, hook } = await setup();
    await sim.flushWebhooks();
    sim.clock.advance(5000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hook.bodies.map((b) => obj(JSON.parse(b)).status)).toEqual(["Analyzing", "Returned"]);
    expect(sim.webhookAttempts.map((a) => a.status)).toEqual([200, 200]);
  });

  it("retries 408 and 5xx up to 3 more times with a fresh signature each time", async () => {
    const { sim, hook } = await setup([503, 408, 500, 504]);
    await sim.flushWebhooks();
    expect(sim.webhookAttempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 408],
      [3, 500],
      [4, 504],
    ]);
    expect(hook.seen).toHaveLength(4);
    for (const attempt of sim.webhookAttempts) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(attempt.headers["certn-signature"] ?? "") ?? [];
      expect(v1).toBe(await hmacSha256Hex(SECRET, `${t}.${attempt.body}`));
    }
  });

  it("stops after a success or any other status >= 400", async () => {
    const success = await setup([502, 200]);
    await success.sim.flushWebhooks();
    expect(success.sim.webhookAttempts.map((a) => a.status)).toEqual([502, 200]);
    const refused = await setup([400]);
    await refused.sim.flushWebhooks();
    expect(refused.sim.webhookAttempts.map((a) => a.status)).toEqual([400]);
  });

  it("retries network errors and records them", async () => {
    let calls = 0;
    const sim = createCertnSimulator({
      webhook: {
        url: "https://hooks.example.test/x",
        secret: SECRET,
        fetch: async () => {
          calls++;
          if (calls === 1) throw new TypeError("fetch failed");
          return new Response("ok");
        },
      },
    });
    const client = api(sim, await getToken(sim));
    await client.send("POST", "/api/v1/hr/applications/quick/", quickBody({ owner_id: sim.ownerId }));
    sim.clock.advance(5000);
    await sim.flushWebhooks();
    expect(sim.webhookAttempts.map((a) => a.error ?? a.status)).toEqual(["fetch failed", 200, 200]);
  });

  it("with autoDeliver: false, only flushWebhooks delivers", async () => {
    const { sim, client, hook, id } = await setup([], false);
    sim.clock.advance(5000);
    await client.get(`/api/v1/hr/applicants/${id}/`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(hook.seen).toHaveLength(0);
    expect(sim.nextWebhookAt()).toBeUndefined();
    await sim.flushWebhooks();
    expect(hook.seen).toHaveLength(2);
  });

  it("rejects an invalid webhook configuration with a clear error", () => {
    expect(() => createCertnSimulator({ webhook: { url: "not a url", secret: "s" } })).toThrow(
      /webhook\.url/,
    );
    expect(() => createCertnSimulator({ webhook: { url: "https://x.test/", secret: "" } })).toThrow(
      /webhook\.secret/,
    );
  });
});
