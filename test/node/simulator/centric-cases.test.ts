import { beforeEach, describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { centricApi, quickscreenOrder, SANDBOX } from "../../shared/simulator/centric-helpers.ts";
import { getToken, obj } from "../../shared/simulator/helpers.ts";

let sim: CertnSimulator;
let api: ReturnType<typeof centricApi>;
beforeEach(() => {
  sim = createCertnSimulator();
  api = centricApi(sim);
});

async function order(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await api.send("POST", "/api/public/cases/order/", body);
  expect(response.status).toBe(201);
  return obj(response.body);
}

async function statusOf(id: unknown): Promise<Record<string, unknown>> {
  return obj((await api.get(`/api/public/cases/${String(id)}/`)).body);
}

describe("CertnCentric authentication (certncentric-api.md §2.2, §2.5)", () => {
  it("inferred §2.5: a missing header or a Bearer token is not_authenticated; an unknown key authentication_failed", async () => {
    const missing = await sim.fetch(`${SANDBOX}/api/public/cases/`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      type: "client_error",
      errors: [
        { code: "not_authenticated", detail: "Authentication credentials were not provided.", attr: null },
      ],
    });
    const bearer = await sim.fetch(`${SANDBOX}/api/public/cases/`, {
      headers: { authorization: `Bearer ${await getToken(sim)}` },
    });
    expect(obj(await bearer.json()).errors).toEqual([
      { code: "not_authenticated", detail: "Authentication credentials were not provided.", attr: null },
    ]);
    const wrong = await centricApi(sim, "simdemo1.wrong").get("/api/public/cases/");
    expect(wrong.status).toBe(401);
    expect(obj(wrong.body).errors).toEqual([
      { code: "authentication_failed", detail: "Invalid API key.", attr: null },
    ]);
  });

  it("keys expire 365 days after creation (§2.2 [DOC]); the Api-Key is not a partner credential", async () => {
    expect((await api.get("/api/public/groups/")).status).toBe(200);
    const partner = await sim.fetch(`${SANDBOX}/api/v1/teams/`, {
      headers: { authorization: `Api-Key ${sim.centric.apiKeys[0]}` },
    });
    expect(partner.status).toBe(401);
    sim.clock.advance(365 * 86_400_000);
    const expired = await api.get("/api/public/groups/");
    expect(expired.status).toBe(401);
    expect(obj(expired.body).errors).toEqual([
      { code: "authentication_failed", detail: "API key has expired.", attr: null },
    ]);
  });
});

