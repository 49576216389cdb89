/**
 * The token request's Basic credential as certn-api.md §2.1 documents it,
 * `Authorization: Basic base64(<client_id>:<client_secret>)`, over real HTTP on 127.0.0.1: a
 * token endpoint that decodes the header and compares the id and secret as they are accepts
 * secrets with `+`, `/`, `=`, `%`, `~`, `!`, spaces and non-ASCII letters (UTF-8). The simulator's
 * `/token/` accepts that form, and the form-urlencoded one django-oauth-toolkit decodes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/index.ts";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { type ScriptedServer, sendJson, startScriptedServer } from "./scripted-server.ts";

const CLIENTS: Record<string, string> = {
  "client.id-1": "aB3+/x=y~z!",
  "client-2": "100%sure two words",
  "clïent-3": "sécret✓+",
  plain: "abcDEF123",
};

let server: ScriptedServer;
let simulator: ServedCertnSimulator;

beforeAll(async () => {
  server = await startScriptedServer(() => (request, response) => {
    if (request.url === "/token/") {
      const match = /^Basic (.+)$/.exec(request.headers.authorization ?? "");
      const pair = match?.[1] ? Buffer.from(match[1], "base64").toString("utf8") : "";
      const colon = pair.indexOf(":");
      const [id, secret] = [pair.slice(0, colon), pair.slice(colon + 1)];
      if (colon === -1 || CLIENTS[id] !== secret) {
        sendJson(response, 401, { error: "invalid_client" });
        return;
      }
      sendJson(response, 200, { access_token: "tok-basic-documented", expires_in: 36_000 });
      return;
    }
    sendJson(response, 200, { count: 0, next: null, previous: null, results: [] });
  });
  simulator = await serveCertnSimulator({
    clients: Object.entries(CLIENTS).map(([clientId, clientSecret]) => ({ clientId, clientSecret })),
  });
});

afterAll(async () => {
  await server.close();
  await simulator.close();
});

describe("the token request's Basic credential", () => {
  it.each(Object.entries(CLIENTS))("is base64(id:secret) as documented for %j", async (clientId, secret) => {
    const client = createCertnClient({ clientId, clientSecret: secret, baseUrl: server.origin });
    expect(await client.getAccessToken()).toBe("tok-basic-documented");
    const header = server.requests("/token/").at(-1)?.headers.authorization;
    expect(header).toBe(`Basic ${Buffer.from(`${clientId}:${secret}`, "utf8").toString("base64")}`);
  });

  it("form-urlencodes both parts only for a client id containing ':', which Basic cannot carry", async () => {
    const client = createCertnClient({ clientId: "team:1", clientSecret: "a b+c", baseUrl: server.origin });
    await client.getAccessToken().catch(() => undefined);
    const header = server.requests("/token/").at(-1)?.headers.authorization ?? "";
    expect(Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8")).toBe("team%3A1:a+b%2Bc");
  });
});

/** The status of a token request to the simulator with `pair` as its Basic credential. */
async function tokenStatus(pair: string): Promise<number> {
  const response = await fetch(`${simulator.url}/token/`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(pair, "utf8").toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  await response.body?.cancel();
  return response.status;
}

describe("the simulator's /token/", () => {
  it.each(Object.entries(CLIENTS))("accepts the documented form for %j", async (clientId, secret) => {
    expect(await tokenStatus(`${clientId}:${secret}`)).toBe(200);
    const client = createCertnClient({ clientId, clientSecret: secret, baseUrl: simulator.url });
    expect(typeof (await client.getAccessToken())).toBe("string");
  });

  it("accepts the form-urlencoded form too, as django-oauth-toolkit decodes it", async () => {
    const form = (value: string) => new URLSearchParams([["", value]]).toString().slice(1);
    for (const [clientId, secret] of Object.entries(CLIENTS)) {
      expect(await tokenStatus(`${form(clientId)}:${form(secret)}`), clientId).toBe(200);
    }
  });

  it("still refuses a wrong secret", async () => {
    const client = createCertnClient({
      clientId: "plain",
      clientSecret: "abcDEF124",
      baseUrl: simulator.url,
    });
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: "CERTN_AUTH_REFUSED" });
  });
});
