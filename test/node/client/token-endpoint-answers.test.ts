/**
 * Answers of the token endpoint the client reads field by field, over real HTTP on 127.0.0.1:
 * an OAuth2 error body (certn-api.md §4.2, `{"error", "error_description"}`) gives a
 * `CertnAuthError` with `error` and `errorDescription`, the client's credentials masked in them;
 * an `expires_in` of 0 or less is a token already expired, used for the call that asked for it
 * and never cached (certn-api.md §2.1: "lifetime in seconds is whatever `expires_in` says").
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { secretForms } from "../../../src/core/mask-secrets.ts";
import { createCertnClient, isCertnAuthError, type TokenStore } from "../../../src/index.ts";
import {
  type ScriptedHandler,
  type ScriptedServer,
  sendJson,
  startScriptedServer,
} from "./scripted-server.ts";

const SECRET = "answers-Secret/8q+Z=";
let tokenAnswer: ScriptedHandler;
let issued = 0;
let server: ScriptedServer;

beforeAll(async () => {
  server = await startScriptedServer(() => (request, response) => {
    if (request.url === "/token/") return tokenAnswer(request, response);
    sendJson(response, 200, { count: 0, next: null, previous: null, results: [] });
  });
});

beforeEach(() => {
  server.log.length = 0;
  issued = 0;
});

afterAll(() => server.close());

function client(tokenStore?: TokenStore) {
  return createCertnClient({
    clientId: "answers-client",
    clientSecret: SECRET,
    baseUrl: server.origin,
    ...(tokenStore && { tokenStore }),
  });
}

describe("an OAuth2 error from /token/", () => {
  it("gives a CertnAuthError with error and errorDescription", async () => {
    tokenAnswer = (_request, response) =>
      sendJson(response, 400, {
        error: "invalid_request",
        error_description: "Request is missing grant type.",
      });
    const error = await client()
      .users.list()
      .catch((reason: unknown) => reason);
    expect(isCertnAuthError(error)).toBe(true);
    expect(error).toMatchObject({
      code: "CERTN_AUTH_REFUSED",
      status: 400,
      error: "invalid_request",
      errorDescription: "Request is missing grant type.",
    });
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ error: "invalid_request" });
  });

  it("masks the client's credentials in them", async () => {
    tokenAnswer = (request, response) =>
      sendJson(response, 401, {
        error: `invalid_client ${SECRET}`,
        error_description: `refused ${request.headers.authorization} for answers-client:${SECRET}`,
      });
    const error = (await client()
      .getAccessToken()
      .catch((reason: unknown) => reason)) as { error?: string; errorDescription?: string };
    expect(error.error).toBe("invalid_client [secret]");
    expect(error.errorDescription).toMatch(/^refused Basic \[secret\] for /);
    for (const form of secretForms(SECRET)) {
      expect(`${error.error} ${error.errorDescription}`.includes(form)).toBe(false);
    }
  });
});

describe("an expires_in of 0 or less", () => {
  it.each([0, -30, "0"])("(%j) serves the call that asked for it and is not cached", async (expiresIn) => {
    tokenAnswer = (_request, response) => {
      issued += 1;
      sendJson(response, 200, { access_token: `tok-expired-${issued}`, expires_in: expiresIn });
    };
    const writes: string[] = [];
    const store: TokenStore = {
      get: async () => undefined,
      set: async (_key, token) => {
        writes.push(token.accessToken);
      },
      delete: async () => undefined,
    };
    const certn = client(store);
    await certn.users.list();
    await certn.users.list();
    const seen = server.log.map((request) =>
      request.url === "/token/" ? request.url : `${request.url} ${request.headers.authorization}`,
    );
    expect(seen).toEqual([
      "/token/",
      "/api/v1/users/ Bearer tok-expired-1",
      "/token/",
      "/api/v1/users/ Bearer tok-expired-2",
    ]);
    expect(writes).toEqual([]);
  });

  it("a missing or non-numeric expires_in still falls back to an hour (cached)", async () => {
    tokenAnswer = (_request, response) => {
      issued += 1;
      sendJson(response, 200, { access_token: `tok-fallback-${issued}`, expires_in: "soon" });
    };
    const certn = client();
    await certn.users.list();
    await certn.users.list();
    expect(server.requests("/token/")).toHaveLength(1);
  });
});
