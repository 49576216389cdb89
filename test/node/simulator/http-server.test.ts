import { Agent, fetch as undiciFetch } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../src/simulator/node.ts";
import { basicHeaders, hmacSha256Hex, obj, quickBody } from "../../shared/simulator/helpers.ts";

let served: ServedCertnSimulator | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

async function token(s: ServedCertnSimulator): Promise<string> {
  const { clientId, clientSecret } = s.simulator.credentials;
  const response = await fetch(`${s.url}/token/`, {
    method: "POST",
    headers: basicHeaders(clientId, clientSecret),
    body: "grant_type=client_credentials",
  });
  expect(response.status).toBe(200);
  return obj(await response.json()).access_token as string;
}

describe("serveCertnSimulator over real HTTP on 127.0.0.1", () => {
  it("serves the API on a random port; next links carry the server's own origin", async () => {
    served = await serveCertnSimulator({ port: 0 });
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const auth = { authorization: `Bearer ${await token(served)}` };
    const response = await fetch(`${served.url}/api/v1/teams/?page_size=2`, { headers: auth });
    expect(response.status).toBe(200);
    expect(obj(await response.json()).next).toBe(`${served.url}/api/v1/teams/?page_size=2&page=2`);
    const redirect = await fetch(`${served.url}/api/v1/teams`, { headers: auth, redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("location")).toBe("/api/v1/teams/");
    expect(served.simulator.requests["GET /api/v1/teams/"]).toBe(1);
  });

  it("keeps connections alive: 20 requests over a one-connection pool use one TCP connection", async () => {
    served = await serveCertnSimulator({});
    const key = served.simulator.credentials.apiKeys[0] ?? "";
    // A pool of one connection: if the server closed it after a response, a second would be counted.
    const dispatcher = new Agent({ connections: 1 });
    try {
      for (let i = 0; i < 20; i++) {
        const response = await undiciFetch(`${served.url}/api/v2/teams/`, {
          headers: { authorization: `Bearer ${key}` },
          dispatcher,
        });
        expect(response.status).toBe(200);
        expect(response.headers.get("connection")).toBe("keep-alive");
        await response.arrayBuffer();
      }
      expect(served.connections).toBe(1);
      expect(served.openConnections).toBe(1);
    } finally {
      await dispatcher.close();
    }
  });

  it("round-trips JSON bodies, PDFs and field errors over HTTP", async () => {
    served = await serveCertnSimulator({ progress: { analysisMs: 0 } });
    const auth = { authorization: `Bearer ${await token(served)}`, "content-type": "application/json" };
    const created = await fetch(`${served.url}/api/v1/hr/applications/quick/`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify(quickBody({ owner_id: served.simulator.ownerId })),
    });
    expect(created.status).toBe(201);
    const id = obj(await created.json()).id as string;
    const pdf = await fetch(`${served.url}/api/v1/hr/reports/${id}/pdf/`, { headers: auth });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(String.fromCharCode(...bytes.slice(0, 5))).toBe("%PDF-");
    const bad = await fetch(`${served.url}/api/v1/hr/applications/quick/`, {
      method: "POST",
      headers: auth,
      body: "{}",
    });
    expect(bad.status).toBe(400);
    expect(obj(await bad.json()).information).toEqual(["This field is required."]);
  });

  it("a drop fault resets the TCP connection; a hang fault holds until the client aborts", async () => {
    served = await serveCertnSimulator({});
    served.simulator.inject("GET /api/v1/users/", [{ drop: true }, { hang: true }]);
    const dropped = await fetch(`${served.url}/api/v1/users/`).catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(TypeError);
    const controller = new AbortController();
    const hung = fetch(`${served.url}/api/v1/users/`, { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    expect(((await hung) as Error).name).toBe("AbortError");
    const after = await fetch(`${served.url}/api/v1/users/`);
    expect(after.status).toBe(401);
  });

  it("delivers signed webhooks to a real receiver on 127.0.0.1", async () => {
    const secret = "receiver-secret";
    const receiver = await serveReceiver();
    try {
      served = await serveCertnSimulator({ webhook: { url: receiver.url, secret } });
      const auth = { authorization: `Bearer ${await token(served)}`, "content-type": "application/json" };
      await fetch(`${served.url}/api/v1/hr/applications/quick/`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify(quickBody({ owner_id: served.simulator.ownerId })),
      });
      served.simulator.clock.advance(5000);
      await served.simulator.flushWebhooks();
      // Creation (Analyzing) and the result (Returned), each signed.
      expect(receiver.received.map((r) => obj(JSON.parse(r.body)).status)).toEqual(["Analyzing", "Returned"]);
      for (const { signature, body } of receiver.received) {
        const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(signature) ?? [];
        expect(v1).toBe(await hmacSha256Hex(secret, `${t}.${body}`));
      }
    } finally {
      await receiver.close();
    }
  });
});

async function serveReceiver() {
  const { createServer } = await import("node:http");
  const received: { signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        signature: String(req.headers["certn-signature"]),
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
