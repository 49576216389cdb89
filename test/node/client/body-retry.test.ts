/**
 * A body that breaks or stalls half-way, over real HTTP on 127.0.0.1: a GET read by
 * `client.request` or the runner is sent again like one that got no answer at all (docs/client.md:
 * GETs are retried on network errors and timeouts), whether its length was declared or not; a
 * POST, which may have ordered a paid check, is sent once; a `client.send` caller without
 * `readWhole` keeps its stream.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/index.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";

const BODY = JSON.stringify({ count: 1, results: [{ id: "team-1", name: "Team" }] });

/** How many times each path was asked for. */
const seen = new Map<string, number>();

/** The first answer of `path` breaks as `broken` does; later ones are whole. */
function firstBroken(broken: (response: ServerResponse) => void) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if ((seen.get(request.url ?? "") ?? 0) === 1) {
      broken(response);
      return;
    }
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(BODY),
    });
    response.end(BODY);
  };
}

/** Declares 100 bytes, sends 11, and drops the connection. */
const reset = (response: ServerResponse): void => {
  response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
  response.write('{"partial":', () => response.socket?.destroy());
};

/** No declared length (chunked), 11 bytes, then nothing. */
const stall = (response: ServerResponse): void => {
  response.writeHead(200, { "content-type": "application/json" });
  response.write('{"partial":');
};

const routes: Record<string, (request: IncomingMessage, response: ServerResponse) => void> = {
  "/token/": (_request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify({ access_token: "tok-body-retry-1", token_type: "Bearer", expires_in: 3600 }),
    );
  },
  "/reset": firstBroken(reset),
  "/stall": firstBroken(stall),
  "/order": (_request, response) => reset(response),
};

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? "";
    seen.set(path, (seen.get(path) ?? 0) + 1);
    request.resume();
    routes[path]?.(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => seen.clear());

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client() {
  return createCertnClient({
    clientId: "id",
    clientSecret: "secret-body-retry-2",
    baseUrl: origin,
    timeoutMs: 400,
    retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 20 },
  });
}

describe("a body that fails half-way", () => {
  it("is retried for a GET read by client.request, with a declared length or without", async () => {
    const certn = client();
    expect(await certn.request("GET", "/reset")).toEqual(JSON.parse(BODY));
    expect(seen.get("/reset")).toBe(2);
    expect(await certn.request("GET", "/stall")).toEqual(JSON.parse(BODY));
    expect(seen.get("/stall")).toBe(2);
  });

  it("is not retried for a POST, which may have ordered a check", async () => {
    await expect(client().request("POST", "/order", { json: { email: "a@b.test" } })).rejects.toMatchObject({
      code: "CERTN_NETWORK",
    });
    expect(seen.get("/order")).toBe(1);
  });

  it("is retried for a GET item of a run, and not for a POST item", async () => {
    const result = await runCollection(
      collectionOf([
        { name: "list", request: { method: "GET", url: "/stall" } },
        { name: "order", request: { method: "POST", url: "/order", json: { a: 1 } } },
      ]),
      { client: client(), rateLimit: false },
    );
    expect(result.items[0]?.status).toBe("passed");
    expect(seen.get("/stall")).toBe(2);
    expect(result.items[1]?.status).toBe("errored");
    expect(result.items[1]?.error?.code).toBe("CERTN_NETWORK");
    expect(seen.get("/order")).toBe(1);
  });

  it("fails the reader of a client.send stream instead, sent once", async () => {
    const response = await client().send(new Request(`${origin}/stall`));
    await expect(response.text()).rejects.toMatchObject({ code: "CERTN_TIMEOUT" });
    expect(seen.get("/stall")).toBe(1);
  });
});
