/**
 * Servers on 127.0.0.1 whose error bodies quote the credential they received: a token endpoint
 * answering 500 with the Basic header (or the raw `id:secret`) in `detail`, an API quoting the
 * bearer token or API key. The client's errors (message, JSON, inspection, stack) and a run's
 * item errors must show none of them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createRawServer, type Server as RawServer } from "node:net";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../src/auth/token-request.ts";
import { secretForms } from "../../../src/core/mask-secrets.ts";
import { createCertnClient, isCertnError } from "../../../src/index.ts";
import { runCollection, toJUnit, toText } from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";

const CLIENT_ID = "echo-client-7f3a";
const CLIENT_SECRET = "Echo/Secret+9k2m=Q";
const TOKEN = "atk_5d0c4e9b2a7f6e1d8c3b";
const API_KEY = "key_live_93be1f0a77c24d5e";

type Reply = (request: IncomingMessage) => { status: number; body: unknown };
let reply: Reply;
let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const { status, body } = reply(request);
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function partnerClient() {
  return createCertnClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl: origin,
    retry: { retries: 0 },
  });
}

function centricClient() {
  return createCertnClient({
    apiKey: API_KEY,
    apiKeyScheme: "Api-Key",
    baseUrl: origin,
    retry: { retries: 0 },
  });
}

/** Every way an error is shown: message, JSON, inspection, string, stack. */
function shown(error: unknown): Record<string, string> {
  const record = error as { message?: unknown; stack?: unknown };
  return {
    message: String(record.message),
    json: JSON.stringify(error),
    inspect: inspect(error, { depth: 5 }),
    string: String(error),
    stack: String(record.stack),
  };
}

function expectClean(texts: Record<string, string>, secrets: readonly string[]): void {
  secrets.forEach((secret, index) => {
    for (const form of secretForms(secret)) {
      for (const [where, text] of Object.entries(texts)) {
        // Named by position only, so a failure prints no part of the credential.
        expect(text.includes(form), `${where} shows a form of credential #${index}`).toBe(false);
      }
    }
  });
}

/** The Basic header the client sends (however it encodes id and secret), and what it encodes. */
const BASIC = basicAuthorization(CLIENT_ID, CLIENT_SECRET);
const BASIC_CREDENTIAL = BASIC.replace(/^Basic /, "");
const BASIC_VALUES = [
  CLIENT_SECRET,
  `${CLIENT_ID}:${CLIENT_SECRET}`,
  BASIC_CREDENTIAL,
  atob(BASIC_CREDENTIAL),
];

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("a token endpoint that echoes the credential in its error", () => {
  const echoes: Array<[string, Reply]> = [
    [
      "500 with the Basic header in detail",
      (request) => ({ status: 500, body: { detail: `bad header: ${request.headers.authorization}` } }),
    ],
    [
      "500 with the raw id:secret in detail",
      () => ({ status: 500, body: { detail: `unknown client ${CLIENT_ID}:${CLIENT_SECRET}` } }),
    ],
    [
      "400 with the secret in error and error_description",
      () => ({
        status: 400,
        body: {
          error: `invalid_client ${CLIENT_SECRET}`,
          error_description: `secret ${CLIENT_SECRET} is wrong`,
        },
      }),
    ],
    [
      "503 with the Base64 credential alone in a list",
      (request) => ({
        status: 503,
        body: { non_field_errors: [String(request.headers.authorization).replace("Basic ", "")] },
      }),
    ],
  ];

  it.each(echoes)("%s: the thrown error shows no credential", async (_name, echo) => {
    let seen: string | undefined;
    reply = (request) => {
      if (request.url === "/token/") seen = request.headers.authorization;
      return echo(request);
    };
    const error = await rejection(partnerClient().getAccessToken());
    expect(isCertnError(error)).toBe(true);
    expect(seen).toBe(BASIC);
    expect((error as Error).message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/token\/ -> \d{3}: /);
    expectClean(shown(error), BASIC_VALUES);
  });

  it("a run's item error shows no credential either", async () => {
    reply = (request) => ({
      status: 500,
      body: { detail: `${request.headers.authorization} / ${CLIENT_SECRET}` },
    });
    const result = await runCollection(
      collectionOf([{ name: "needs a token", request: { method: "GET", url: "/api/v1/users/" } }]),
      { client: partnerClient() },
    );
    const item = result.items[0];
    expect(item?.status).toBe("errored");
    expect(item?.error?.code).toBe("CERTN_AUTH_FAILED");
    expectClean({ json: JSON.stringify(result), junit: toJUnit(result), text: toText(result) }, BASIC_VALUES);
  });
});

