import { describe, expect, it } from "vitest";
import { CertnErrorCode, isCertnError, isCertnHttpError, isCertnResponseError } from "../../../src/index.ts";
import { BASE, json, makeClient, rejectionOf, type SeenRequest, withTokens } from "./harness.ts";

function route(table: Record<string, (r: SeenRequest) => Response>) {
  return withTokens((r) => {
    const key = `${r.method} ${r.path}`;
    const handler = table[key];
    return handler ? handler(r) : json(404, { detail: "Not found." });
  });
}

describe("typed resources", () => {
  it("superteams and teams map to /api/v1/ with the right methods", async () => {
    const seen: string[] = [];
    const echo = (r: SeenRequest) => {
      seen.push(`${r.method} ${r.path}${new URL(r.url).search} ${r.body}`);
      return json(r.method === "POST" ? 201 : 200, {
        id: "s1",
        name: "n",
        count: 0,
        next: null,
        previous: null,
        results: [],
      });
    };
    const { client } = makeClient(withTokens(echo));
    const input = {
      name: "S",
      street_address: "1 Main",
      city: "Victoria",
      province_state: "BC",
      country: "CA",
      postal_code: "V8A1B2",
      is_secure_sms_enabled: false,
    };
    await client.superteams.list({ page: 2, page_size: 5 });
    await client.superteams.get("s1");
    await client.superteams.create(input);
    await client.superteams.update("s1", input);
    await client.teams.list();
    await client.teams.get("t 1");
    await client.teams.create({ name: "T", pre_pay: false });
    await client.teams.update("t1", { name: "T2" });
    await client.users.list({ search: "a b" });
    expect(seen).toEqual([
      "GET /api/v1/superteams/?page=2&page_size=5 ",
      "GET /api/v1/superteams/s1/ ",
      `POST /api/v1/superteams/ ${JSON.stringify(input)}`,
      `PUT /api/v1/superteams/s1/ ${JSON.stringify(input)}`,
      "GET /api/v1/teams/ ",
      "GET /api/v1/teams/t%201/ ",
      'POST /api/v1/teams/ {"name":"T","pre_pay":false}',
      'PUT /api/v1/teams/t1/ {"name":"T2"}',
      "GET /api/v1/users/?search=a+b ",
    ]);
  });

  it("refuses ids that would change the path: a rejected CERTN_INVALID_REQUEST naming the parameter, nothing sent", async () => {
    const { client, server } = makeClient(withTokens(() => json(200, {})));
    const calls: [string, (id: string) => Promise<unknown>][] = [
      ["applicantId", (id) => client.hr.applications.get(id)],
      ["applicantId", (id) => client.hr.reports.pdf(id)],
      ["id", (id) => client.teams.get(id)],
    ];
    for (const [name, call] of calls) {
      for (const id of ["", ".", "..", "a/b", "a\\b", "a?b", "a#b"]) {
        // The method returns a promise that rejects; it never throws synchronously.
        let returned: Promise<unknown> | undefined;
        expect(() => {
          returned = call(id);
        }).not.toThrow();
        const error = await rejectionOf(returned ?? Promise.resolve());
        expect(isCertnError(error), `${name} ${JSON.stringify(id)}`).toBe(true);
        expect(error).not.toBeInstanceOf(TypeError);
        expect(error).toMatchObject({ name: "CertnError", code: CertnErrorCode.INVALID_REQUEST });
        expect((error as Error).message.startsWith(`${name} must be a non-empty id`)).toBe(true);
      }
    }
    expect(server.seen).toHaveLength(0);
  });

  it.each(["hr", "pm"] as const)("%s applications and reports use their /api/v1/ prefix", async (line) => {
    const p = `/api/v1/${line}`;
    const applicant = { id: "ap1", status: "Returned", report_status: "COMPLETE" };
    const { client, server } = makeClient(
      route({
        [`POST ${p}/applications/invite/`]: () =>
          json(201, { id: "app1", created: "c", modified: "m", applicant, applicants: [applicant] }),
        [`POST ${p}/applications/quick/`]: () => json(201, { ...applicant, status: "Analyzing" }),
        [`PUT ${p}/applicants/ap1/packages/`]: () => json(200, applicant),
        [`GET ${p}/applicants/`]: () =>
          json(200, { count: 1, next: null, previous: null, results: [applicant] }),
        [`GET ${p}/applicants/ap1/`]: () => json(200, applicant),
        [`GET ${p}/reports/ap1/pdf/`]: () =>
          new Response(new Uint8Array([0x25, 0x50, 0x44, 0x46]), {
            headers: { "Content-Type": "application/pdf" },
          }),
        [`GET ${p}/reports/ap1/link/`]: () => json(200, { url: "https://demo-app.certn.co/r/1" }),
        [`GET ${p}/reports/ap1/web/`]: () =>
          new Response("<html>report</html>", { headers: { "Content-Type": "text/html" } }),
      }),
    );
    const product = client[line];
    const invite = await product.applications.invite({
      email: "a@example.com",
      request_softcheck: true,
      owner_id: "u1",
    });
    expect(invite.id).toBe("app1");
    expect(
      (await product.applications.quick({ information: { first_name: "A" }, request_softcheck: true }))
        .status,
    ).toBe("Analyzing");
    expect((await product.applications.upgrade("ap1", { request_equifax: true })).id).toBe("ap1");
    expect((await product.applications.list({ ordering: "-created" })).results).toEqual([applicant]);
    expect((await product.applications.get("ap1")).report_status).toBe("COMPLETE");
    expect(Array.from(await product.reports.pdf("ap1"))).toEqual([0x25, 0x50, 0x44, 0x46]);
    expect(await product.reports.link("ap1")).toEqual({ url: "https://demo-app.certn.co/r/1" });
    expect(await product.reports.html("ap1")).toBe("<html>report</html>");
    const invited = server.api()[0];
    expect(JSON.parse(invited?.body ?? "")).toEqual({
      email: "a@example.com",
      request_softcheck: true,
      owner_id: "u1",
    });
  });

  it("report errors surface as CertnHttpError (report before Returned)", async () => {
    const { client } = makeClient(
      withTokens(() =>
        json(400, { non_field_errors: ["Cannot generate report for incomplete hr applicant."] }),
      ),
    );
    const error = (await rejectionOf(client.hr.reports.pdf("ap1"))) as Error;
    expect(isCertnHttpError(error)).toBe(true);
    expect(error.message).toBe(
      `GET ${BASE}/api/v1/hr/reports/ap1/pdf/ -> 400: Cannot generate report for incomplete hr applicant.`,
    );
  });

  it("a link response without url is a CertnResponseError naming the field", async () => {
    const { client } = makeClient(withTokens(() => json(200, { href: "x" })));
    const error = (await rejectionOf(client.pm.reports.link("ap1"))) as Error;
    expect(isCertnResponseError(error)).toBe(true);
    expect(error.message).toContain('"url"');
  });
});

