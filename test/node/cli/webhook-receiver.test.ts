/**
 * The CLI's webhook receiver (the handler behind `--webhook-port` and the simulator's in-process
 * deliveries): a verified event goes to the run's hub once, known by the id the Worker
 * de-duplicates on too, so a delivery posted twice (Certn's retry, or a captured one replayed)
 * never satisfies two waits; and CertnCentric's challenge is answered to HEAD as to GET.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createWebhookHandler, type WebhookSink } from "../../../src/cli/webhook-receiver.ts";
import type { WebhookSource } from "../../../src/collection/model.ts";
import type { JsonValue } from "../../../src/core/json.ts";

const SECRETS = { certn: "whsec-partner-receiver-test", certncentric: "whsec-centric-receiver-test" };

function recordingSink(): WebhookSink & { delivered: Array<{ webhook: WebhookSource; body: JsonValue }> } {
  const delivered: Array<{ webhook: WebhookSource; body: JsonValue }> = [];
  return { delivered, deliver: (webhook, body) => delivered.push({ webhook, body }) };
}

const hexHmac = (secret: string, text: string) => createHmac("sha256", secret).update(text).digest("hex");

function centricDelivery(body: string): Request {
  return new Request("http://127.0.0.1/webhooks/certncentric", {
    method: "POST",
    headers: { "content-type": "application/json", "x-signature": hexHmac(SECRETS.certncentric, body) },
    body,
  });
}

/** A partner delivery, signed afresh at `t` as each of Certn's attempts is. */
function partnerDelivery(body: string, t: number): Request {
  return new Request("http://127.0.0.1/webhooks/certn/", {
    method: "POST",
    headers: { "certn-signature": `t=${t},v1=${hexHmac(SECRETS.certn, `${t}.${body}`)}` },
    body,
  });
}

async function answer(response: Response): Promise<[number, string]> {
  return [response.status, (await response.text()).trim()];
}

describe("the CLI's webhook receiver", () => {
  it("hands a CertnCentric event on once, however often it is delivered", async () => {
    const sink = recordingSink();
    const receive = await createWebhookHandler(sink, SECRETS);
    const event = JSON.stringify({ id: "evt-1", event_type: "CASE_STATUS_CHANGED", object_id: "c-1" });
    expect(await answer(await receive(centricDelivery(event)))).toEqual([200, "ok"]);
    expect(await answer(await receive(centricDelivery(event)))).toEqual([200, "duplicate"]);
    // The id decides, as in the Worker: `event_id` when there is no `id`.
    const other = JSON.stringify({ event_id: "evt-2", event_type: "CASE_STATUS_CHANGED", object_id: "c-1" });
    expect(await answer(await receive(centricDelivery(other)))).toEqual([200, "ok"]);
    expect(
      sink.delivered.map((entry) => (entry.body as { id?: string; event_id?: string }).id ?? "evt-2"),
    ).toEqual(["evt-1", "evt-2"]);
  });

  it("knows a partner delivery signed afresh by the hash of its body", async () => {
    const sink = recordingSink();
    const receive = await createWebhookHandler(sink, SECRETS);
    const applicant = JSON.stringify({ id: "app-1", report_status: "COMPLETE" });
    const t = Math.floor(Date.now() / 1000);
    expect(await answer(await receive(partnerDelivery(applicant, t)))).toEqual([200, "ok"]);
    expect(await answer(await receive(partnerDelivery(applicant, t + 30)))).toEqual([200, "duplicate"]);
    const changed = JSON.stringify({ id: "app-1", report_status: "ANALYZING" });
    expect(await answer(await receive(partnerDelivery(changed, t + 60)))).toEqual([200, "ok"]);
    expect(sink.delivered).toHaveLength(2);
  });

  it("answers CertnCentric's challenge to HEAD without a body", async () => {
    const receive = await createWebhookHandler(recordingSink(), SECRETS);
    const head = await receive(
      new Request("http://127.0.0.1/webhooks/certncentric?challenge=abc123", { method: "HEAD" }),
    );
    expect(head.status).toBe(200);
    expect(head.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await head.text()).toBe("");
    const put = await receive(new Request("http://127.0.0.1/webhooks/certncentric", { method: "PUT" }));
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, HEAD, POST");
  });
});
