import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { basicAuthorization } from "../../../src/auth/token-request.ts";
import { base64ToUtf8, utf8ToBase64 } from "../../../src/core/base64.ts";

describe("Basic credential", () => {
  it("encodes UTF-8 (not Latin-1) before Base64", () => {
    expect(basicAuthorization("clïent", "sécret✓")).toBe(`Basic ${utf8ToBase64("clïent:sécret✓")}`);
    expect(utf8ToBase64("é")).toBe("w6k=");
    expect(utf8ToBase64("a:b")).toBe(btoa("a:b"));
  });

  it("property: decoding gives back id:secret for arbitrary unicode", () => {
    const id = fc.string({ unit: "grapheme", minLength: 1 }).filter((s) => !s.includes(":"));
    const secret = fc.string({ unit: "grapheme", minLength: 1 });
    fc.assert(
      fc.property(id, secret, (clientId, clientSecret) => {
        const header = basicAuthorization(clientId, clientSecret);
        expect(header.startsWith("Basic ")).toBe(true);
        const decoded = base64ToUtf8(header.slice("Basic ".length));
        expect(decoded).toBe(`${clientId}:${clientSecret}`);
        expect(decoded.slice(0, decoded.indexOf(":"))).toBe(clientId);
      }),
      { numRuns: 200 },
    );
  });

  it("encodes long values (chunked conversion)", () => {
    const long = "✓".repeat(20_000);
    expect(base64ToUtf8(utf8ToBase64(long))).toBe(long);
  });
});
