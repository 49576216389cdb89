/**
 * A 429 whose `Retry-After` is longer than `retry.maxRetryAfterMs` (DRF's daily window can ask for
 * hours, certn-api.md §1.3), over real HTTP on 127.0.0.1: the call ends at once with the
 * `CertnHttpError` the answer gives unretried (status, parsed body, CertnCentric `errors`, the
 * `detail` in the message), coded `CERTN_RATE_LIMITED` and carrying `retryAfterMs`; a server that
 * quotes the credential it received has it masked in the body too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { secretForms } from "../../../src/core/mask-secrets.ts";
import { createCertnClient, isCertnHttpError } from "../../../src/index.ts";
import { type ScriptedServer, sendJson, startScriptedServer } from "./scripted-server.ts";

const TOKEN = "tok-long-wait-9d3e7a1c";
const API_KEY = "key_long_wait_4b8f2e6a";
const THROTTLED = "Request was throttled. Expected available in 7200 seconds.";
const SECRET = "wait/Secret+7x=";
let server: ScriptedServer;
/** Whether `/token/` is throttled too, quoting the Basic credential and what it encodes. */
let tokenThrottled = false;

beforeAll(async () => {
  server = await startScriptedServer(() => (request, response) => {
    const wait = { "Retry-After": "7200" };
    if (request.url === "/token/" && tokenThrottled) {
      const basic = request.headers.authorization ?? "";
      const decoded = Buffer.from(basic.replace(/^Basic /, ""), "base64").toString("utf8");
      sendJson(response, 429, { detail: THROTTLED, header: basic, decoded, words: decoded.split(":") }, wait);
      return;
    }
    if (request.url === "/token/") {
      sendJson(response, 200, { access_token: TOKEN, expires_in: 36_000 });
      return;
    }
    if (request.url.startsWith("/api/public/")) {
      // CertnCentric's envelope, quoting the credential it received.
      const errors = [
        { code: "throttled", detail: THROTTLED, attr: null },
        { code: "echo", detail: `got ${request.headers.authorization}`, attr: null },
      ];
      sendJson(response, 429, { type: "client_error", errors }, wait);
      return;
    }
    if (request.url === "/endless/") {
      // A body that starts, then never ends (nor closes).
      response.writeHead(429, { ...wait, "content-type": "application/json" });
      response.write(`{"detail": "${THROTTLED}", "padding": "`);
      return;
    }
    sendJson(response, 429, { detail: THROTTLED, echo: request.headers.authorization }, wait);
  });
});

afterAll(() => server.close());

async function failure(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(isCertnHttpError(error)).toBe(true);
  return error as Record<string, unknown>;
}

describe("a 429 asking to wait longer than maxRetryAfterMs", () => {
  it("ends the call with the answer's CertnHttpError, code CERTN_RATE_LIMITED, and retryAfterMs", async () => {
    const client = createCertnClient({
      clientId: "wait-id",
      clientSecret: "wait-secret",
      baseUrl: server.origin,
    });
    const before = server.requests("/api/v1/").length;
    const error = await failure(client.hr.applications.list());
    expect(server.requests("/api/v1/").length - before).toBe(1);
    expect(error).toMatchObject({
      code: "CERTN_RATE_LIMITED",
      status: 429,
      method: "GET",
      url: `${server.origin}/api/v1/hr/applicants/`,
      retryAfterMs: 7_200_000,
    });
    expect((error.body as Record<string, unknown>).detail).toBe(THROTTLED);
    expect(String(error.message)).toContain(THROTTLED);
    expect(String(error.message)).toContain("7200 s, over retry.maxRetryAfterMs (60000 ms)");
    expect(JSON.stringify(error.body)).not.toContain(TOKEN);
  });

  it("carries CertnCentric's errors, with the API key masked in the body", async () => {
    const client = createCertnClient({ apiKey: API_KEY, apiKeyScheme: "Api-Key", baseUrl: server.origin });
    const error = await failure(client.centric.cases.list());
    expect(error).toMatchObject({ code: "CERTN_RATE_LIMITED", status: 429, retryAfterMs: 7_200_000 });
    expect((error.errors as { detail?: string }[])[0]?.detail).toBe(THROTTLED);
    const shown = [JSON.stringify(error.body), JSON.stringify(error.errors), String(error.message)];
    for (const form of secretForms(API_KEY)) {
      for (const text of shown) expect(text.includes(form)).toBe(false);
    }
  });

  it("from the token endpoint, masks the Basic credential and the secret it encodes in the body", async () => {
    tokenThrottled = true;
    try {
      const client = createCertnClient({ clientId: "wait-id", clientSecret: SECRET, baseUrl: server.origin });
      const error = await failure(client.getAccessToken());
      expect(error).toMatchObject({ code: "CERTN_RATE_LIMITED", status: 429, retryAfterMs: 7_200_000 });
      expect((error.body as Record<string, unknown>).detail).toBe(THROTTLED);
      const body = JSON.stringify(error.body);
      for (const secret of [SECRET, `wait-id:${SECRET}`]) {
        for (const form of secretForms(secret)) expect(body.includes(form)).toBe(false);
      }
    } finally {
      tokenThrottled = false;
    }
  });

  it("gives the same through client.send, which the runner uses", async () => {
    const client = createCertnClient({ apiKey: API_KEY, apiKeyScheme: "Api-Key", baseUrl: server.origin });
    const error = await failure(client.send(new Request(`${server.origin}/api/public/cases/`)));
    expect(error).toMatchObject({ code: "CERTN_RATE_LIMITED", status: 429, retryAfterMs: 7_200_000 });
    expect(error.body).toMatchObject({ type: "client_error" });
  });

  it("reads at most the start of a streamed body that never ends, and still ends the call", async () => {
    const client = createCertnClient({ apiKey: API_KEY, baseUrl: server.origin });
    const error = await client.send(new Request(`${server.origin}/endless/`)).then(
      () => undefined,
      (reason: unknown) => reason as Record<string, unknown>,
    );
    expect(error).toMatchObject({ code: "CERTN_RATE_LIMITED", status: 429, retryAfterMs: 7_200_000 });
    expect(String(error?.body)).toContain(THROTTLED);
  });
});
