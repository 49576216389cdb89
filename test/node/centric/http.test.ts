import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/client.ts";
import { type CertnCentricResources, createCentricResources } from "../../../src/resources/centric/index.ts";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import {
  answerCertnCentricChallenge,
  type CertnCentricEvent,
  parseCertnCentricEvent,
  verifyCertnCentricSignature,
} from "../../../src/webhooks/index.ts";
import { collect } from "./harness.ts";

const secret = "http-webhook-secret";
const events: CertnCentricEvent[] = [];
const refusals: string[] = [];

/** A real HTTP webhook receiver on 127.0.0.1, written with the helpers as docs/webhooks.md shows. */
async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createAdaptorServer({
    hostname: "127.0.0.1",
    overrideGlobalObjects: false,
    fetch: async (request: Request) => {
      const challenge = answerCertnCentricChallenge(request);
      if (challenge) return challenge;
      const body = await request.arrayBuffer();
      const verified = await verifyCertnCentricSignature({
        header: request.headers.get("X-Signature"),
        body,
        secret,
      });
      if (!verified.ok) {
        refusals.push(verified.reason);
        return new Response(verified.reason, { status: 401 });
      }
      events.push(parseCertnCentricEvent(body));
      return new Response(null, { status: 204 });
    },
  }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/certn`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

let served: ServedCertnSimulator;
let receiver: { url: string; close(): Promise<void> };
let centric: CertnCentricResources;

beforeAll(async () => {
  receiver = await startReceiver();
  served = await serveCertnSimulator({
    centric: { rateLimit: false, webhook: { url: receiver.url, secret, autoDeliver: false } },
  });
  const apiKey = served.simulator.centric.apiKeys[0] ?? "";
  const client = createCertnClient({
    apiKey,
    apiKeyScheme: "Api-Key",
    baseUrl: served.url,
    retry: { retries: 0 },
  });
  centric = createCentricResources(client);
});

afterAll(async () => {
  await served?.close();
  await receiver?.close();
});

describe("CertnCentric over HTTP (serveCertnSimulator on 127.0.0.1)", () => {
  it("orders, pages, reads, reports and downloads the PDF link with a plain fetch", async () => {
    const sim = served.simulator;
    const ordered = await centric.cases.order({
      email_address: "http@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
      input_claims: { name: { given_name: "Http", family_name: "Doe" }, date_of_birth: "1990-01-15" },
    });
    const listed = await collect(centric.cases.all({ email_address: "http@example.com", page_size: 1 }));
    expect(listed.map((c) => c.id)).toEqual([ordered.id]);

    sim.clock.advance(3_600_000);
    expect((await centric.cases.get(ordered.id)).overall_status).toBe("COMPLETE");
    const { reportFileId } = await centric.cases.generateReport(ordered.id);
    sim.clock.advance(60_000);
    const file = await centric.cases.reportFile(reportFileId);
    expect(file.status).toBe("COMPLETE");
    expect(file.pdfUrl?.startsWith(served.url)).toBe(true);
    const pdf = await fetch(file.pdfUrl ?? "");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode(new Uint8Array(await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
  });

  // Runs after the test above: its case's status changes and report are what gets delivered.
  it("passes the challenge handshake and verifies every delivery received over HTTP", async () => {
    const sim = served.simulator;
    await sim.flushWebhooks();
    expect(sim.centric.webhookState).toBe("verified");
    expect(refusals).toEqual([]);
    const types = new Set(events.map((e) => e.eventType));
    expect(types).toEqual(new Set(["CASE_STATUS_CHANGED", "CHECK_STATUS_CHANGED", "CASE_REPORT_READY"]));
    expect(sim.centric.webhookAttempts.every((a) => a.status === 204)).toBe(true);
  });
});
