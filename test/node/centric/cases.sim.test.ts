import { describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/client.ts";
import { isCertnHttpError } from "../../../src/core/errors.ts";
import { createCentricResources } from "../../../src/resources/centric/index.ts";
import { centricOnSimulator, collect } from "./harness.ts";

const identity = { IDENTITY_VERIFICATION_1: {} };
const claims = { name: { given_name: "John", family_name: "Doe" }, date_of_birth: "1990-01-15" };
const scores = ["CLEAR", "REVIEW", "REJECT", "NOT_APPLICABLE", "RESTRICTED"];

describe("client.centric.cases against the simulator", () => {
  it("orders a quickscreen; overall_score stays null until COMPLETE (code-sourced)", async () => {
    const { sim, centric } = centricOnSimulator();
    const ordered = await centric.cases.order({
      email_address: "applicant@example.com",
      check_types_with_arguments: identity,
      input_claims: claims,
    });
    expect(ordered.overall_status).toBe("CASE_ORDERED");
    expect(ordered.overall_score).toBeNull();
    sim.clock.advance(3_600_000);
    const done = await centric.cases.get(ordered.id);
    expect(done.overall_status).toBe("COMPLETE");
    expect(scores).toContain(done.overall_score);
    expect(done.checks?.[0]).toMatchObject({ type: "IDENTITY_VERIFICATION_1", status: "COMPLETE" });
  });

  it("orders an e-mail invite and a link invite; only the link invite carries invite_link", async () => {
    const { centric } = centricOnSimulator();
    const emailed = await centric.cases.order({
      email_address: "a@example.com",
      check_types_with_arguments: identity,
      send_invite_email: true,
    });
    expect(emailed.invite_link).toBeNull();
    const linked = await centric.cases.order({
      email_address: "b@example.com",
      check_types_with_arguments: identity,
      return_invite_link: true,
    });
    expect(linked.invite_link).toMatch(/^https:\/\//);
  });

  it("lists with repeated-key filters and follows next_page as a number (simulator assumption) across pages", async () => {
    const { centric, sim } = centricOnSimulator();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await centric.cases.order({
        email_address: `applicant${i}@example.com`,
        check_types_with_arguments: identity,
        input_claims: claims,
      });
      ids.push(c.id);
    }
    const first = await centric.cases.list({ page_size: 2 });
    expect(first.results).toHaveLength(2);
    expect(first.pagination).toMatchObject({ result_count: 5, page_size: 2, current_page: 1 });
    const all = await collect(centric.cases.all({ page_size: 2 }));
    expect(all.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(sim.requests["GET /api/public/cases/"]).toBe(1 + 3);

    sim.clock.advance(3_600_000);
    const complete = await collect(centric.cases.all({ overall_status: ["COMPLETE", "CANCELLED"] }));
    expect(complete).toHaveLength(5);
    const none = await centric.cases.list({ overall_status: ["CANCELLED"] });
    expect(none.results).toEqual([]);
  });

  it("orders from a seeded package found through packages.list (code-sourced paths)", async () => {
    const { centric } = centricOnSimulator();
    const packages = await collect(centric.packages.all({ permissible_purposes: ["EMPLOYMENT"] }));
    const first = packages[0];
    if (!first) throw new Error("no seeded package");
    const ordered = await centric.cases.orderPackage({
      package: first.id,
      email_address: "c@example.com",
      send_invite_email: true,
    });
    expect(Object.keys(ordered.check_types_with_arguments ?? {})).toContain("IDENTITY_VERIFICATION_1");
  });

  it("cancels a running case (simulator answers 204, code-sourced §3.6) and refuses a finished one", async () => {
    const { sim, centric } = centricOnSimulator();
    const running = await centric.cases.order({
      email_address: "d@example.com",
      check_types_with_arguments: identity,
      send_invite_email: true,
    });
    expect(await centric.cases.cancel(running.id)).toBeUndefined();
    expect((await centric.cases.get(running.id)).overall_status).toBe("CANCELLED");

    const quick = await centric.cases.order({
      email_address: "e@example.com",
      check_types_with_arguments: identity,
      input_claims: claims,
    });
    sim.clock.advance(3_600_000);
    const error = await centric.cases.cancel(quick.id).catch((e: unknown) => e);
    expect(isCertnHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400 });
  });

  it("generates a report and polls its file until COMPLETE, then downloads the PDF without the key", async () => {
    const { sim, centric } = centricOnSimulator();
    const c = await centric.cases.order({
      email_address: "f@example.com",
      check_types_with_arguments: identity,
      input_claims: claims,
    });
    sim.clock.advance(3_600_000);
    const { reportFileId } = await centric.cases.generateReport(c.id, { language: "en-CA" });
    // The simulator's answer as given, with the normalised fields added.
    expect(await centric.cases.reportFile(reportFileId)).toMatchObject({
      id: reportFileId,
      status: "PENDING",
      pdfUrl: null,
    });
    sim.clock.advance(60_000);
    const file = await centric.cases.reportFile(reportFileId);
    expect(file.status).toBe("COMPLETE");
    if (file.pdfUrl === null) throw new Error("no pdfUrl");
    const pdf = await sim.fetch(file.pdfUrl);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
  });

  it("reports validation errors in the documented envelope, naming the field", async () => {
    const { centric } = centricOnSimulator();
    const error = await centric.cases
      .order({
        email_address: "g@example.com",
        check_types_with_arguments: { NOT_A_REAL_CHECK_9: {} },
        send_invite_email: true,
      })
      .catch((e: unknown) => e);
    expect(isCertnHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400 });
    const first = (error as { errors?: { attr?: string | null }[] }).errors?.[0];
    expect(first?.attr).toMatch(/check_types_with_arguments/);
  });

  it("refuses a wrong key with 401 and never shows the key (inferred drf-standardized-errors codes)", async () => {
    const { sim } = centricOnSimulator();
    const wrongKey = "wrongkey.0000000000000000000000000000000";
    const client = createCertnClient({ apiKey: wrongKey, apiKeyScheme: "Api-Key", fetch: sim.fetch });
    const error = await createCentricResources(client)
      .groups.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toContain(wrongKey);
  });

  it("refuses the key sent as Bearer: CertnCentric wants the Api-Key scheme", async () => {
    const { sim, apiKey } = centricOnSimulator();
    const client = createCertnClient({
      apiKey,
      apiKeyScheme: "Bearer",
      baseUrl: "https://api.sandbox.certn.co",
      fetch: sim.fetch,
    });
    await expect(createCentricResources(client).cases.list()).rejects.toMatchObject({ status: 401 });
  });
});

describe("client.centric groups, users, packages and tags against the simulator", () => {
  it("lists groups in the documented envelope and reads one (detail path code-sourced)", async () => {
    const { centric } = centricOnSimulator();
    const page = await centric.groups.list();
    expect(page.pagination.result_count).toBe(page.results.length);
    const active = await collect(centric.groups.all({ is_active: true }));
    expect(active.every((g) => g.is_active === true)).toBe(true);
    expect(active.length).toBeLessThan(page.results.length);
    const first = page.results[0];
    if (!first) throw new Error("no seeded group");
    expect(await centric.groups.get(first.id)).toEqual(first);
  });

  it("lists users and tags with code-sourced filters", async () => {
    const { centric } = centricOnSimulator();
    const admins = await centric.users.list({ role: "ADMIN" });
    expect(admins.results.length).toBeGreaterThan(0);
    expect(admins.results.every((u) => u.role === "ADMIN")).toBe(true);
    const tags = await collect(centric.tags.all({ name: "urgent" }));
    expect(tags.map((t) => t.name)).toEqual(["urgent"]);
  });
});
