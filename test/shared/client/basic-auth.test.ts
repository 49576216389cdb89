import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../src/auth/token-request.ts";
import { base64ToUtf8, utf8ToBase64 } from "../../../src/core/base64.ts";
import { createCertnClient } from "../../../src/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";

/** Base64 over the UTF-8 bytes of `text`, written here independently of the source. */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Base64-decodes a Basic header and splits it at the first ":" (RFC 7617 §2). */
function splitBasic(header: string): { id: string; secret: string } {
  expect(header.startsWith("Basic ")).toBe(true);
  const decoded = base64ToUtf8(header.slice("Basic ".length));
  const colon = decoded.indexOf(":");
  expect(colon).toBeGreaterThan(-1);
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * What a server reading the header as certn-api.md §2.1 documents it does
 * (`Basic base64(<client_id>:<client_secret>)`): Base64-decode, split at the first ":", and take
 * both parts as they are.
 */
const decodeAsDocumented = splitBasic;

/**
 * What a server conforming to RFC 6749 §2.3.1 does with the header: Base64-decode, split at the
 * first ":", then form-urldecode each part (`+` is a space, then percent-escapes). Written here
 * independently of the source.
 */
function decodePerRfc(header: string): { id: string; secret: string } {
  const { id, secret } = splitBasic(header);
  const formDecode = (part: string): string => decodeURIComponent(part.replaceAll("+", " "));
  return { id: formDecode(id), secret: formDecode(secret) };
}

describe("Basic credential (certn-api.md §2.1; RFC 6749 §2.3.1 for an id with ':')", () => {
  it("leaves ids and secrets of letters and digits as they are", () => {
    expect(basicAuthorization("abcXYZ019", "S3cr3tValue")).toBe(`Basic ${btoa("abcXYZ019:S3cr3tValue")}`);
  });

  it.each([
    ["plus", "a+b"],
    ["slash", "a/b"],
    ["equals", "a=b"],
    ["percent", "100%"],
    ["colon", "a:b"],
    ["space", "a b"],
  ])("sends a secret with a %s as it is, Base64 over id:secret (no form-urlencoding)", (_what, secret) => {
    const header = basicAuthorization("client", secret);
    expect(header).toBe(`Basic ${btoa(`client:${secret}`)}`);
    expect(decodeAsDocumented(header)).toEqual({ id: "client", secret });
  });

  it("form-urlencodes both parts only for an id with ':', so it splits correctly (RFC 6749 §2.3.1)", () => {
    const header = basicAuthorization("team:1", "x:y b+c");
    expect(header).toBe(`Basic ${btoa("team%3A1:x%3Ay+b%2Bc")}`);
    expect(decodePerRfc(header)).toEqual({ id: "team:1", secret: "x:y b+c" });
  });

  it("encodes non-ASCII as UTF-8 bytes, not percent-escapes", () => {
    expect(basicAuthorization("clïent", "sécret✓")).toBe(`Basic ${base64Utf8("clïent:sécret✓")}`);
    expect(decodeAsDocumented(basicAuthorization("clïent", "sécret✓"))).toEqual({
      id: "clïent",
      secret: "sécret✓",
    });
  });

  it("property: a server reading the documented form gets back any id without ':' and any secret", () => {
    const text = fc.string({ unit: "grapheme", minLength: 1 });
    const id = text.filter((value) => !value.includes(":"));
    fc.assert(
      fc.property(id, text, (clientId, secret) => {
        const header = basicAuthorization(clientId, secret);
        expect(header).toBe(`Basic ${base64Utf8(`${clientId}:${secret}`)}`);
        expect(decodeAsDocumented(header)).toEqual({ id: clientId, secret });
      }),
      { numRuns: 300 },
    );
  });

  it("property: a conforming server gets back any id with ':' and any secret", () => {
    const text = fc.string({ unit: "grapheme", minLength: 1 });
    const id = fc
      .tuple(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }))
      .map(([before, after]) => `${before}:${after}`);
    fc.assert(
      fc.property(id, text, (clientId, secret) => {
        const header = basicAuthorization(clientId, secret);
        // Only form-urlencoded bytes reach Base64: no raw ":" besides the separator.
        expect(base64ToUtf8(header.slice(6)).split(":")).toHaveLength(2);
        expect(decodePerRfc(header)).toEqual({ id: clientId, secret });
      }),
      { numRuns: 300 },
    );
  });

  it("encodes long values (chunked conversion)", () => {
    const long = "✓".repeat(20_000);
    expect(base64ToUtf8(utf8ToBase64(long))).toBe(long);
    expect(decodeAsDocumented(basicAuthorization("id", long)).secret).toBe(long);
  });

  // The simulator accepts the pair as it is (the documented form) or form-decoded (as
  // django-oauth-toolkit reads it): an id without ':' goes as it is, one with ':' form-encoded.
  it.each([
    ["id+with space/plus", "a+b/c=d"],
    ["id+with space/plus", "100%:x y"],
    ["id+with space/plus", "+/=%: é✓"],
    ["id with space+colon:", "a+b/c=d"],
    ["id with space+colon:", "100%:x y"],
    ["id with space+colon:", "+/=%: é✓"],
  ])("obtains a token from the simulator for the id %j with the secret %j", async (clientId, secret) => {
    const sim = createCertnSimulator({ clientId, clientSecret: secret });
    const client = createCertnClient({
      clientId,
      clientSecret: secret,
      fetch: sim.fetch,
      now: () => sim.clock.now(),
    });
    expect(await client.request("GET", "/api/v1/users/")).toMatchObject({ results: expect.any(Array) });
    expect(sim.tokenRequests).toBe(1);
  });
});
