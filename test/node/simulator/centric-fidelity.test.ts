/**
 * CertnCentric answers in Certn's shapes (issue 18): unknown enum filter values are refused, and
 * the event log and questionnaires paths that public code calls are served
 * (certncentric-api.md §3.1, §3.2, §4.1, §5.3).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { centricApi, quickscreenOrder } from "../../shared/simulator/centric-helpers.ts";
import { obj } from "../../shared/simulator/helpers.ts";

describe("overall_status filter (certncentric-api.md §3.2, §4.1)", () => {
  it("inferred: refuses a value outside the enum instead of answering an empty list", async () => {
    const api = centricApi(createCertnSimulator());
    const bogus = await api.get("/api/public/cases/?overall_status=BOGUS&overall_status=COMPLETE");
    expect(bogus.status).toBe(400);
    expect(bogus.body).toEqual({
      type: "validation_error",
      errors: [
        {
          code: "invalid",
          detail: "Select a valid choice. BOGUS is not one of the available choices.",
          attr: "overall_status",
        },
      ],
    });
    // Documented values and those seen in client code are accepted.
    for (const status of ["DRAFT", "COMPLETE", "PENDING_FULFILLMENT", "APPLICANT_DECLINED"]) {
      expect((await api.get(`/api/public/cases/?overall_status=${status}`)).status, status).toBe(200);
    }
  });
});

describe("event log GET /api/public/events/ (certncentric-api.md §3.1, §5.3)", () => {
  it("lists what happened, oldest first, as the webhook payloads, and pages after last_processed_event_id", async () => {
    const sim = createCertnSimulator();
    const api = centricApi(sim);
    const ordered = obj((await api.send("POST", "/api/public/cases/order/", quickscreenOrder())).body);
    const first = obj((await api.get("/api/public/events/")).body);
    const [created] = first.results as Record<string, unknown>[];
    expect(first.results).toHaveLength(1);
    expect(created).toEqual({
      id: created?.id,
      event_type: "CASE_STATUS_CHANGED",
      object_id: ordered.id,
      object_type: "CASE",
      event_id: created?.id,
      created: "2026-11-28T10:00:00.000000Z",
      case_status: "CASE_ORDERED",
    });
    sim.clock.advance(5000);
    const later = obj((await api.get(`/api/public/events/?last_processed_event_id=${created?.id}`)).body);
    const events = later.results as Record<string, unknown>[];
    expect(events.map((e) => `${e.event_type}:${e.case_status}`)).toEqual([
      "CASE_STATUS_CHANGED:IN_PROGRESS",
      "CASE_STATUS_CHANGED:COMPLETE",
      "CHECK_STATUS_CHANGED:COMPLETE",
      "CHECK_STATUS_CHANGED:COMPLETE",
    ]);
    const all = obj((await api.get("/api/public/events/")).body).results as Record<string, unknown>[];
    expect(all.map((e) => e.id)).toEqual([created?.id, ...events.map((e) => e.id)]);
    const unknown = await api.get("/api/public/events/?last_processed_event_id=nope");
    expect(unknown.status).toBe(400);
    expect(obj(unknown.body).type).toBe("validation_error");
  });

  it("pushes and pulls the same events: webhook ids are the log's ids", async () => {
    const bodies: string[] = [];
    const sim = createCertnSimulator({
      centric: {
        webhook: {
          url: "https://hooks.example.test/",
          secret: "s",
          fetch: async (request) => {
            if (request.method === "GET")
              return new Response(new URL(request.url).searchParams.get("challenge"));
            bodies.push(await request.text());
            return new Response(null, { status: 204 });
          },
        },
      },
    });
    const api = centricApi(sim);
    await api.send("POST", "/api/public/cases/order/", quickscreenOrder());
    sim.clock.advance(5000);
    await sim.flushWebhooks();
    const pulled = obj((await api.get("/api/public/events/")).body).results as Record<string, unknown>[];
    expect(bodies.map((b) => obj(JSON.parse(b)).id)).toEqual(pulled.map((e) => e.id));
  });
});

describe("questionnaires GET /api/public/questionnaires/ (certncentric-api.md §3.1)", () => {
  it("pages the account's questionnaires with the is_active filter", async () => {
    const api = centricApi(createCertnSimulator());
    const page = obj((await api.get("/api/public/questionnaires/")).body);
    expect(obj(page.pagination).result_count).toBe(3);
    const [item] = page.results as Record<string, unknown>[];
    expect(Object.keys(item ?? {}).sort()).toEqual(["created", "id", "is_active", "name"]);
    const active = obj((await api.get("/api/public/questionnaires/?is_active=true")).body);
    expect(active.results).toHaveLength(2);
  });
});

describe("the account's limits and a receiver's 10 s (certncentric-api.md §2.3, §5.4)", () => {
  it("counts every key of the account against one rate window", async () => {
    const sim = createCertnSimulator({
      centric: { apiKeys: ["key-one", "key-two"], rateLimit: { perMinute: 3, perDay: 100 } },
    });
    const [one, two] = [centricApi(sim, "key-one"), centricApi(sim, "key-two")];
    for (let index = 0; index < 3; index++) expect((await one.get("/api/public/cases/")).status).toBe(200);
    // "60 requests/minute and 7,220 requests/day per account": another key of it gets no fresh window.
    expect((await two.get("/api/public/cases/")).status).toBe(429);
  });

  it("disables delivery when the endpoint answers the challenge too late", async () => {
    const server = createServer((request, response) => {
      const challenge = new URL(request.url ?? "/", "http://h").searchParams.get("challenge") ?? "";
      setTimeout(() => response.end(challenge), 1_000).unref();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const slow = createCertnSimulator({ centric: { webhook: { url, secret: "s", timeoutMs: 200 } } });
      expect(await slow.centric.verifyWebhook()).toBe(false);
      expect(slow.centric.webhookState).toBe("disabled");
      // The same endpoint, given the time it takes, is verified: it answered correctly, only late.
      const patient = createCertnSimulator({ centric: { webhook: { url, secret: "s", timeoutMs: 5_000 } } });
      expect(await patient.centric.verifyWebhook()).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
