/**
 * Ids that would change a request's path (`a/b`, `..`, `a?b`...) are refused before anything is
 * sent, with the library's error: a `CertnError` coded `CERTN_INVALID_REQUEST` whose message names
 * the parameter. Checked against a server on 127.0.0.1 that must receive nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient, isCertnError } from "../../../src/index.ts";
import { type ScriptedServer, sendJson, startScriptedServer } from "./scripted-server.ts";

const BAD_IDS = ["a/b", "..", ".", "a?b=1", "a#b", "a\\b", ""];
let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer(() => (request, response) => {
    if (request.url === "/token/") {
      sendJson(response, 200, { access_token: "tok-invalid-ids", expires_in: 36_000 });
      return;
    }
    sendJson(response, 200, { id: "x", status: "Pending" });
  });
});

afterAll(() => server.close());

function clients() {
  const partner = createCertnClient({ clientId: "ids", clientSecret: "ids-secret", baseUrl: server.origin });
  const centric = createCertnClient({ apiKey: "key_ids_1", apiKeyScheme: "Api-Key", baseUrl: server.origin });
  return { partner, centric: centric.centric };
}

const calls: [string, string, (id: string) => Promise<unknown>][] = [
  ["teams.get", "id", (id) => clients().partner.teams.get(id)],
  ["hr.applications.get", "applicantId", (id) => clients().partner.hr.applications.get(id)],
  ["hr.reports.pdf", "applicantId", (id) => clients().partner.hr.reports.pdf(id)],
  ["centric.cases.get", "id", (id) => clients().centric.cases.get(id)],
  ["centric.cases.supplementaryFiles", "id", (id) => clients().centric.cases.supplementaryFiles(id)],
  ["centric.cases.reportFile", "reportFileId", (id) => clients().centric.cases.reportFile(id)],
];

describe("an id that would change the path", () => {
  it.each(calls)(
    "is refused by %s with CERTN_INVALID_REQUEST naming %s, nothing sent",
    async (_, name, call) => {
      for (const id of BAD_IDS) {
        const before = server.log.length;
        // Called inside a promise chain, so a synchronous throw is caught too (and reported as such).
        const error = await Promise.resolve()
          .then(() => call(id))
          .catch((reason: unknown) => reason);
        expect(isCertnError(error), JSON.stringify(id)).toBe(true);
        expect(error).toMatchObject({ name: "CertnError", code: "CERTN_INVALID_REQUEST" });
        expect((error as Error).message.startsWith(`${name} must be a non-empty id`)).toBe(true);
        expect(server.log.length - before).toBe(0);
      }
    },
  );

  it("is rejected, not thrown synchronously, by the supplementary methods", () => {
    const { centric } = clients();
    for (const call of [
      () => centric.cases.supplementaryFiles("a/b"),
      () => centric.cases.supplementaryInformation("a/b"),
    ]) {
      let returned: Promise<unknown> | undefined;
      expect(() => {
        returned = call();
      }).not.toThrow();
      void returned?.catch(() => undefined);
    }
  });

  it("is sent percent-encoded when it only holds characters that need encoding", async () => {
    const before = server.log.length;
    await clients().centric.cases.get("é-ü 1");
    expect(server.log.slice(before).map((request) => request.url)).toEqual([
      "/api/public/cases/%C3%A9-%C3%BC%201/",
    ]);
  });
});
