import { beforeEach, describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { type Api, api, getToken, obj, quickBody } from "../../shared/simulator/helpers.ts";

let sim: CertnSimulator;
let client: Api;
beforeEach(async () => {
  sim = createCertnSimulator();
  client = api(sim, await getToken(sim));
});

async function quick(lastName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await client.send(
    "POST",
    "/api/v1/hr/applications/quick/",
    quickBody({ owner_id: sim.ownerId, ...extra }, lastName),
  );
  expect(response.status).toBe(201);
  return obj(response.body).id as string;
}

async function invite(email: string): Promise<string> {
  const response = await client.send("POST", "/api/v1/hr/applications/invite/", {
    owner_id: sim.ownerId,
    email,
    request_softcheck: true,
    request_criminal_record_check: true,
  });
  expect(response.status).toBe(201);
  return obj(obj(response.body).applicant).id as string;
}

async function state(id: string): Promise<Record<string, unknown>> {
  return obj((await client.get(`/api/v1/hr/applicants/${id}/`)).body);
}

describe("progress over simulated time (certn-api.md §5.1)", () => {
  it("moves a quick screen from Analyzing/IN_PROGRESS to Returned/COMPLETE/CLEAR after 5 s", async () => {
    const id = await quick("Tester");
    sim.clock.advance(4999);
    expect(await state(id)).toMatchObject({
      status: "Analyzing",
      report_status: "IN_PROGRESS",
      result: "NONE",
    });
    sim.clock.advance(1);
    const done = await state(id);
    expect(done).toMatchObject({
      status: "Returned",
      report_status: "COMPLETE",
      result: "CLEAR",
      result_label: "Clear",
    });
    expect(obj(done.rcmp_result)).toMatchObject({ status: "RETURNED", result: "CLEAR", records: [] });
    expect(done.modified).toBe("2026-11-28T10:00:05.000000Z");
    expect((done.activity_log as { status: string }[]).map((e) => e.status)).toEqual([
      "IN_PROGRESS",
      "COMPLETE",
    ]);
  });

  it("moves an invite Pending → Analyzing (applicant submits after 10 s) → Returned 5 s later", async () => {
    const id = await invite("candidate@example.com");
    expect(await state(id)).toMatchObject({
      status: "Pending",
      report_status: "WAITING_ON_CANDIDATE",
      is_submitted: false,
      submitted_time: null,
    });
    sim.clock.advance(10_000);
    expect(await state(id)).toMatchObject({
      status: "Analyzing",
      report_status: "IN_PROGRESS",
      is_submitted: true,
      submitted_time: "2026-11-28T10:00:10.000000Z",
    });
    sim.clock.advance(5000);
    expect(await state(id)).toMatchObject({ status: "Returned", report_status: "COMPLETE", result: "CLEAR" });
  });

  it("uses configurable durations", async () => {
    const fast = createCertnSimulator({ progress: { submitMs: 100, analysisMs: 200 } });
    const c = api(fast, await getToken(fast));
    const created = await c.send("POST", "/hr/v1/applications/invite/", {
      email: "a@example.com",
      request_softcheck: true,
    });
    const id = obj(obj(created.body).applicant).id as string;
    fast.clock.advance(299);
    expect(obj((await c.get(`/hr/v1/applicants/${id}/`)).body).status).toBe("Analyzing");
    fast.clock.advance(1);
    expect(obj((await c.get(`/hr/v1/applicants/${id}/`)).body).status).toBe("Returned");
  });
});

describe("deterministic outcomes (docs/simulator.md scenario table)", () => {
  it("last name Recordsfound → Returned, REVIEW, criminal records listed (convictions echoed)", async () => {
    const convictions = [
      { offense: "332", date_of_sentence: "2000-01-01", court_location: "Victoria, BC", description: "x" },
    ];
    const id = await quick("Recordsfound", {});
    const withGiven = await quick("RecordsFound", {
      information: { ...obj(quickBody().information), last_name: "RecordsFound", convictions },
    });
    sim.clock.advance(5000);
    const a = await state(id);
    expect(a).toMatchObject({ status: "Returned", report_status: "COMPLETE", result: "REVIEW" });
    const rcmp = obj(a.rcmp_result);
    expect(rcmp).toMatchObject({ result: "REVIEW", red_flags: ["Criminal record found"] });
    expect((rcmp.records as unknown[]).length).toBe(1);
    expect(obj(a.risk_result).result).toBe("CLEAR");
    expect(obj((await state(withGiven)).rcmp_result).records).toEqual(convictions);
  });

  it("Dispute → IN_DISPUTE/REVIEW; Cancelled → CANCELLED/NOT_APPLICABLE", async () => {
    const dispute = await quick("Dispute");
    const cancelled = await quick("Cancelled");
    sim.clock.advance(5000);
    expect(await state(dispute)).toMatchObject({
      status: "Returned",
      report_status: "IN_DISPUTE",
      result: "REVIEW",
    });
    const c = await state(cancelled);
    expect(c).toMatchObject({ status: "Returned", report_status: "CANCELLED", result: "NOT_APPLICABLE" });
    expect(obj(c.rcmp_result).status).toBe("CANCELLED");
  });

  it("Actionrequired (or Error) → stays Analyzing with ACTION_REQUIRED", async () => {
    const ids = [await quick("Actionrequired"), await quick("Error")];
    sim.clock.advance(3600_000);
    for (const id of ids) {
      expect(await state(id)).toMatchObject({
        status: "Analyzing",
        report_status: "ACTION_REQUIRED",
        result: "NONE",
      });
    }
  });

  it("Slow → the analysis takes 300 s", async () => {
    const id = await quick("Slow");
    sim.clock.advance(299_999);
    expect((await state(id)).status).toBe("Analyzing");
    sim.clock.advance(1);
    expect((await state(id)).status).toBe("Returned");
  });

  it("an invite to unresponsive@… (or a +unresponsive tag) never submits and becomes UNRESPONSIVE after 7 days", async () => {
    const ids = [await invite("unresponsive@example.com"), await invite("jane+unresponsive@example.com")];
    // Seven days outlive the 10 h access token: read with the static API key on its gen B1 path.
    const viaKey = api(sim, sim.credentials.apiKeys[0] ?? "");
    const state = async (id: string) => obj((await viaKey.get(`/hr/v1/applicants/${id}/`)).body);
    sim.clock.advance(7 * 24 * 3600_000 - 1);
    for (const id of ids)
      expect(await state(id)).toMatchObject({ status: "Pending", report_status: "WAITING_ON_CANDIDATE" });
    sim.clock.advance(1);
    for (const id of ids)
      expect(await state(id)).toMatchObject({ status: "Pending", report_status: "UNRESPONSIVE" });
  });

  it("an e-mail +tag selects a scenario for invites without a pre-filled last name", async () => {
    const id = await invite("sam+recordsfound@example.com");
    sim.clock.advance(15_000);
    expect(await state(id)).toMatchObject({ status: "Returned", result: "REVIEW" });
  });
});