describe("pagination", () => {
  it("all() follows next across pages, rebuilding http:// links on the base origin", async () => {
    const pages: Record<string, unknown> = {
      "": {
        count: 5,
        next: "http://demo-api.certn.co/api/v1/hr/applicants/?page=2&page_size=2",
        previous: null,
        results: [{ id: "1" }, { id: "2" }],
      },
      "?page=2&page_size=2": {
        count: 5,
        next: "http://demo-api.certn.co/api/v1/hr/applicants/?page=3&page_size=2",
        previous: null,
        results: [{ id: "3" }, { id: "4" }],
      },
      "?page=3&page_size=2": { count: 5, next: null, previous: "x", results: [{ id: "5" }] },
    };
    const { client, server } = makeClient(
      withTokens((r) => {
        const search = new URL(r.url).search;
        const key = search === "?page_size=2" ? "" : search;
        return json(200, pages[key]);
      }),
    );
    const ids: string[] = [];
    for await (const applicant of client.hr.applications.all({ page_size: 2 })) ids.push(applicant.id);
    expect(ids).toEqual(["1", "2", "3", "4", "5"]);
    expect(server.api().map((r) => r.url)).toEqual([
      `${BASE}/api/v1/hr/applicants/?page_size=2`,
      `${BASE}/api/v1/hr/applicants/?page=2&page_size=2`,
      `${BASE}/api/v1/hr/applicants/?page=3&page_size=2`,
    ]);
    expect(server.api().every((r) => r.headers.get("authorization") === "Bearer tok-1")).toBe(true);
  });

  it("never sends a next link to a foreign host", async () => {
    const { client, server } = makeClient(
      withTokens((_r, i) =>
        json(200, {
          count: 2,
          next: i === 1 ? "https://evil.test/api/v1/users/?page=2" : null,
          previous: null,
          results: [{ id: String(i) }],
        }),
      ),
    );
    const ids: string[] = [];
    for await (const user of client.users.all()) ids.push(user.id);
    expect(ids).toEqual(["1", "2"]);
    expect(server.seen.every((r) => r.url.startsWith(`${BASE}/`))).toBe(true);
  });

  it("stops a pagination loop with a CertnResponseError", async () => {
    const { client } = makeClient(
      withTokens(() =>
        json(200, { count: 9, next: "/api/v1/users/?page=2", previous: null, results: [{ id: "x" }] }),
      ),
    );
    const error = await rejectionOf(
      (async () => {
        for await (const _ of client.users.all()) {
          // drain
        }
      })(),
    );
    expect(isCertnResponseError(error)).toBe(true);
  });

  it("rejects a page without results", async () => {
    const { client } = makeClient(withTokens(() => json(200, { count: 0 })));
    const error = (await rejectionOf(client.teams.list())) as Error;
    expect(isCertnResponseError(error)).toBe(true);
    expect(error.message).toContain('"results"');
  });
});
