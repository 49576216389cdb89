/**
 * A server on 127.0.0.1 that answers with a status outside 200-599 (Node's fetch passes a `999`
 * on) and then stalls its body: such an answer cannot be rebuilt around a guarded body, so it is
 * refused at once with `CERTN_RESPONSE_INVALID`, and its connection closed, instead of handing on
 * a body that the deadline, the size cap and the caller's abort would no longer cover.
 */
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient, isCertnError } from "../../../src/index.ts";

let server: Server;
let origin: string;
const sockets: Socket[] = [];
let closed = 0;

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.on("close", () => {
      closed += 1;
    });
    // The client resets the connection it gives up on: expected here.
    socket.on("error", () => undefined);
    socket.once("data", () => {
      // A body announced as 100 MB: 64 KB of it, then nothing.
      socket.write("HTTP/1.1 999 Odd\r\ncontent-type: application/json\r\ncontent-length: 104857600\r\n\r\n");
      socket.write(Buffer.alloc(64 * 1024, 0x61));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe("a status outside 200-599", () => {
  it("is refused at once (well before the timeout) and its connection closed", async () => {
    const client = createCertnClient({ apiKey: "key-123", baseUrl: origin, timeoutMs: 10_000 });
    const started = Date.now();
    const error = await client.send(new Request(`${origin}/api/v1/teams/`), { maxBodyBytes: 1024 }).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isCertnError(error)).toBe(true);
    expect(error).toMatchObject({ code: "CERTN_RESPONSE_INVALID", status: 999 });
    expect((error as Error).message).toContain("-> 999: not an HTTP status (200-599)");
    expect(Date.now() - started).toBeLessThan(5_000);
    for (let waited = 0; closed === 0 && waited < 5_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(closed).toBeGreaterThan(0);
  });

  it("errors client.request the same way", async () => {
    const client = createCertnClient({ apiKey: "key-123", baseUrl: origin, timeoutMs: 10_000 });
    await expect(client.request("GET", "/api/v1/teams/")).rejects.toMatchObject({
      code: "CERTN_RESPONSE_INVALID",
      status: 999,
    });
  });
});