describe("ordering (certncentric-api.md §3.3, §3.4)", () => {
  it("invite by Certn e-mail: 201, invite_link null, CASE_ORDERED → invited → submitted → COMPLETE/CLEAR", async () => {
    const created = await order({
      email_address: "a@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
      send_invite_email: true,
    });
    expect(created).toMatchObject({
      overall_status: "CASE_ORDERED",
      overall_score: null,
      invite_link: null,
      email_address: "a@example.com",
    });
    expect(created.short_id).toMatch(/^CS_CA_[A-Z0-9]{12}$/);
    expect((created.checks as Record<string, unknown>[])[0]).toMatchObject({
      type: "IDENTITY_VERIFICATION_1",
      status: "AWAITING_APPLICANT_SUBMISSION",
      score: null,
    });
    const seen: string[] = [];
    for (let t = 0; t <= 16; t++) {
      const status = (await statusOf(created.id)).overall_status as string;
      if (seen.at(-1) !== status) seen.push(status);
      sim.clock.advance(1000);
    }
    expect(seen).toEqual([
      "CASE_ORDERED",
      "APPLICANT_INVITED",
      "APPLICANT_OPENED",
      "APPLICANT_STARTED",
      "APPLICANT_SUBMITTED",
      "IN_PROGRESS",
      "COMPLETE",
    ]);
    const done = await statusOf(created.id);
    expect(done.overall_score).toBe("CLEAR");
    expect((done.checks as Record<string, unknown>[])[0]).toMatchObject({
      status: "COMPLETE",
      score: "CLEAR",
      sub_score: "VERIFIED",
    });
  });

  it("invite link mode returns the link; quickscreen runs from input_claims", async () => {
    const linked = await order({
      email_address: "b@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
      send_invite_email: false,
      return_invite_link: true,
    });
    expect(linked.invite_link).toMatch(/^https:\/\/apply\.sandbox\.certn\.co\/invite\/[a-z0-9]{24}\/$/);
    const quick = await order(quickscreenOrder());
    expect(quick.invite_link).toBeNull();
    expect(obj(quick.input_claims).date_of_birth).toBe("1990-01-15");
    sim.clock.advance(5000);
    expect(await statusOf(quick.id)).toMatchObject({ overall_status: "COMPLETE", overall_score: "CLEAR" });
  });

  it("validation errors use the envelope with dotted attrs; a missing field as §2.5's example words it", async () => {
    const missing = await api.send("POST", "/api/public/cases/order/", { check_types_with_arguments: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      type: "validation_error",
      errors: [
        { code: "invalid", detail: "email_address is required", attr: "email_address" },
        { code: "invalid", detail: "This dictionary may not be empty.", attr: "check_types_with_arguments" },
      ],
    });
    const nested = await api.send(
      "POST",
      "/api/public/cases/order/",
      quickscreenOrder("Doe", {
        input_claims: { name: { given_name: "" }, date_of_birth: "15/01/1990" },
      }),
    );
    expect(obj(nested.body).errors).toEqual([
      { code: "invalid", detail: "This field may not be blank.", attr: "input_claims.name.given_name" },
      {
        code: "invalid",
        detail: "input_claims.name.family_name is required",
        attr: "input_claims.name.family_name",
      },
      {
        code: "invalid",
        detail: "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        attr: "input_claims.date_of_birth",
      },
    ]);
  });

  it("a quickscreen needs input_claims (400), and a credit check its required claims (422)", async () => {
    const noClaims = await api.send("POST", "/api/public/cases/order/", {
      email_address: "c@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
    });
    expect(noClaims.status).toBe(400);
    expect(obj(noClaims.body).errors).toEqual([
      { code: "invalid", detail: "input_claims is required", attr: "input_claims" },
    ]);
    const credit = await api.send(
      "POST",
      "/api/public/cases/order/",
      quickscreenOrder("Doe", {
        check_types_with_arguments: { US_CREDIT_REPORT_1: {} },
      }),
    );
    expect(credit.status).toBe(422);
    expect(obj(credit.body)).toEqual({
      type: "validation_error",
      errors: [
        {
          code: "invalid",
          detail: "input_claims.position_location is required",
          attr: "input_claims.position_location",
        },
      ],
    });
  });

  it("order-package takes the checks from a saved package; unknown references are invalid", async () => {
    const packages = obj((await api.get("/api/public/packages/")).body).results as Record<string, unknown>[];
    const pkg = packages[1] ?? {};
    const response = await api.send("POST", "/api/public/cases/order-package/", {
      package: pkg.id,
      email_address: "d@example.com",
      send_invite_email: true,
    });
    expect(response.status).toBe(201);
    expect(obj(response.body).check_types_with_arguments).toEqual(pkg.check_types_with_arguments);
    expect(obj(response.body).package).toBe(pkg.id);
    const unknown = "00000000-0000-4000-8000-000000000000";
    const bad = await api.send("POST", "/api/public/cases/order-package/", {
      package: unknown,
      email_address: "d@example.com",
      group: unknown,
      send_invite_email: true,
    });
    expect(obj(bad.body).errors).toEqual([
      { code: "invalid", detail: `Invalid pk "${unknown}" - object does not exist.`, attr: "package" },
      { code: "invalid", detail: `Invalid pk "${unknown}" - object does not exist.`, attr: "group" },
    ]);
    const noPackage = await api.send("POST", "/api/public/cases/order-package/", {
      email_address: "d@example.com",
    });
    expect(obj(noPackage.body).errors).toEqual([
      { code: "invalid", detail: "package is required", attr: "package" },
    ]);
  });
});

