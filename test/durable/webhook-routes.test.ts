/**
 * The webhook routes answer the URL as it was set up, with or without a trailing slash, and the
 * methods their 405 advertises: `HEAD` of CertnCentric's challenge is its `GET` without a body.
 */
import { describe, expect, it } from "vitest";
import { jsonOf } from "../workers/worker/harness.ts";
import {
  CENTRIC_WEBHOOK_SECRET,
  countRows,
  type DurableHarness,
  deliverCentric,
  deliverPartner,
  durableHarness,
  hmacHex,
} from "./helpers.ts";

function request(h: DurableHarness, path: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(h.app.fetch(new Request(`https://worker.test${path}`, init), h.env));
}

describe("the webhook routes", () => {
  it("answer CertnCentric's challenge with a trailing slash, and to HEAD without a body", async () => {
    const h = durableHarness();
    const slash = await request(h, "/webhooks/certncentric/?challenge=abc123");
    expect(slash.status).toBe(200);
    expect(await slash.text()).toBe("abc123");
    for (const path of [
      "/webhooks/certncentric?challenge=abc123",
      "/webhooks/certncentric/?challenge=abc123",
    ]) {
      const head = await request(h, path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(head.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await head.text()).toBe("");
    }
    expect((await request(h, "/webhooks/certncentric/", { method: "HEAD" })).status).toBe(400);
  });

  it("take deliveries with a trailing slash", async () => {
    const h = durableHarness();
    const centric = {
      id: crypto.randomUUID(),
      event_type: "CASE_STATUS_CHANGED",
      object_type: "CASE",
      object_id: `case-${crypto.randomUUID()}`,
    };
    const body = JSON.stringify(centric);
    const signed = await deliverCentric(h, centric);
    const signature = await hmacHex(CENTRIC_WEBHOOK_SECRET, body);
    expect(signed.status).toBe(200);
    const repeat = await request(h, "/webhooks/certncentric/", {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": signature },
      body,
    });
    expect(repeat.status).toBe(200);
    expect(await jsonOf(repeat)).toEqual({ received: true, duplicate: true });

    const applicant = { id: crypto.randomUUID(), status: "Returned" };
    const partner = await deliverPartner(h, applicant, "/webhooks/certn/");
    expect(partner.status).toBe(200);
    expect(await jsonOf(partner)).toEqual({ received: true, duplicate: false });
    expect(await countRows("webhook_events", "source = 'certn' AND body LIKE ?", `%${applicant.id}%`)).toBe(
      1,
    );
  });

  it("answer other methods 405 with what they allow, with a trailing slash too", async () => {
    const h = durableHarness();
    for (const [path, method, allow] of [
      ["/webhooks/certncentric/", "PUT", "GET, HEAD, POST"],
      ["/webhooks/certn/", "GET", "POST"],
    ] as const) {
      const response = await request(h, path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
    }
  });
});
