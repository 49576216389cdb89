import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../src/auth/token-request.ts";
import { base64ToUtf8, utf8ToBase64 } from "../../../src/core/base64.ts";
import { createCertnClient } from "../../../src/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";

/**
 * What a server conforming to RFC 6749 §2.3.1 does with the header: Base64-decode, split at the
 * first ":", then form-urldecode each part (`+` is a space, then percent-escapes). Written here
 * independently of the source.
 */
function decodePerRfc(header: string): { id: string; secret: string } {
  expect(header.startsWith("Basic ")).toBe(true);
  const decoded = base64ToUtf8(header.slice("Basic ".length));
  const colon = decoded.indexOf(":");
  expect(colon).toBeGreaterThan(-1);
  const formDecode = (part: string): string => decodeURIComponent(part.replaceAll("+", " "));
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

describe("Basic credential (RFC 6749 §2.3.1)", () => {
  it("leaves ids and secrets of letters and digits as they are", () => {
    expect(basicAuthorization("abcXYZ019", "S3cr3tValue")).toBe(`Basic ${btoa("abcXYZ019:S3cr3tValue")}`);
  });

  it.each([
    ["plus", "a+b", "a%2Bb"],
    ["slash", "a/b", "a%2Fb"],
    ["equals", "a=b", "a%3Db"],
    ["percent", "100%", "100%25"],
    ["colon", "a:b", "a%3Ab"],
    ["space", "a b", "a+b"],
  ])("form-urlencodes a secret with a %s before Base64", (_what, secret, encoded) => {
    const header = basicAuthorization("client", secret);
    expect(header).toBe(`Basic ${btoa(`client:${encoded}`)}`);
    expect(decodePerRfc(header)).toEqual({ id: "client", secret });
  });

  it("encodes the id the same way, so an id with ':' splits correctly", () => {
    expect(decodePerRfc(basicAuthorization("team:1", "x:y"))).toEqual({ id: "team:1", secret: "x:y" });
  });

  it("encodes non-ASCII as UTF-8 percent-escapes", () => {
    expect(basicAuthorization("clïent", "sécret✓")).toBe(
      `Basic ${utf8ToBase64("cl%C3%AFent:s%C3%A9cret%E2%9C%93")}`,
    );
    expect(decodePerRfc(basicAuthorization("clïent", "sécret✓"))).toEqual({
      id: "clïent",
      secret: "sécret✓",
    });
  });

  it("property: a conforming server gets back any id and secret", () => {
    const text = fc.string({ unit: "grapheme", minLength: 1 });
    fc.assert(
      fc.property(text, text, (id, secret) => {
        const header = basicAuthorization(id, secret);
        // Only form-urlencoded bytes reach Base64: no raw ":" besides the separator.
        expect(base64ToUtf8(header.slice(6)).split(":")).toHaveLength(2);
        expect(decodePerRfc(header)).toEqual({ id, secret });
      }),
      { numRuns: 300 },
    );
  });

  it("encodes long values (chunked conversion)", () => {
    const long = "✓".repeat(20_000);
    expect(base64ToUtf8(utf8ToBase64(long))).toBe(long);
    expect(decodePerRfc(basicAuthorization("id", long)).secret).toBe(long);
  });

  it.each(["a+b/c=d", "100%:x y", "+/=%: é✓"])(
    "obtains a token from the simulator with the secret %j",
    async (secret) => {
      const sim = createCertnSimulator({ clientId: "id with space+colon:", clientSecret: secret });
      const client = createCertnClient({
        clientId: "id with space+colon:",
        clientSecret: secret,
        fetch: sim.fetch,
        now: () => sim.clock.now(),
      });
      expect(await client.request("GET", "/api/v1/users/")).toMatchObject({ results: expect.any(Array) });
      expect(sim.tokenRequests).toBe(1);
    },
  );
});