describe("outcomes by input (docs/simulator.md)", () => {
  it("family names Review, Reject and Restricted set the overall score; Cancelled cancels every check", async () => {
    const ids: Record<string, unknown> = {};
    for (const name of ["Review", "Reject", "Restricted", "Cancelled", "Clientaction", "Dispute"]) {
      ids[name] = (await order(quickscreenOrder(name))).id;
    }
    sim.clock.advance(5000);
    expect(await statusOf(ids.Review)).toMatchObject({ overall_status: "COMPLETE", overall_score: "REVIEW" });
    const reject = await statusOf(ids.Reject);
    expect(reject.overall_score).toBe("REJECT");
    const checks = reject.checks as Record<string, unknown>[];
    expect(checks.find((c) => c.type === "CRIMINAL_RECORD_REPORT_1")).toMatchObject({ score: "REJECT" });
    expect(checks.find((c) => c.type === "IDENTITY_VERIFICATION_1")).toMatchObject({ score: "CLEAR" });
    expect((await statusOf(ids.Restricted)).overall_score).toBe("RESTRICTED");
    const cancelled = await statusOf(ids.Cancelled);
    expect(cancelled).toMatchObject({ overall_status: "CANCELLED", overall_score: null });
    expect((cancelled.checks as { status: string }[]).every((c) => c.status === "CANCELLED")).toBe(true);
    expect((await statusOf(ids.Clientaction)).overall_status).toBe("CLIENT_ACTION_REQUIRED");
    expect((await statusOf(ids.Dispute)).overall_status).toBe("IN_DISPUTE");
  });

  it("invites to expired@… become APPLICANT_EXPIRED after 7 days; undeliverable@… INVITE_UNDELIVERABLE", async () => {
    const base = { check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} }, send_invite_email: true };
    const expired = await order({ ...base, email_address: "expired@example.com" });
    const bounced = await order({ ...base, email_address: "sam+undeliverable@example.com" });
    sim.clock.advance(1000);
    expect((await statusOf(bounced.id)).overall_status).toBe("INVITE_UNDELIVERABLE");
    sim.clock.advance(7 * 86_400_000);
    expect((await statusOf(expired.id)).overall_status).toBe("APPLICANT_EXPIRED");
  });
});

