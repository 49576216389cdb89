/**
 * What `cases.generateReport`, `cases.reportFile` and `cases.cancel` resolve to, over real HTTP on
 * 127.0.0.1, for answers the references guess at (certn-api.md §7 Q15, certncentric-api.md §3.6,
 * §3.7): the report answers as given, with the normalised fields added; any JSON object (or no
 * body) from a cancel, which did cancel the case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/index.ts";
import { type ScriptedServer, sendJson, startScriptedServer } from "../client/scripted-server.ts";

const CASE_ID = "2f64d134-1c54-4028-8e8b-9cfa7bd8011c";
/** The next answer of the server: status and JSON body, or no body. */
let answer: { status: number; body?: unknown } = { status: 200, body: {} };
let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer(() => (_request, response) => {
    if (answer.body === undefined) {
      response.writeHead(answer.status);
      response.end();
      return;
    }
    sendJson(response, answer.status, answer.body);
  });
});

afterAll(() => server.close());

function cases() {
  return createCertnClient({ apiKey: "key_answer_shapes_1", apiKeyScheme: "Api-Key", baseUrl: server.origin })
    .centric.cases;
}

describe("report answers", () => {
  it("generateReport returns the answer as given, with reportFileId added", async () => {
    answer = { status: 201, body: { case_report_file_id: "rf1", status: "PENDING" } };
    expect(await cases().generateReport(CASE_ID)).toEqual({
      case_report_file_id: "rf1",
      status: "PENDING",
      reportFileId: "rf1",
    });
  });

  it("reportFile returns the answer as given, with id, status and pdfUrl added", async () => {
    const body = {
      id: 7,
      status: "COMPLETE",
      pdf_url: "https://files.example/r.pdf",
      created: "2026-11-28T00:00:00Z",
      expires_at: "2026-11-28T00:15:00Z",
    };
    answer = { status: 200, body };
    expect(await cases().reportFile("7")).toEqual({
      ...body,
      id: "7",
      pdfUrl: "https://files.example/r.pdf",
    });
  });
});

describe("a cancel answered 200", () => {
  it.each([
    ["{}", {}],
    ["a status without id", { overall_status: "CANCELLED" }],
    ["a detail", { detail: "Case cancelled." }],
    ["the case", { id: CASE_ID, overall_status: "CANCELLED" }],
  ])("with %s succeeds and returns the object as given", async (_name, body) => {
    answer = { status: 200, body };
    expect(await cases().cancel(CASE_ID)).toEqual(body);
  });

  it("with no body succeeds with undefined", async () => {
    answer = { status: 200 };
    expect(await cases().cancel(CASE_ID)).toBeUndefined();
  });

  it("with JSON that is not an object is a CERTN_RESPONSE_INVALID naming the cancel", async () => {
    answer = { status: 200, body: ["cancelled"] };
    await expect(cases().cancel(CASE_ID)).rejects.toMatchObject({
      code: "CERTN_RESPONSE_INVALID",
      message: expect.stringContaining("(the case was cancelled)"),
    });
  });
});
