/**
 * The simulator refuses what Certn refuses (issue 18): the static key and session tokens on the
 * partner-only routes, upgrades before results exist, SMS invites on an account without SMS, and
 * every documented request flag is known.
 */
import { describe, expect, it } from "vitest";
import { createCertnSimulator, DEMO_API_KEY } from "../../../src/simulator/index.ts";
import { api, getToken, obj, quickBody } from "../../shared/simulator/helpers.ts";

const FORBIDDEN = { detail: "You do not have permission to perform this action." };

const superteam = {
  name: "Acme Partners",
  street_address: "1 Main Street",
  city: "Victoria",
  province_state: "BC",
  country: "CA",
  postal_code: "V8A1B2",
  is_secure_sms_enabled: false,
};

describe("partner resources take the partner OAuth token (certn-api.md §2.5, §3.1, §4.1)", () => {
  it("answers the static API key with 403 on /api/v1/ and creates nothing", async () => {
    const sim = createCertnSimulator();
    const viaKey = api(sim, DEMO_API_KEY);
    for (const path of [
      "/api/v1/superteams/",
      "/api/v1/users/",
      "/api/v1/teams/",
      "/api/v1/hr/applicants/",
    ]) {
      const response = await viaKey.get(path);
      expect(response.status, path).toBe(403);
      expect(response.body).toEqual(FORBIDDEN);
    }
    expect((await viaKey.send("POST", "/api/v1/superteams/", superteam)).status).toBe(403);
    const viaToken = api(sim, await getToken(sim));
    expect(obj((await viaToken.get("/api/v1/superteams/")).body).count).toBe(1);
  });

  it("keeps the static key on its own gen B1 paths, and lets the OAuth token use them too (§2.5 [INF])", async () => {
    const sim = createCertnSimulator();
    expect((await api(sim, DEMO_API_KEY).get("/api/v2/teams/")).status).toBe(200);
    expect((await api(sim, DEMO_API_KEY).get("/hr/v1/applicants/")).status).toBe(200);
    expect((await api(sim, await getToken(sim)).get("/hr/v1/applicants/")).status).toBe(200);
  });

  it("checks the credential before the rate limit: a refused request spends nothing (DRF's order)", async () => {
    const sim = createCertnSimulator({ rateLimit: { perMinute: 1 } });
    for (let i = 0; i < 3; i++) expect((await api(sim, DEMO_API_KEY).get("/api/v1/users/")).status).toBe(403);
    expect((await api(sim, DEMO_API_KEY).get("/api/v2/teams/")).status).toBe(200);
  });
});

describe("upgrades need partial or complete results (certn-api.md §3.2)", () => {
  it("refuses an upgrade while a quick screen is Analyzing, accepts it once Returned", async () => {
    const sim = createCertnSimulator();
    const client = api(sim, await getToken(sim));
    const created = obj(
      (await client.send("POST", "/api/v1/hr/applications/quick/", quickBody({ owner_id: sim.ownerId })))
        .body,
    );
    // can_upgrade follows the real fixture (Appendix A [CODE]); the upgrade itself is still refused.
    expect(created).toMatchObject({ status: "Analyzing", can_upgrade: true });
    const early = await client.send("PUT", `/api/v1/hr/applicants/${created.id}/packages/`, {
      request_equifax: true,
    });
    expect(early.status).toBe(400);
    expect(early.body).toEqual({
      non_field_errors: ["Only applications with partial or complete results can be upgraded."],
    });
    sim.clock.advance(5000);
    const late = await client.send("PUT", `/api/v1/hr/applicants/${created.id}/packages/`, {
      request_equifax: true,
    });
    expect(late.status).toBe(200);
    expect(obj(late.body).status).toBe("Analyzing");
    const again = await client.send("PUT", `/api/v1/hr/applicants/${created.id}/packages/`, {
      request_base: true,
    });
    expect(again.status).toBe(400);
  });
});