describe("list, get, cancel", () => {
  it("pages in the CertnCentric envelope, newest first, with repeatable filters", async () => {
    const group = obj((await api.get("/api/public/groups/")).body).results as { id: string }[];
    const a = await order(
      quickscreenOrder("Doe", { email_address: "first@example.com", group: group[0]?.id }),
    );
    sim.clock.advance(60_000);
    const b = await order({
      email_address: "second@example.com",
      check_types_with_arguments: { MOTOR_VEHICLE_RECORD_1: {} },
      send_invite_email: true,
    });
    const c = await order(quickscreenOrder("Review", { email_address: "third@example.com" }));
    const page1 = obj((await api.get("/api/public/cases/?page_size=2")).body);
    expect(page1.pagination).toEqual({
      result_count: 3,
      page_count: 2,
      page_size: 2,
      current_page: 1,
      next_page: 2,
      previous_page: null,
    });
    expect((page1.results as { id: unknown }[]).map((x) => x.id)).toEqual([c.id, b.id]);
    const page2 = obj((await api.get("/api/public/cases/?page_size=2&page=2")).body);
    expect(page2.pagination).toMatchObject({ current_page: 2, next_page: null, previous_page: 1 });
    const ids = async (query: string): Promise<unknown[]> => {
      const results = obj((await api.get(`/api/public/cases/?${query}`)).body).results as { id: unknown }[];
      return results.map((x) => x.id);
    };
    expect(await ids("check_type=MOTOR_VEHICLE_RECORD_1")).toEqual([b.id]);
    expect(await ids("email_address=FIRST@example.com")).toEqual([a.id]);
    expect(await ids(`group=${group[0]?.id}`)).toEqual([a.id]);
    expect(await ids("overall_status=CASE_ORDERED&overall_status=IN_PROGRESS")).toEqual([c.id, b.id]);
    expect(await ids("order_timeframe_after=2026-11-28T10:00:30Z")).toEqual([c.id, b.id]);
    expect(await ids("order_timeframe_before=2026-11-28T10:00:30Z")).toEqual([a.id]);
    expect(await ids("order_timeframe_before=2026-11-27")).toEqual([]);
    const invalid = await api.get("/api/public/cases/?page=9");
    expect(invalid.status).toBe(404);
    expect(invalid.body).toEqual({
      type: "client_error",
      errors: [{ code: "not_found", detail: "Invalid page.", attr: null }],
    });
  });

  it("404s unknown cases in the envelope; cancel answers 204 (certncentric-api.md §3.6), once", async () => {
    const unknown = await api.get("/api/public/cases/00000000-0000-4000-8000-000000000000/");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      type: "client_error",
      errors: [{ code: "not_found", detail: "Not found.", attr: null }],
    });
    const created = await order({
      email_address: "e@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
      send_invite_email: true,
    });
    sim.clock.advance(2000);
    const cancelled = await api.send("POST", `/api/public/cases/${created.id}/cancel/`);
    expect(cancelled.status).toBe(204);
    expect(cancelled.body).toBeNull();
    expect(await statusOf(created.id)).toMatchObject({ overall_status: "CANCELLED", overall_score: null });
    sim.clock.advance(60_000);
    expect((await statusOf(created.id)).overall_status).toBe("CANCELLED");
    const again = await api.send("POST", `/api/public/cases/${created.id}/cancel/`);
    expect(again.status).toBe(400);
    expect(obj(again.body).type).toBe("validation_error");
  });

  it("serves supplementary files and information as empty pages", async () => {
    const created = await order(quickscreenOrder());
    const files = obj((await api.get(`/api/public/cases/${created.id}/supplementary-files/`)).body);
    expect(files).toEqual({
      pagination: {
        result_count: 0,
        page_count: 1,
        page_size: 10,
        current_page: 1,
        next_page: null,
        previous_page: null,
      },
      results: [],
    });
    expect((await api.get(`/api/public/cases/${created.id}/supplementary-information/`)).status).toBe(200);
  });
});

describe("HTTP rules on /api/public/", () => {
  it("405, 415, trailing slash and malformed JSON answer in the envelope", async () => {
    const wrongMethod = await api.send("DELETE", "/api/public/cases/");
    expect(wrongMethod.status).toBe(405);
    expect(obj(wrongMethod.body).errors).toEqual([
      { code: "method_not_allowed", detail: 'Method "DELETE" not allowed.', attr: null },
    ]);
    const key = sim.centric.apiKeys[0];
    const text = await sim.fetch(`${SANDBOX}/api/public/cases/order/`, {
      method: "POST",
      headers: { authorization: `Api-Key ${key}`, "content-type": "text/plain" },
      body: "{}",
    });
    expect(text.status).toBe(415);
    expect(obj(await text.json()).errors).toEqual([
      {
        code: "unsupported_media_type",
        detail: 'Unsupported media type "text/plain" in request.',
        attr: null,
      },
    ]);
    const broken = await sim.fetch(`${SANDBOX}/api/public/cases/order/`, {
      method: "POST",
      headers: { authorization: `Api-Key ${key}`, "content-type": "application/json" },
      body: "{",
    });
    expect(broken.status).toBe(400);
    expect((obj(await broken.json()).errors as { code: string }[])[0]?.code).toBe("parse_error");
    const slashless = await sim.fetch(`${SANDBOX}/api/public/cases`, {
      headers: { authorization: `Api-Key ${key}` },
      redirect: "manual",
    });
    expect(slashless.status).toBe(301);
    const slashlessPost = await sim.fetch(`${SANDBOX}/api/public/cases/order`, {
      method: "POST",
      headers: { authorization: `Api-Key ${key}` },
    });
    expect(slashlessPost.status).toBe(404);
    expect(obj(await slashlessPost.json()).type).toBe("client_error");
  });
});
