/**
 * The runner with the real client over real HTTP on 127.0.0.1: redirects are reported, never
 * followed; an oversized body is cut off; the deadline aborts a stalled response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/index.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, hits };
}

let api: Awaited<ReturnType<typeof listen>>;
let foreign: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  foreign = await listen((_request, response) => response.end("foreign"));
  api = await listen((request, response) => {
    if (request.url === "/token/") {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ access_token: "tok-http-123", token_type: "Bearer", expires_in: 3600 }));
      return;
    }
    if (request.url === "/redirect") {
      response.writeHead(302, { location: `${foreign.origin}/steal` });
      response.end();
      return;
    }
    if (request.url === "/huge") {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      const chunk = Buffer.alloc(256 * 1024, 97);
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 && response.write(chunk)) sent += 1;
        if (sent < 64 && !response.destroyed) response.once("drain", pump);
        else response.end();
      };
      response.on("close", () => {
        sent = 64;
      });
      pump();
      return;
    }
    if (request.url === "/stall") {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"partial":');
      return; // never ends
    }
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ ok: true, auth: request.headers.authorization === "Bearer tok-http-123" }));
  });
});

afterAll(async () => {
  api.server.closeAllConnections();
  foreign.server.closeAllConnections();
  await Promise.all([api, foreign].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

function client() {
  return createCertnClient({
    clientId: "id",
    clientSecret: "secret-http-456",
    baseUrl: api.origin,
    retry: { retries: 0 },
  });
}

describe("runner over real HTTP", () => {
  it("sends the credential to the base origin and reports a redirect without following it", async () => {
    const result = await runCollection(
      collectionOf([
        { name: "ok", request: { method: "GET", url: "/ok" }, assert: [{ that: "$.auth", equals: true }] },
        {
          name: "redirect",
          request: { method: "GET", url: "/redirect" },
          assert: [
            { that: "status", equals: 302 },
            { that: "header location", startsWith: foreign.origin },
          ],
        },
      ]),
      { client: client(), includeBodies: true },
    );
    expect(result.items.map((item) => item.status)).toEqual(["passed", "passed"]);
    expect(foreign.hits).toEqual([]);
    const text = JSON.stringify(result);
    expect(text).not.toContain("tok-http-123");
    expect(text).not.toContain("secret-http-456");
    expect(text).not.toContain("/token/");
  });

  it("errors a body over 5 MB without reading the rest", async () => {
    const result = await runCollection(
      collectionOf([{ name: "huge", request: { method: "GET", url: "/huge" } }]),
      {
        client: client(),
      },
    );
    expect(result.items[0]).toMatchObject({ status: "errored", error: { code: "CERTN_RESPONSE_TOO_LARGE" } });
  });

  it("aborts a stalled body at the deadline and errors the item", async () => {
    const result = await runCollection(
      collectionOf([
        { name: "stall", request: { method: "GET", url: "/stall" } },
        { name: "after", request: { method: "GET", url: "/ok" } },
      ]),
      { client: client(), deadlineMs: 300 },
    );
    expect(result.items.map((item) => [item.status, item.error?.code])).toEqual([
      ["errored", "CERTN_DEADLINE"],
      ["skipped", "CERTN_DEADLINE"],
    ]);
  });
});
