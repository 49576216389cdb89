/**
 * CertnCentric lists in DRF's envelope `{ count, next, previous, results }`, which certn-api.md
 * §1.4 and §7 Q15 say to assume, over real HTTP on 127.0.0.1: `list` returns the page as given
 * with a `pagination` block built from it, and `all` follows `next` by its path and query on the
 * client's own origin, so a `next` naming another host never receives the API key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient, isCertnResponseError } from "../../../src/index.ts";
import { type ScriptedServer, sendJson, startScriptedServer } from "../client/scripted-server.ts";
import { collect } from "./harness.ts";

const API_KEY = "key_drf_envelope_5f1c";
let api: ScriptedServer;
/** Another host a `next` link may name: it must receive nothing. */
let elsewhere: ScriptedServer;

beforeAll(async () => {
  elsewhere = await startScriptedServer(() => (_request, response) => sendJson(response, 200, {}));
  api = await startScriptedServer(() => (request, response) => {
    const url = new URL(request.url, "http://127.0.0.1");
    const page = Number(url.searchParams.get("page") ?? "1");
    if (url.pathname === "/api/public/cases/") {
      sendJson(response, 200, {
        count: 3,
        // An absolute link to another host, as a proxy or a misconfigured server may send.
        next: page === 1 ? `${elsewhere.origin}/api/public/cases/?page=2&page_size=2` : null,
        previous: page === 1 ? null : `${api.origin}/api/public/cases/?page_size=2`,
        results: page === 1 ? [{ id: "c1" }, { id: "c2" }] : [{ id: "c3" }],
      });
      return;
    }
    if (url.pathname === "/api/public/groups/") {
      // A relative `next`, and a loop back to the first page.
      sendJson(response, 200, { count: 4, next: "?page=1", previous: null, results: [{ id: "g1" }] });
      return;
    }
    sendJson(response, 404, { type: "client_error", errors: [{ code: "not_found", detail: "Not found." }] });
  });
});

afterAll(async () => {
  await api.close();
  await elsewhere.close();
});

function centric() {
  return createCertnClient({ apiKey: API_KEY, apiKeyScheme: "Api-Key", baseUrl: api.origin }).centric;
}

describe("a CertnCentric list in DRF's envelope", () => {
  it("list returns the page as given, with a pagination block built from it", async () => {
    const page = await centric().cases.list({ page_size: 2 });
    expect(page.results.map((item) => item.id)).toEqual(["c1", "c2"]);
    expect(page.count).toBe(3);
    expect(page.next).toBe(`${elsewhere.origin}/api/public/cases/?page=2&page_size=2`);
    expect(page.pagination).toEqual({
      result_count: 3,
      page_count: null,
      page_size: null,
      current_page: null,
      next_page: `${elsewhere.origin}/api/public/cases/?page=2&page_size=2`,
      previous_page: null,
    });
  });

  it("all follows next by its path and query on the client's origin, never to another host", async () => {
    const ids: string[] = [];
    for await (const item of centric().cases.all({ page_size: 2 })) ids.push(item.id);
    expect(ids).toEqual(["c1", "c2", "c3"]);
    expect(api.requests("/api/public/cases/").map((request) => request.url)).toContain(
      "/api/public/cases/?page=2&page_size=2",
    );
    expect(elsewhere.log).toEqual([]);
  });

  it("all stops with CERTN_RESPONSE_INVALID when next loops", async () => {
    const error = await collect(centric().groups.all()).catch((reason: unknown) => reason);
    expect(isCertnResponseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/pagination loops/);
  });
});
