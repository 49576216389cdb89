/**
 * RFC 6749 §2.3.1 over real HTTP: a token endpoint on 127.0.0.1 that decodes client credentials
 * as the RFC says (Base64, split at the first ":", then form-urldecode each part) accepts secrets
 * with every character that needs encoding.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCertnClient, isCertnAuthError } from "../../../src/index.ts";

const CLIENT_ID = "partner:client id+1";
const SECRETS = ["a+b", "a/b==", "100%sure", "pass:word", "two words", "+/=%: é✓", "Plain123"];

/** The id and secret a conforming server reads from the header, or undefined. */
function decodeBasic(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return undefined;
  const form = (part: string): string => new URLSearchParams(`x=${part}`).get("x") ?? "";
  return { id: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
}

let server: Server;
let origin: string;
let secret = "";
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    const credentials = decodeBasic(request.headers.authorization);
    seen.push(`${request.method} ${request.url}`);
    if (request.url === "/token/" && credentials?.id === CLIENT_ID && credentials.secret === secret) {
      response.end(JSON.stringify({ access_token: "tok-rfc", token_type: "Bearer", expires_in: 3600 }));
      return;
    }
    if (request.url === "/token/") {
      response.statusCode = 401;
      response.end(JSON.stringify({ error: "invalid_client" }));
      return;
    }
    const ok = request.headers.authorization === "Bearer tok-rfc";
    response.statusCode = ok ? 200 : 401;
    response.end(JSON.stringify({ ok }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("client credentials against a token endpoint that decodes per RFC 6749", () => {
  it.each(SECRETS)("obtains a token with the secret %j", async (value) => {
    secret = value;
    const client = createCertnClient({ clientId: CLIENT_ID, clientSecret: value, baseUrl: origin });
    expect(await client.request("GET", "/api/v1/users/")).toEqual({ ok: true });
  });

  it("is refused with a wrong secret (the server does check)", async () => {
    secret = "right";
    const client = createCertnClient({ clientId: CLIENT_ID, clientSecret: "wrong", baseUrl: origin });
    const error = await client.getAccessToken().catch((reason: unknown) => reason);
    expect(isCertnAuthError(error)).toBe(true);
  });
});