describe("SMS invites need SMS enabled on the account (certn-api.md §3.2)", () => {
  const sms = [
    "SMS invites are not enabled for this account. Please contact support@certn.co to enable them.",
  ];

  it("refuses a phone_number on HR and PM invites by default, and creates nothing", async () => {
    const sim = createCertnSimulator();
    const client = api(sim, await getToken(sim));
    const hr = await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "a@example.com",
      request_softcheck: true,
      phone_number: "+1 250 555 1234",
    });
    expect(hr.status).toBe(400);
    expect(hr.body).toEqual({ phone_number: sms });
    const pm = await client.send("POST", "/api/v1/pm/applications/invite/", {
      owner_id: sim.ownerId,
      email: "a@example.com",
      request_softcheck: true,
      grouped_applicants: [
        { email: "b@example.com" },
        { email: "c@example.com", phone_number: "+1 250 555 0000" },
      ],
    });
    expect(pm.status).toBe(400);
    expect(pm.body).toEqual({ grouped_applicants: [{}, { phone_number: sms }] });
    expect(obj((await client.get("/api/v1/hr/applicants/")).body).count).toBe(0);
    // A blank phone number is no SMS invite.
    const blank = await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "a@example.com",
      request_softcheck: true,
      phone_number: "",
    });
    expect(blank.status).toBe(201);
  });

  it("accepts the SMS invite when the simulated account has smsEnabled", async () => {
    const sim = createCertnSimulator({ smsEnabled: true });
    const client = api(sim, await getToken(sim));
    const { status, body } = await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "a@example.com",
      request_softcheck: true,
      phone_number: "+1 250 555 1234",
    });
    expect(status).toBe(201);
    expect(obj(obj(body).applicant).phone_number).toMatchObject({ number: "+1 250 555 1234" });
  });
});

describe("every request flag of certn-api.md §5.3 is known", () => {
  const checkExecutionFlags = [
    "request_right_to_work",
    "request_uk_right_to_work_check",
    "request_uk_basic_dbs_check",
    "request_uk_basic_ds_check",
  ];
  const others = [
    "request_vaccination_check",
    "request_behavioural",
    "request_employment_verification_3_yrs",
    "request_employment_verification_5_yrs",
    "request_employment_verification_7_yrs",
  ];

  it("orders each of them alone; check-execution flags show as check_executions[] (§5.3, §6.1)", async () => {
    const sim = createCertnSimulator({ allowedRequestFlags: [...checkExecutionFlags, ...others] });
    const client = api(sim, await getToken(sim));
    for (const flag of [...checkExecutionFlags, ...others]) {
      const response = await client.send("POST", "/api/v1/hr/applications/invite/", {
        owner_id: sim.ownerId,
        email: "a@example.com",
        [flag]: true,
      });
      expect(response.status, flag).toBe(201);
    }
    const invite = await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "a@example.com",
      request_uk_basic_dbs_check: true,
    });
    const id = obj(obj(invite.body).applicant).id as string;
    const pending = obj((await client.get(`/api/v1/hr/applicants/${id}/`)).body);
    expect(pending.request_uk_basic_dbs_check).toBe(true);
    const [execution] = pending.check_executions as Record<string, unknown>[];
    expect(execution).toMatchObject({ check_name: "uk_basic_dbs_check", status: "WAITING_ON_CANDIDATE" });
    expect(execution?.id).toMatch(/^check_exec_[A-Za-z0-9]{22}$/);
    sim.clock.advance(15_000);
    const done = obj((await client.get(`/api/v1/hr/applicants/${id}/`)).body);
    expect((done.check_executions as Record<string, unknown>[])[0]).toMatchObject({
      id: execution?.id,
      status: "COMPLETE",
    });
  });

  it("an older employment flag fills both documented keys; a result-less flag fills none", async () => {
    const sim = createCertnSimulator({
      allowedRequestFlags: ["request_employment_verification_5_yrs", "request_vaccination_check"],
    });
    const client = api(sim, await getToken(sim));
    const body = quickBody({
      owner_id: sim.ownerId,
      request_softcheck: false,
      request_criminal_record_check: false,
    });
    const created = obj(
      (
        await client.send("POST", "/api/v1/hr/applications/quick/", {
          ...body,
          request_employment_verification_5_yrs: true,
          request_vaccination_check: true,
        })
      ).body,
    );
    expect(created.employment_verification).not.toBeNull();
    expect(created.verification_result).not.toBeNull();
    expect(created.risk_result).toBeNull();
    expect(created.check_executions).toEqual([]);
  });

  it("a known flag outside the plan is 'Account not configured', not 'no flag' (§4.1, §7 #12)", async () => {
    const sim = createCertnSimulator();
    const client = api(sim, await getToken(sim));
    const response = await client.send("POST", "/api/v1/hr/applications/invite/", {
      owner_id: sim.ownerId,
      email: "a@example.com",
      request_right_to_work: true,
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      request_right_to_work: [
        'Account not configured to "request_right_to_work". Please contact support@certn.co to update your plan.',
      ],
    });
  });
});
