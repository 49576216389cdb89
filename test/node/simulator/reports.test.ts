import { beforeEach, describe, expect, it } from "vitest";
import { type CertnSimulator, createCertnSimulator } from "../../../src/simulator/index.ts";
import { type Api, api, getToken, obj, quickBody } from "../../shared/simulator/helpers.ts";

let sim: CertnSimulator;
let token: string;
let client: Api;
beforeEach(async () => {
  sim = createCertnSimulator();
  token = await getToken(sim);
  client = api(sim, token);
});

async function quick(path: string, body: Record<string, unknown>): Promise<string> {
  const response = await client.send("POST", path, body);
  expect(response.status).toBe(201);
  return obj(response.body).id as string;
}

/** Checks a PDF's structure: header, trailer, and that every xref offset points at its object. */
function checkPdf(bytes: Uint8Array): string {
  const text = Array.from(bytes, (b) => String.fromCharCode(b)).join("");
  expect(text.startsWith("%PDF-")).toBe(true);
  expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(text)?.[1]);
  expect(text.slice(startxref, startxref + 4)).toBe("xref");
  const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
  expect(entries.length).toBeGreaterThan(3);
  entries.forEach((offset, i) => {
    expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
  });
  const stream = /<< \/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(text);
  expect(Number(stream?.[1])).toBe(stream?.[2]?.length);
  return text;
}

describe("reports (certn-api.md §3.3, §3.4, §7 #11)", () => {
  it("refuses every report format with 400 non_field_errors until the HR applicant is Returned", async () => {
    const id = await quick("/api/v1/hr/applications/quick/", quickBody({ owner_id: sim.ownerId }));
    for (const format of ["pdf", "web", "link"]) {
      const { status, body } = await client.get(`/api/v1/hr/reports/${id}/${format}/`);
      expect(status).toBe(400);
      expect(body).toEqual({ non_field_errors: ["Cannot generate report for incomplete hr applicant."] });
    }
  });

  it("uses the PM wording on the PM and /api/v2 surfaces", async () => {
    const id = await quick("/api/v2/applications/quick/", {
      request_softcheck: true,
      information: obj(quickBody().information),
    });
    const { body } = await client.get(`/api/v2/reports/${id}/pdf/`);
    expect(body).toEqual({ non_field_errors: ["Cannot generate report for incomplete applicant."] });
    expect((await client.get(`/api/v1/pm/reports/${id}/link/`)).status).toBe(400);
  });

  it("serves a valid PDF, an HTML page and a hosted link once Returned", async () => {
    const id = await quick("/api/v1/hr/applications/quick/", quickBody({ owner_id: sim.ownerId }));
    sim.clock.advance(5000);
    const pdf = await sim.fetch(`https://demo-api.certn.co/api/v1/hr/reports/${id}/pdf/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = checkPdf(new Uint8Array(await pdf.arrayBuffer()));
    expect(text).toContain(`Applicant id: ${id}`);
    const web = await sim.fetch(`https://demo-api.certn.co/hr/v1/reports/${id}/web/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(web.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await web.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(id);
    const link = await client.get(`/api/v1/hr/reports/${id}/link/`);
    expect(link.body).toEqual({ url: `https://demo-app.certn.co/hr/applications/${id}/report/` });
  });

  it("escapes applicant input in the HTML report and keeps the PDF valid with any characters", async () => {
    const information = { ...obj(quickBody().information), first_name: "<script>alert(1)</script> (Zoë) \\" };
    const id = await quick(
      "/api/v1/hr/applications/quick/",
      quickBody({ owner_id: sim.ownerId, information }),
    );
    sim.clock.advance(5000);
    const html = obj(await client.get(`/api/v1/hr/reports/${id}/web/`)).body as string;
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;");
    const pdf = await sim.fetch(`https://demo-api.certn.co/api/v1/hr/reports/${id}/pdf/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    checkPdf(new Uint8Array(await pdf.arrayBuffer()));
  });

  it("404s reports of unknown applicants and of the other product", async () => {
    const id = await quick("/api/v1/hr/applications/quick/", quickBody({ owner_id: sim.ownerId }));
    sim.clock.advance(5000);
    expect((await client.get(`/api/v1/pm/reports/${id}/pdf/`)).status).toBe(404);
    expect((await client.get("/api/v1/hr/reports/00000000-0000-4000-8000-000000000000/pdf/")).status).toBe(
      404,
    );
  });
});
