import { describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/client.ts";
import { createCentricResources } from "../../../src/resources/centric/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { answerCertnCentricChallenge } from "../../../src/webhooks/centric-challenge.ts";
import { type CertnCentricEvent, parseCertnCentricEvent } from "../../../src/webhooks/centric-event.ts";
import { verifyCertnCentricSignature } from "../../../src/webhooks/centric-signature.ts";

const secret = "centric-webhook-secret";

/** A receiver written the way docs/webhooks.md tells users to write one. */
function receiver(receiverSecret: string) {
  const events: CertnCentricEvent[] = [];
  const refused: string[] = [];
  const handle = async (request: Request): Promise<Response> => {
    const challenge = answerCertnCentricChallenge(request);
    if (challenge) return challenge;
    const body = await request.arrayBuffer();
    const verified = await verifyCertnCentricSignature({
      header: request.headers.get("X-Signature"),
      body,
      secret: receiverSecret,
    });
    if (!verified.ok) {
      refused.push(verified.reason);
      return new Response(verified.reason, { status: 401 });
    }
    events.push(parseCertnCentricEvent(body));
    return new Response(null, { status: 204 });
  };
  return { handle, events, refused };
}

async function runCase(encoding: "hex" | "base64", receiverSecret = secret) {
  const hook = receiver(receiverSecret);
  const sim = createCertnSimulator({
    centric: {
      webhook: {
        url: "https://hooks.example.test/certn",
        secret,
        fetch: hook.handle,
        signatureEncoding: encoding,
      },
    },
  });
  const client = createCertnClient({
    apiKey: sim.centric.apiKeys[0] ?? "",
    apiKeyScheme: "Api-Key",
    fetch: sim.fetch,
  });
  const centric = createCentricResources(client);
  const ordered = await centric.cases.order({
    email_address: "applicant@example.com",
    check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
    input_claims: { name: { given_name: "John", family_name: "Doe" }, date_of_birth: "1990-01-15" },
  });
  sim.clock.advance(24 * 3_600_000);
  await sim.flushWebhooks();
  return { sim, hook, ordered };
}

describe("CertnCentric webhook helpers against the simulator's deliveries", () => {
  it("answers the simulator's GET ?challenge handshake", async () => {
    const hook = receiver(secret);
    const sim = createCertnSimulator({
      centric: { webhook: { url: "https://hooks.example.test/certn", secret, fetch: hook.handle } },
    });
    expect(await sim.centric.verifyWebhook()).toBe(true);
    expect(sim.centric.webhookState).toBe("verified");
    expect(sim.centric.challenges.at(-1)).toMatchObject({ ok: true, status: 200 });
  });

  for (const encoding of ["hex", "base64"] as const) {
    it(`verifies every X-Signature (${encoding}) and parses each event (payload with id and event_id)`, async () => {
      const { sim, hook, ordered } = await runCase(encoding);
      expect(hook.refused).toEqual([]);
      expect(hook.events.length).toBeGreaterThan(0);
      expect(sim.centric.webhookAttempts.every((attempt) => attempt.status === 204)).toBe(true);
      const types = new Set(hook.events.map((event) => event.eventType));
      expect(types.has("CASE_STATUS_CHANGED")).toBe(true);
      for (const event of hook.events) {
        // object_id is the case id, even for check events (code-sourced).
        expect(event.objectId).toBe(ordered.id);
        expect(event.objectType).toBe("CASE");
        expect(event.payload.event_id).toBe(event.id);
      }
      expect(new Set(hook.events.map((event) => event.id)).size).toBe(hook.events.length);
      const last = hook.events.filter((event) => event.eventType === "CASE_STATUS_CHANGED").at(-1);
      expect(last?.caseStatus).toBe("COMPLETE");
    });
  }

  it("refuses every delivery signed with another secret", async () => {
    const { hook } = await runCase("hex", "not-the-secret");
    expect(hook.events).toEqual([]);
    expect(hook.refused.length).toBeGreaterThan(0);
    expect(new Set(hook.refused)).toEqual(new Set(["signature-mismatch"]));
  });
});
