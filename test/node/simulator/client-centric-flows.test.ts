/**
 * The client's CertnCentric resources (built on the client's own `request`, as client.ts will
 * compose them) against the simulator's /api/public/ surface.
 */
import { describe, expect, it } from "vitest";
import { CertnHttpError, createCertnClient } from "../../../src/index.ts";
import { createCentricResources } from "../../../src/resources/centric/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { quickscreenOrder, SANDBOX } from "../../shared/simulator/centric-helpers.ts";

function setup() {
  const sim = createCertnSimulator();
  const client = createCertnClient({
    apiKey: sim.centric.apiKeys[0] ?? "",
    apiKeyScheme: "Api-Key",
    baseUrl: SANDBOX,
    fetch: sim.fetch,
    now: () => sim.clock.now(),
    sleep: async (ms) => sim.clock.advance(ms),
  });
  const centric = createCentricResources({ request: client.request });
  return { sim, client, centric };
}

describe("client CertnCentric flows in process", () => {
  it("orders a quickscreen, polls the case to COMPLETE, generates and downloads the report", async () => {
    const { sim, client, centric } = setup();
    const ordered = await centric.cases.order(quickscreenOrder() as never);
    expect(ordered.id).toMatch(/^[0-9a-f-]{36}$/);
    sim.clock.advance(5000);
    const done = await centric.cases.get(ordered.id);
    expect(done.overall_status).toBe("COMPLETE");
    expect(done.overall_score).toBe("CLEAR");
    const { reportFileId } = await centric.cases.generateReport(ordered.id, { language: "en-CA" } as never);
    expect((await centric.cases.reportFile(reportFileId)).status).toBe("PENDING");
    sim.clock.advance(3000);
    const file = await centric.cases.reportFile(reportFileId);
    expect(file.status).toBe("COMPLETE");
    const pdf = await client.fetch(String(file.pdfUrl));
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
  });

  it("pages through groups and cases, follows next_page numbers, and reads envelope errors", async () => {
    const { centric, sim } = setup();
    for (let i = 0; i < 3; i++) await centric.cases.order(quickscreenOrder() as never);
    const cases: unknown[] = [];
    for await (const item of centric.cases.all({ page_size: 2 } as never)) cases.push(item);
    expect(cases).toHaveLength(3);
    expect(sim.requests["GET /api/public/cases/"]).toBe(2);
    const groups = await centric.groups.list();
    expect(groups.results).toHaveLength(3);
    const error = await centric.cases.get("00000000-0000-4000-8000-000000000000").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertnHttpError);
    expect((error as CertnHttpError).status).toBe(404);
  });

  it("cancels an invite case (certncentric-api.md §3.6: 204 No Content)", async () => {
    const { centric } = setup();
    const ordered = await centric.cases.order({
      email_address: "a@example.com",
      check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
      send_invite_email: true,
    } as never);
    // The simulator answers 204 (certncentric-api.md §3.6), so there is no case to return.
    expect(await centric.cases.cancel(ordered.id)).toBeUndefined();
    expect((await centric.cases.get(ordered.id)).overall_status).toBe("CANCELLED");
  });
});
