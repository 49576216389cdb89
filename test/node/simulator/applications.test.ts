import { beforeEach, describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { type Api, api, getToken, obj, quickBody } from "../../shared/simulator/helpers.ts";

let sim: CertnSimulator;
let client: Api;
beforeEach(async () => {
  sim = createCertnSimulator();
  client = api(sim, await getToken(sim));
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("HR invite (certn-api.md §3.2)", () => {
  it("returns 201 with the application id on top and the Pending applicant nested (§7 #9)", async () => {
    const { status, body } = await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "candidate@example.com",
      request_softcheck: true,
    });
    expect(status).toBe(201);
    const invite = obj(body);
    expect(Object.keys(invite).sort()).toEqual(["applicant", "created", "id", "modified"]);
    expect(invite.id).toMatch(UUID);
    expect(invite.created).toBe("2026-11-28T10:00:00.000000Z");
    const applicant = obj(invite.applicant);
    expect(applicant).toMatchObject({
      status: "Pending",
      email: "candidate@example.com",
      first_name: "",
      last_name: "",
    });
    expect(applicant.id).toMatch(UUID);
    expect(applicant.id).not.toBe(invite.id);
    expect(applicant.phone_number).toEqual({ phone_type: "NONE", number: null, country: null });
    const fetched = obj((await client.get(`/api/v1/hr/applicants/${applicant.id}/`)).body);
    expect(fetched).toMatchObject({
      id: applicant.id,
      status: "Pending",
      report_status: "WAITING_ON_CANDIDATE",
    });
    expect(obj(obj(fetched.application).applicant).id).toBe(applicant.id);
    expect(obj(fetched.application).id).toBe(invite.id);
  });

  it("requires email, owner_id and at least one request flag, in DRF's field shape", async () => {
    const { status, body } = await client.send("POST", "/api/v1/hr/applications/invite/", {});
    expect(status).toBe(400);
    expect(body).toEqual({ email: ["This field is required."], owner_id: ["This field is required."] });
    const noFlag = await client.send("POST", "/api/v1/hr/applications/invite/", {
      email: "a@example.com",
      owner_id: sim.ownerId,
      request_softcheck: false,
    });
    expect(noFlag.status).toBe(400);
    expect(noFlag.body).toEqual({
      non_field_errors: ["At least one request flag (request_*) must be true."],
    });
  });

  it("validates owner_id as a UUID of a known user", async () => {
    const notUuid = await client.send("POST", "/api/v1/hr/applications/invite/", {
      email: "a@example.com",
      owner_id: "nope",
      request_softcheck: true,
    });
    expect(notUuid.body).toEqual({ owner_id: ["Must be a valid UUID."] });
    const unknown = "00000000-0000-4000-8000-000000000000";
    const missingUser = await client.send("POST", "/api/v1/hr/applications/invite/", {
      email: "a@example.com",
      owner_id: unknown,
      request_softcheck: true,
    });
    expect(missingUser.status).toBe(400);
    expect(missingUser.body).toEqual({ owner_id: [`Invalid pk "${unknown}" - object does not exist.`] });
  });

  it("inferred §7 #12: a flag outside the account's plan is refused with 'Account not configured'", async () => {
    const { status, body } = await client.send("POST", "/api/v1/hr/applications/invite/", {
      email: "a@example.com",
      owner_id: sim.ownerId,
      request_softcheck: true,
      request_us_criminal_record_check_tier_3: true,
    });
    expect(status).toBe(400);
    expect(body).toEqual({
      request_us_criminal_record_check_tier_3: [
        'Account not configured to "request_us_criminal_record_check_tier_3". Please contact support@certn.co to update your plan.',
      ],
    });
  });

  it("inferred §7 #12: the allow-list is per credential (the static key on its gen B1 path, §2.5)", async () => {
    const custom = createCertnSimulator({
      clients: [
        {
          clientId: "tier3",
          clientSecret: "tier3-secret",
          allowedRequestFlags: ["request_us_criminal_record_check_tier_3"],
        },
      ],
      apiKeys: [{ key: "a".repeat(40), allowedRequestFlags: ["request_softcheck"] }],
    });
    const body = {
      email: "a@example.com",
      owner_id: custom.ownerId,
      request_us_criminal_record_check_tier_3: true,
    };
    const viaClient = api(custom, await getToken(custom));
    expect((await viaClient.send("POST", "/api/v1/hr/applications/invite/", body)).status).toBe(201);
    const viaKey = api(custom, "a".repeat(40));
    const b1Body = { email: body.email, request_us_criminal_record_check_tier_3: true };
    expect((await viaKey.send("POST", "/hr/v1/applications/invite/", b1Body)).status).toBe(400);
  });

  it("checks min/max settings, mutually exclusive flags and field types", async () => {
    const custom = createCertnSimulator({
      allowedRequestFlags: [
        "request_softcheck",
        "request_employer_references",
        "request_employer_phone_references",
      ],
    });
    const c = api(custom, await getToken(custom));
    const minMax = await c.send("POST", "/api/v1/hr/applications/invite/", {
      email: "a@example.com",
      owner_id: custom.ownerId,
      request_softcheck: true,
      employer_references_min: 3,
      employer_references_max: 1,
    });
    expect(minMax.body).toEqual({
      non_field_errors: ["employer_references_max must be greater than employer_references_min."],
    });
    const exclusive = await c.send("POST", "/api/v1/hr/applications/invite/", {
      email: "a@example.com",
      owner_id: custom.ownerId,
      request_employer_references: true,
      request_employer_phone_references: true,
      employer_questionaire_id: "00000000-0000-4000-8000-000000000000",
    });
    expect(obj(exclusive.body).non_field_errors).toEqual([
      '"request_employer_references" and "request_employer_phone_references" cannot be requested together.',
    ]);
    const types = await c.send("POST", "/api/v1/hr/applications/invite/", {
      email: "not-an-email",
      owner_id: custom.ownerId,
      request_softcheck: "sometimes",
      employer_references_min: "many",
    });
    expect(types.body).toEqual({
      email: ["Enter a valid email address."],
      request_softcheck: ["Must be a valid boolean."],
      employer_references_min: ["A valid integer is required."],
    });
  });

  it("inferred §7 #18: owner_id is not required on the gen B1 alias /hr/v1/", async () => {
    const { status, body } = await client.send("POST", "/hr/v1/applications/invite/", {
      email: "a@example.com",
      request_softcheck: true,
    });
    expect(status).toBe(201);
    const id = obj(obj(body).applicant).id as string;
    const fetched = obj((await client.get(`/hr/v1/applicants/${id}/`)).body);
    expect(obj(obj(fetched.application).owner).id).toBe(sim.ownerId);
    expect((await client.get(`/api/v1/hr/applicants/${id}/`)).status).toBe(200);
  });
});

describe("HR quick screen (certn-api.md §3.2, Appendix A)", () => {
  it("returns 201 with the full applicant object, status Analyzing", async () => {
    const { status, body } = await client.send(
      "POST",
      "/api/v1/hr/applications/quick/",
      quickBody({ owner_id: sim.ownerId }),
    );
    expect(status).toBe(201);
    const a = obj(body);
    expect(a).toMatchObject({
      status: "Analyzing",
      applicant_type: "Quick Screen",
      is_submitted: true,
      report_status: "IN_PROGRESS",
      result: "NONE",
      result_label: "None",
      certn_score: null,
      certn_score_label: "NONE",
      request_softcheck: true,
      request_criminal_record_check: true,
      request_equifax: false,
      can_upgrade: true,
      country: "CA",
    });
    for (const key of [
      "created",
      "modified",
      "last_updated",
      "submitted_time",
      "information",
      "activity_log",
      "application",
    ]) {
      expect(a).toHaveProperty(key);
    }
    expect(a.equifax_result).toBeNull();
    expect(obj(a.rcmp_result)).toMatchObject({ status: "NONE", result: "NONE" });
    expect(obj(a.risk_result)).toMatchObject({ overall_score: "NONE" });
    const application = obj(a.application);
    expect(application.id).not.toBe(a.id);
    expect(obj(application.applicant).report_url).toBe(`https://demo-app.certn.co/hr/applications/${a.id}/`);
    expect(obj(obj(application.owner).team)).toMatchObject({
      team_type: "HR",
      app_url: "https://demo-app.certn.co/",
    });
    expect(obj(a.information)).toMatchObject({
      first_name: "Andrew",
      last_name: "Tester",
      date_of_birth: "1970-06-28",
    });
  });

  it("nests errors for nested objects and lists (certn-api.md §4.1)", async () => {
    const body = quickBody({ owner_id: sim.ownerId });
    const information = obj(body.information);
    delete information.first_name;
    information.date_of_birth = "28/06/1970";
    information.addresses = [
      information.addresses && (information.addresses as unknown[])[0],
      { address: "x" },
    ];
    delete body.position_or_property_location;
    const { status, body: errors } = await client.send("POST", "/api/v1/hr/applications/quick/", body);
    expect(status).toBe(400);
    expect(errors).toEqual({
      information: {
        first_name: ["This field is required."],
        date_of_birth: ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
        addresses: [
          {},
          {
            city: ["This field is required."],
            province_state: ["This field is required."],
            country: ["This field is required."],
          },
        ],
      },
      position_or_property_location: ["This field is required."],
    });
  });

  it("requires information.addresses (the documented nested example)", async () => {
    const body = quickBody({ owner_id: sim.ownerId });
    delete obj(body.information).addresses;
    const { body: errors } = await client.send("POST", "/api/v1/hr/applications/quick/", body);
    expect(errors).toEqual({ information: { addresses: ["This field is required."] } });
    const wrongType = await client.send(
      "POST",
      "/api/v1/hr/applications/quick/",
      quickBody({ owner_id: sim.ownerId, information: "Andrew" }),
    );
    expect(wrongType.body).toEqual({
      information: { non_field_errors: ["Invalid data. Expected a dictionary, but got str."] },
    });
  });
});

describe("PM applications (certn-api.md §3.3)", () => {
  it("invites several applicants at once (grouped_applicants) under one application", async () => {
    const { status, body } = await client.send("POST", "/api/v1/pm/applications/invite/", {
      owner_id: sim.ownerId,
      email: "tenant@example.com",
      request_softcheck: true,
      grouped_applicants: [{ email: "cotenant@example.com" }],
    });
    expect(status).toBe(201);
    const invite = obj(body);
    expect(invite).toMatchObject({ status: "Incomplete", listing: null, property: null, is_active: true });
    const applicants = invite.applicants as Record<string, unknown>[];
    expect(applicants.map((a) => a.email)).toEqual(["tenant@example.com", "cotenant@example.com"]);
    expect(applicants.every((a) => a.status === "Pending")).toBe(true);
    const list = obj((await client.get("/api/v1/pm/applicants/")).body);
    expect(list.count).toBe(2);
    expect(obj((await client.get("/api/v1/hr/applicants/")).body).count).toBe(0);
  });

  it("quick-screens on /api/v1/pm and the classic /api/v2 alias, with PM scores", async () => {
    const body = { request_softcheck: true, information: obj(quickBody().information) };
    const v1 = await client.send("POST", "/api/v1/pm/applications/quick/", {
      ...body,
      owner_id: sim.ownerId,
    });
    expect(v1.status).toBe(201);
    const v2 = await client.send("POST", "/api/v2/applications/quick/", body);
    expect(v2.status).toBe(201);
    const a = obj(v2.body);
    expect(a).toMatchObject({ status: "Analyzing", certn_score: null, late_rent_potential: null });
    expect(obj(a.application).status).toBe("Complete");
    expect((obj(a.application).applicants as unknown[]).length).toBe(1);
    sim.clock.advance(5000);
    const done = obj((await client.get(`/api/v2/applicants/${a.id}/`)).body);
    expect(done).toMatchObject({ status: "Returned", certn_score: 85, late_rent_potential: "LOW" });
    expect((await client.get(`/api/v1/hr/applicants/${a.id}/`)).status).toBe(404);
  });
});

describe("listing applicants (certn-api.md §1.4, §3.2)", () => {
  async function seed(): Promise<string[]> {
    const ids: string[] = [];
    for (const [last, email] of [
      ["Alpha", "alpha@example.com"],
      ["Bravo", "bravo@example.com"],
      ["Charlie", "charlie@example.com"],
    ] as const) {
      const response = await client.send(
        "POST",
        "/api/v1/hr/applications/quick/",
        quickBody({ owner_id: sim.ownerId, email }, last),
      );
      ids.push(obj(response.body).id as string);
      sim.clock.advance(1000);
    }
    return ids;
  }

  it("lists chronologically by default and honours ordering=-created", async () => {
    const ids = await seed();
    const asc = obj((await client.get("/api/v1/hr/applicants/")).body);
    expect((asc.results as { id: string }[]).map((a) => a.id)).toEqual(ids);
    const desc = obj((await client.get("/api/v1/hr/applicants/?ordering=-created")).body);
    expect((desc.results as { id: string }[]).map((a) => a.id)).toEqual([...ids].reverse());
  });

  it("filters by search terms (AND, space or +) and by status", async () => {
    const ids = await seed();
    const one = obj((await client.get("/api/v1/hr/applicants/?search=bravo+andrew")).body);
    expect((one.results as { id: string }[]).map((a) => a.id)).toEqual([ids[1]]);
    const none = obj((await client.get("/api/v1/hr/applicants/?search=bravo%20charlie")).body);
    expect(none.count).toBe(0);
    // Created at t0, t0+1s, t0+2s; at t0+5s the first has finished its 5 s analysis.
    sim.clock.advance(2000);
    const returned = obj((await client.get("/api/v1/hr/applicants/?status=Returned")).body);
    expect((returned.results as { id: string }[]).map((a) => a.id)).toEqual([ids[0]]);
    const analyzing = obj((await client.get("/api/v1/hr/applicants/?status=Analyzing&page_size=1")).body);
    expect(analyzing.count).toBe(2);
    expect(analyzing.next).toBe(
      "https://demo-api.certn.co/api/v1/hr/applicants/?status=Analyzing&page_size=1&page=2",
    );
    const notArchived = obj((await client.get("/api/v1/hr/applicants/?adjudication_status!=ARCHIVED")).body);
    expect(notArchived.count).toBe(3);
  });

  it("retrieves by applicant id and 404s unknown ids; DELETE removes (204)", async () => {
    const [id] = await seed();
    expect((await client.get(`/api/v1/hr/applicants/${id}/`)).status).toBe(200);
    expect((await client.get("/api/v1/hr/applicants/00000000-0000-4000-8000-000000000000/")).body).toEqual({
      detail: "Not found.",
    });
    expect((await client.send("DELETE", `/hr/v1/applicants/${id}/`)).status).toBe(204);
    expect((await client.get(`/api/v1/hr/applicants/${id}/`)).status).toBe(404);
  });
});

describe("upgrade (PUT .../applicants/{id}/packages/)", () => {
  it("refuses a Pending invite, then adds checks once results exist and re-runs the analysis", async () => {
    const invite = await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "c@example.com",
      request_softcheck: true,
    });
    const id = obj(obj(invite.body).applicant).id as string;
    const early = await client.send("PUT", `/api/v1/hr/applicants/${id}/packages/`, {
      request_equifax: true,
    });
    expect(early.status).toBe(400);
    expect(early.body).toEqual({
      non_field_errors: ["Only applications with partial or complete results can be upgraded."],
    });
    sim.clock.advance(15_000);
    expect(obj((await client.get(`/api/v1/hr/applicants/${id}/`)).body).status).toBe("Returned");
    const upgraded = await client.send("PUT", `/api/v1/hr/applicants/${id}/packages/`, {
      request_equifax: true,
    });
    expect(upgraded.status).toBe(200);
    expect(obj(upgraded.body)).toMatchObject({
      status: "Analyzing",
      request_equifax: true,
      request_softcheck: true,
    });
    sim.clock.advance(5000);
    const done = obj((await client.get(`/api/v1/hr/applicants/${id}/`)).body);
    expect(done).toMatchObject({ status: "Returned", result: "CLEAR" });
    expect(obj(done.equifax_result).result).toBe("CLEAR");
    const notAllowed = await client.send("PUT", `/api/v1/hr/applicants/${id}/packages/`, {
      request_soquij: true,
    });
    expect(notAllowed.status).toBe(400);
    expect(
      (
        await client.send("PUT", "/api/v1/hr/applicants/00000000-0000-4000-8000-000000000000/packages/", {
          request_equifax: true,
        })
      ).status,
    ).toBe(404);
  });
});
