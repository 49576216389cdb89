import { describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { centricApi, quickscreenOrder, SANDBOX } from "../../shared/simulator/centric-helpers.ts";
import { hmacSha256Hex, obj } from "../../shared/simulator/helpers.ts";

async function orderQuick(sim: CertnSimulator, familyName = "Doe"): Promise<string> {
  const response = await centricApi(sim).send(
    "POST",
    "/api/public/cases/order/",
    quickscreenOrder(familyName),
  );
  expect(response.status).toBe(201);
  return obj(response.body).id as string;
}

describe("CertnCentric reports (certncentric-api.md §3.7)", () => {
  it("generate-report → PENDING → COMPLETE with a signed pdf_url/url serving a PDF", async () => {
    const sim = createCertnSimulator();
    const api = centricApi(sim);
    const caseId = await orderQuick(sim);
    const requested = await api.send("POST", `/api/public/cases/${caseId}/generate-report/`, {
      language: "fr-CA",
    });
    expect(requested.status).toBe(201);
    const { id, case_report_file_id } = obj(requested.body);
    expect(case_report_file_id).toBe(id);
    const pending = obj((await api.get(`/api/public/cases/report-files/${id}/`)).body);
    expect(pending).toMatchObject({
      status: "PENDING",
      pdf_url: null,
      url: null,
      language: "fr-CA",
      case_id: caseId,
    });
    sim.clock.advance(3000);
    const done = obj((await api.get(`/api/public/cases/report-files/${id}/`)).body);
    expect(done.status).toBe("COMPLETE");
    expect(done.pdf_url).toBe(done.url);
    expect(done.pdf_url).toMatch(
      new RegExp(
        `^${SANDBOX}/api/public/report-files/${id}/download/\\?expires=\\d+&signature=[0-9a-f]{64}$`,
      ),
    );
    const pdf = await sim.fetch(String(done.pdf_url));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = new TextDecoder().decode(await pdf.arrayBuffer());
    expect(text.startsWith("%PDF-")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(text).toContain(caseId);
  });

  it("refuses a tampered or expired link with 403", async () => {
    const sim = createCertnSimulator();
    const api = centricApi(sim);
    const caseId = await orderQuick(sim);
    const id = obj((await api.send("POST", `/api/public/cases/${caseId}/generate-report/`)).body).id;
    sim.clock.advance(3000);
    const link = String(obj((await api.get(`/api/public/cases/report-files/${id}/`)).body).pdf_url);
    const tampered = link.replace(
      /signature=([0-9a-f])/,
      (_m, c: string) => `signature=${c === "0" ? "1" : "0"}`,
    );
    expect((await sim.fetch(tampered)).status).toBe(403);
    sim.clock.advance(15 * 60_000);
    const expired = await sim.fetch(link);
    expect(expired.status).toBe(403);
    expect(obj(await expired.json()).type).toBe("client_error");
  });

  it("family name Reportfailed makes the report file FAILED; unknown ids 404", async () => {
    const sim = createCertnSimulator();
    const api = centricApi(sim);
    const caseId = await orderQuick(sim, "Reportfailed");
    const id = obj((await api.send("POST", `/api/public/cases/${caseId}/generate-report/`)).body).id;
    sim.clock.advance(3000);
    expect(obj((await api.get(`/api/public/cases/report-files/${id}/`)).body)).toMatchObject({
      status: "FAILED",
      pdf_url: null,
    });
    expect(
      (await api.get("/api/public/cases/report-files/00000000-0000-4000-8000-000000000000/")).status,
    ).toBe(404);
    expect(
      (await api.send("POST", "/api/public/cases/00000000-0000-4000-8000-000000000000/generate-report/"))
        .status,
    ).toBe(404);
  });
});

describe("CertnCentric directory (certncentric-api.md §3.8)", () => {
  it("lists groups, users, packages and tags with their filters", async () => {
    const sim = createCertnSimulator();
    const api = centricApi(sim);
    const groups = obj((await api.get("/api/public/groups/")).body);
    expect(obj(groups.pagination).result_count).toBe(3);
    const [root, child] = groups.results as Record<string, unknown>[];
    expect(root).toMatchObject({ parent_id: null, is_active: true });
    expect(root?.short_id).toMatch(/^CG_CA_[A-Z0-9]{12}$/);
    expect(obj((await api.get(`/api/public/groups/${child?.id}/`)).body).parent_id).toBe(root?.id);
    expect(obj((await api.get(`/api/public/groups/?parent_id=${root?.id}`)).body).results).toHaveLength(2);
    expect(obj((await api.get("/api/public/groups/?is_active=false")).body).results).toHaveLength(1);
    const users = obj((await api.get("/api/public/users/?is_active=true")).body).results as Record<
      string,
      unknown
    >[];
    expect(users.map((u) => u.email)).toEqual(["admin@example.com", "hr@example.com"]);
    expect(users[0]?.full_name).toBe("Avery Admin");
    expect(obj((await api.get(`/api/public/users/${users[1]?.id}/`)).body).role).toBe("MEMBER");
    expect(obj((await api.get("/api/public/users/?role=ADMIN")).body).results).toHaveLength(1);
    expect(
      obj((await api.get("/api/public/packages/?permissible_purposes=EMPLOYMENT")).body).results,
    ).toHaveLength(2);
    expect(obj((await api.get("/api/public/tags/?name=urg")).body).results).toHaveLength(1);
    expect((await api.get("/api/public/groups/00000000-0000-4000-8000-000000000000/")).status).toBe(404);
  });
});

describe("CertnCentric rate limit (certncentric-api.md §2.3)", () => {
  it("inferred §2.3: 60 per rolling minute per key by default, 429 in the envelope with Retry-After", async () => {
    const sim = createCertnSimulator();
    const api = centricApi(sim);
    for (let i = 0; i < 60; i++) expect((await api.get("/api/public/tags/")).status).toBe(200);
    const throttled = await api.get("/api/public/tags/");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("60");
    expect(throttled.body).toEqual({
      type: "client_error",
      errors: [
        { code: "throttled", detail: "Request was throttled. Expected available in 60 seconds.", attr: null },
      ],
    });
    const partner = await sim.fetch("https://demo-api.certn.co/api/v2/teams/", {
      headers: { authorization: `Bearer ${sim.credentials.apiKeys[0]}` },
    });
    expect(partner.status).toBe(200);
    sim.clock.advance(60_000);
    expect((await api.get("/api/public/tags/")).status).toBe(200);
  });

  it("is configurable per simulator, including the 7,220/day window", async () => {
    const sim = createCertnSimulator({ centric: { rateLimit: { perMinute: 1000, perDay: 2 } } });
    const api = centricApi(sim);
    expect((await api.get("/api/public/tags/")).status).toBe(200);
    expect((await api.get("/api/public/tags/")).status).toBe(200);
    const throttled = await api.get("/api/public/tags/");
    expect(throttled.headers.get("retry-after")).toBe("86400");
    const unlimited = createCertnSimulator({ centric: { rateLimit: false } });
    for (let i = 0; i < 70; i++)
      expect((await centricApi(unlimited).get("/api/public/tags/")).status).toBe(200);
  });
});

function receiver(options: { echo?: boolean; statuses?: number[] } = {}) {
  const deliveries: { signature: string; body: string }[] = [];
  const challenges: string[] = [];
  const statuses = options.statuses ?? [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (request.method === "GET") {
      const challenge = url.searchParams.get("challenge") ?? "";
      challenges.push(challenge);
      const body = options.echo === false ? "nope" : challenge;
      return new Response(body, {
        headers: { "content-type": "text/plain", "x-content-type-options": "nosniff" },
      });
    }
    deliveries.push({ signature: request.headers.get("x-signature") ?? "", body: await request.text() });
    return new Response(null, { status: statuses.shift() ?? 200 });
  };
  return { deliveries, challenges, fetch };
}

describe("CertnCentric webhooks (certncentric-api.md §5)", () => {
  it("verifies the endpoint with GET ?challenge, then sends thin events (§5.3 fields only) signed with X-Signature", async () => {
    const hook = receiver();
    const sim = createCertnSimulator({
      centric: {
        webhook: {
          url: "https://hooks.example.test/certn?tenant=7",
          secret: "centric-secret",
          fetch: hook.fetch,
        },
      },
    });
    const caseId = await orderQuick(sim);
    sim.clock.advance(5000);
    await sim.flushWebhooks();
    expect(hook.challenges).toHaveLength(1);
    expect(sim.centric.webhookState).toBe("verified");
    const events = hook.deliveries.map((d) => obj(JSON.parse(d.body)));
    expect(events.map((e) => `${e.event_type}:${e.case_status}`)).toEqual([
      "CASE_STATUS_CHANGED:CASE_ORDERED",
      "CASE_STATUS_CHANGED:IN_PROGRESS",
      "CASE_STATUS_CHANGED:COMPLETE",
      "CHECK_STATUS_CHANGED:COMPLETE",
      "CHECK_STATUS_CHANGED:COMPLETE",
    ]);
    for (const event of events) {
      // The documented {id, event_type, object_id, object_type} plus what receivers read, nothing else.
      expect(Object.keys(event).sort()).toEqual(
        ["case_status", "created", "event_id", "event_type", "id", "object_id", "object_type"].sort(),
      );
      expect(event).toMatchObject({ object_id: caseId, object_type: "CASE" });
      expect(event.id).toBe(event.event_id);
    }
    for (const delivery of hook.deliveries) {
      expect(delivery.signature).toBe(await hmacSha256Hex("centric-secret", delivery.body));
    }
    const api = centricApi(sim);
    await api.send("POST", `/api/public/cases/${caseId}/generate-report/`);
    sim.clock.advance(3000);
    await sim.flushWebhooks();
    const ready = obj(JSON.parse(hook.deliveries.at(-1)?.body ?? "{}"));
    expect(ready).toMatchObject({
      event_type: "CASE_REPORT_READY",
      object_id: caseId,
      case_status: "COMPLETE",
    });
    expect(ready).not.toHaveProperty("report_file_id");
    expect(hook.challenges).toHaveLength(1);
  });

  it("disables delivery when the challenge is not echoed", async () => {
    const hook = receiver({ echo: false });
    const sim = createCertnSimulator({
      centric: { webhook: { url: "https://hooks.example.test/", secret: "s", fetch: hook.fetch } },
    });
    await orderQuick(sim);
    sim.clock.advance(5000);
    await sim.flushWebhooks();
    expect(sim.centric.webhookState).toBe("disabled");
    expect(sim.centric.challenges[0]?.ok).toBe(false);
    expect(hook.deliveries).toHaveLength(0);
    expect(await sim.centric.verifyWebhook()).toBe(false);
  });

  it("retries non-2xx answers and can sign in base64", async () => {
    const hook = receiver({ statuses: [500, 404, 200] });
    const sim = createCertnSimulator({
      centric: {
        webhook: {
          url: "https://hooks.example.test/",
          secret: "s",
          fetch: hook.fetch,
          signatureEncoding: "base64",
        },
      },
    });
    const response = await centricApi(sim).send("POST", "/api/public/cases/order/", {
      email_address: "undeliverable@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
      send_invite_email: true,
    });
    expect(response.status).toBe(201);
    sim.clock.advance(1000);
    await sim.flushWebhooks();
    // Three events (CASE_ORDERED, then the case became INVITE_UNDELIVERABLE and its check
    // CANCELLED); the first needed three attempts.
    expect(sim.centric.webhookAttempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 404],
      [3, 200],
      [1, 200],
      [1, 200],
    ]);
    expect(hook.deliveries.map((d) => obj(JSON.parse(d.body)).case_status)).toEqual([
      "CASE_ORDERED",
      "CASE_ORDERED",
      "CASE_ORDERED",
      "INVITE_UNDELIVERABLE",
      "INVITE_UNDELIVERABLE",
    ]);
    const first = hook.deliveries[0];
    const hex = await hmacSha256Hex("s", first?.body ?? "");
    const base64 = btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => Number.parseInt(h, 16))));
    expect(first?.signature).toBe(base64);
  });
});

describe("partnerApiRetired with CertnCentric beside it", () => {
  it("answers 410 on partner paths while /api/public/ keeps working", async () => {
    const sim = createCertnSimulator({ partnerApiRetired: true });
    const token = await sim.fetch("https://demo-api.certn.co/token/", { method: "POST" });
    expect(token.status).toBe(410);
    expect((await centricApi(sim).get("/api/public/groups/")).status).toBe(200);
  });
});
