/**
 * The client's whole-body read over real HTTP on 127.0.0.1: a body whose Content-Length fits the
 * cap is read with one arrayBuffer() under the attempt's deadline; a stalled one still times out,
 * a lying or encoded one still takes the guarded stream, and the result reads like any Response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BufferedResponse } from "../../../src/core/buffered-response.ts";
import { createCertnClient } from "../../../src/index.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const BODY = JSON.stringify({ count: 1, results: [{ id: "team-1", name: "Team" }] });

const routes: Record<string, Handler> = {
  "/token/": (_request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ access_token: "tok-buffered-1", token_type: "Bearer", expires_in: 3600 }));
  },
  "/fits": (_request, response) => {
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(BODY),
    });
    response.end(BODY);
  },
  "/stall": (_request, response) => {
    // Declares 100 bytes, sends 11, and never ends.
    response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
    response.write('{"partial":');
  },
  "/over": (_request, response) => {
    const big = Buffer.alloc(4096, 97);
    response.writeHead(200, { "content-type": "text/plain", "content-length": big.length });
    response.end(big);
  },
  "/gzip": (_request, response) => {
    const zipped = gzipSync(Buffer.from(BODY));
    response.writeHead(200, {
      "content-type": "application/json",
      "content-encoding": "gzip",
      "content-length": zipped.length,
    });
    response.end(zipped);
  },
};

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => routes[request.url ?? ""]?.(request, response));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(timeoutMs = 5_000) {
  return createCertnClient({
    clientId: "id",
    clientSecret: "secret-buffered-2",
    baseUrl: origin,
    timeoutMs,
    retry: { retries: 0 },
  });
}

describe("a body whose Content-Length fits the cap", () => {
  it("is read whole by the attempt and reads like a Response", async () => {
    const response = await client().send(new Request(`${origin}/fits`), { maxBodyBytes: 1024 });
    expect(response).toBeInstanceOf(BufferedResponse);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${origin}/fits`);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.bodyUsed).toBe(false);
    const copy = response.clone();
    expect(await response.json()).toEqual(JSON.parse(BODY));
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(await new Response(copy.body).text()).toBe(BODY);
  });

  it("still errors at the attempt's deadline when the body stalls", async () => {
    const response = await client(300).send(new Request(`${origin}/stall`), { maxBodyBytes: 1024 });
    await expect(response.text()).rejects.toMatchObject({ code: "CERTN_TIMEOUT" });
  });

  it("takes the guarded stream when the declared length is over the cap", async () => {
    const response = await client().send(new Request(`${origin}/over`), { maxBodyBytes: 1024 });
    expect(response).not.toBeInstanceOf(BufferedResponse);
    await expect(response.text()).rejects.toMatchObject({ code: "CERTN_RESPONSE_TOO_LARGE" });
  });

  it("takes the guarded stream for an encoded body, whose decoded size the header does not give", async () => {
    const response = await client().send(new Request(`${origin}/gzip`), { maxBodyBytes: 1024 });
    expect(response).not.toBeInstanceOf(BufferedResponse);
    expect(await response.json()).toEqual(JSON.parse(BODY));
  });

  it("keeps the fetched headers, immutable, whichever way the body was read", async () => {
    const buffered = await client().send(new Request(`${origin}/fits`), { maxBodyBytes: 1024 });
    const streamed = await client().send(new Request(`${origin}/fits`));
    for (const response of [buffered, streamed]) {
      expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(BODY)));
      // As `fetch` gives them: a response's headers cannot be changed by whoever reads it.
      expect(() => response.headers.set("x-changed", "1")).toThrow(TypeError);
      expect(response.url).toBe(`${origin}/fits`);
      expect((await response.blob()).type).toBe("application/json");
    }
  });

  it("is not buffered without a cap: the caller may stream it", async () => {
    const response = await client().send(new Request(`${origin}/fits`));
    expect(response).not.toBeInstanceOf(BufferedResponse);
    expect(await response.text()).toBe(BODY);
  });
});
