import { describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/client.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { verifyCertnSignature } from "../../../src/webhooks/certn-signature.ts";

const secret = "partner-webhook-secret";

async function deliveriesFromSimulator() {
  const received: Request[] = [];
  // When each delivery arrived, on the simulator's clock: a receiver checks `t` against that.
  const receivedAt: number[] = [];
  const sim = createCertnSimulator({
    webhook: {
      url: "https://hooks.example.test/certn",
      secret,
      fetch: async (request) => {
        received.push(request);
        receivedAt.push(sim.clock.now());
        return new Response(null, { status: 204 });
      },
    },
  });
  const client = createCertnClient({ ...sim.credentials, fetch: sim.fetch });
  await client.hr.applications.quick({
    owner_id: sim.ownerId,
    request_softcheck: true,
    information: {
      first_name: "Jane",
      last_name: "Doe",
      date_of_birth: "1990-01-01",
      addresses: [{ address: "1 Main St", city: "Victoria", province_state: "BC", country: "CA" }],
    },
    position_or_property_location: { province_state: "BC", country: "CA" },
  });
  sim.clock.advance(3_600_000);
  await sim.flushWebhooks();
  return { received, receivedAt };
}

describe("verifyCertnSignature against the simulator's deliveries", () => {
  it("accepts every Certn-Signature the simulator sends, with the raw body", async () => {
    const { received, receivedAt } = await deliveriesFromSimulator();
    expect(received.length).toBeGreaterThan(0);
    for (const [i, request] of received.entries()) {
      const body = await request.arrayBuffer();
      const now = receivedAt[i] ?? 0;
      const result = await verifyCertnSignature({
        header: request.headers.get("Certn-Signature"),
        body,
        secret,
        now,
      });
      expect(result).toEqual({ ok: true, timestamp: Math.floor(now / 1000) });
      expect(JSON.parse(new TextDecoder().decode(body))).toHaveProperty("id");
    }
  });

  it("refuses them with another secret, a changed body, or ten minutes later", async () => {
    const { received, receivedAt } = await deliveriesFromSimulator();
    const request = received[0];
    if (!request) throw new Error("the simulator delivered nothing");
    const header = request.headers.get("Certn-Signature");
    const body = await request.text();
    const now = receivedAt[0] ?? 0;
    expect(await verifyCertnSignature({ header, body, secret: "other", now })).toEqual({
      ok: false,
      reason: "signature-mismatch",
    });
    expect(await verifyCertnSignature({ header, body: body.replace("Jane", "Joan"), secret, now })).toEqual({
      ok: false,
      reason: "signature-mismatch",
    });
    expect(await verifyCertnSignature({ header, body, secret, now: now + 600_000 })).toEqual({
      ok: false,
      reason: "timestamp-out-of-tolerance",
    });
  });
});