describe("an API that quotes the credential in an error", () => {
  it("the bearer token quoted in detail stays out of the CertnHttpError", async () => {
    reply = (request) =>
      request.url === "/token/"
        ? { status: 200, body: { access_token: TOKEN, expires_in: 3600 } }
        : {
            status: 403,
            body: { detail: `token ${TOKEN} may not read this (${request.headers.authorization})` },
          };
    const client = partnerClient();
    const error = await rejection(client.request("GET", "/api/v1/users/"));
    expect((error as { status?: number }).status).toBe(403);
    expectClean(shown(error), [TOKEN, ...BASIC_VALUES]);
    expect(client.maskSecrets(`Bearer ${TOKEN}`)).toBe("Bearer [secret]");
  });

  it("the credential quoted deep in an error body stays out of error.body and errors", async () => {
    reply = (request) =>
      request.url === "/token/"
        ? { status: 200, body: { access_token: TOKEN, expires_in: 3600 } }
        : {
            status: 400,
            body: {
              detail: "bad",
              received: { authorization: request.headers.authorization },
              non_field_errors: [`token ${TOKEN}`],
            },
          };
    const partner = await rejection(partnerClient().request("GET", "/api/v1/users/"));
    expect((partner as { body?: { detail?: string } }).body?.detail).toBe("bad");
    expectClean({ body: JSON.stringify((partner as { body?: unknown }).body) }, [TOKEN]);
    expect(JSON.stringify((partner as { body?: unknown }).body)).toContain('"Bearer [secret]"');

    reply = () => ({
      status: 400,
      body: {
        type: "client_error",
        errors: [{ code: "invalid", detail: "refused", attr: null, extra: { key: API_KEY } }],
      },
    });
    const centric = await rejection(centricClient().request("GET", "/api/public/cases/"));
    const texts = {
      body: JSON.stringify((centric as { body?: unknown }).body),
      errors: JSON.stringify((centric as { errors?: unknown }).errors),
    };
    expectClean(texts, [API_KEY]);
    expect(texts.body).toContain('"key":"[secret]"');
  });

  it("the API key quoted in a CertnCentric error list stays out of message, errors and inspection", async () => {
    reply = (request) => ({
      status: 401,
      body: {
        type: "client_error",
        errors: [
          {
            code: "not_authenticated",
            detail: `key ${API_KEY} refused: ${request.headers.authorization}`,
            attr: null,
          },
        ],
      },
    });
    const client = centricClient();
    const error = await rejection(client.request("GET", "/api/public/cases/"));
    expectClean(shown(error), [API_KEY]);
    expect((error as { errors?: Array<{ detail?: string }> }).errors?.[0]?.detail).toBe(
      "key [secret] refused: Api-Key [secret]",
    );
  });

  it("the API key quoted in an error entry's attr and code is masked there too", async () => {
    reply = () => ({
      status: 400,
      body: {
        type: "validation_error",
        errors: [{ code: `bad_key_${API_KEY}`, detail: "bad value", attr: API_KEY }],
      },
    });
    const client = centricClient();
    const error = await rejection(client.request("GET", "/api/public/cases/"));
    expectClean(shown(error), [API_KEY]);
    expect((error as { errors?: unknown }).errors).toEqual([
      { code: "bad_key_[secret]", detail: "bad value", attr: "[secret]" },
    ]);
  });
});

describe("a server whose malformed answer echoes the credential (it ends up in the error's causes)", () => {
  // A byte no header may hold, before the echoed Authorization value: Node's parser rejects the
  // answer and keeps the raw bytes (the credential among them) in its error's `data`, which the
  // client's network error carries as its cause, two levels down.
  let raw: RawServer;
  let rawOrigin: string;
  /** Whether the token endpoint answers properly (so the echo comes from the API) or echoes too. */
  let answerToken = false;
  beforeAll(async () => {
    raw = createRawServer((socket) =>
      socket.once("data", (data) => {
        const request = data.toString("latin1");
        const authorization = /\r\nauthorization: ([^\r]*)/i.exec(request)?.[1] ?? "";
        if (request.startsWith("POST /token/") && answerToken) {
          const body = JSON.stringify({ access_token: TOKEN, expires_in: 3600 });
          socket.end(`HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
          return;
        }
        socket.end(`HTTP/1.1 200 OK\r\nx-echo: \x01${authorization}\r\n\r\n`);
      }),
    );
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    rawOrigin = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => raw.close(resolve)));

  const rawClient = () =>
    createCertnClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      baseUrl: rawOrigin,
      retry: { retries: 0 },
    });

  it("the Basic header echoed by the token endpoint", async () => {
    answerToken = false;
    const error = await rejection(rawClient().getAccessToken());
    expect((error as { code?: string }).code).toBe("CERTN_NETWORK");
    // The echo really is in the causes (masked): the test would show nothing otherwise.
    expect(inspect(error, { depth: 10 })).toContain("[secret]");
    expectClean(shown(error), BASIC_VALUES);
    expectClean({ deep: inspect(error, { depth: 10 }) }, BASIC_VALUES);
  });

  it("the bearer token echoed by the API", async () => {
    answerToken = true;
    const error = await rejection(rawClient().request("GET", "/api/v1/teams/"));
    expect((error as { code?: string }).code).toBe("CERTN_NETWORK");
    expect(inspect(error, { depth: 10 })).toContain("Bearer [secret]");
    expectClean({ ...shown(error), deep: inspect(error, { depth: 10 }) }, [TOKEN, ...BASIC_VALUES]);
  });
});
