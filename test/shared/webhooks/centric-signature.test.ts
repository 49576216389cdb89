import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyCertnCentricSignature } from "../../../src/webhooks/centric-signature.ts";
import { hmacSha256, toBase64, toBase64Url, toHex } from "./sign.ts";

const secret = "centric_webhook_secret";
const body =
  '{"id":"e50b8c4f-9a95-40a0-886a-37aa21ea078e","event_type":"CASE_STATUS_CHANGED",' +
  '"object_id":"2f64d134-1c54-4028-8e8b-9cfa7bd8011c","object_type":"CASE"}';

describe("verifyCertnCentricSignature", () => {
  it("matches RFC 4231 test case 2 (HMAC-SHA256, key 'Jefe')", async () => {
    const header = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    expect(
      await verifyCertnCentricSignature({ header, body: "what do ya want for nothing?", secret: "Jefe" }),
    ).toEqual({ ok: true });
    expect(
      await verifyCertnCentricSignature({ header, body: "what do ya want for nothing!", secret: "Jefe" }),
    ).toEqual({ ok: false, reason: "signature-mismatch" });
  });

  it("accepts every encoding seen in the wild (open question §6.2 Q1)", async () => {
    const mac = await hmacSha256(secret, body);
    const base64 = toBase64(mac);
    const encodings: Record<string, string> = {
      "lower-case hex (three receivers)": toHex(mac),
      "upper-case hex": toHex(mac).toUpperCase(),
      "base64 with padding": base64,
      "base64 without padding": base64.replace(/=$/, ""),
      "url-safe base64 without padding": toBase64Url(mac),
      "url-safe base64 with padding": `${toBase64Url(mac)}=`,
      "sha256= prefix on hex": `sha256=${toHex(mac)}`,
      "SHA256= prefix on base64": `SHA256=${base64}`,
      "surrounding whitespace": `  ${toHex(mac)} `,
    };
    for (const [name, header] of Object.entries(encodings)) {
      expect(await verifyCertnCentricSignature({ header, body, secret }), name).toEqual({ ok: true });
    }
  });

  it("checks the raw bytes (Uint8Array, ArrayBuffer)", async () => {
    const header = toHex(await hmacSha256(secret, body));
    const bytes = new TextEncoder().encode(body);
    expect(await verifyCertnCentricSignature({ header, body: bytes, secret })).toEqual({ ok: true });
    expect(await verifyCertnCentricSignature({ header, body: bytes.buffer, secret })).toEqual({ ok: true });
  });

  it("refuses a tampered body, a re-serialised body and a wrong secret", async () => {
    const header = toHex(await hmacSha256(secret, body));
    const mismatch = { ok: false, reason: "signature-mismatch" };
    const tampered = body.replace("CASE_STATUS_CHANGED", "CASE_REPORT_READY");
    expect(await verifyCertnCentricSignature({ header, body: tampered, secret })).toEqual(mismatch);
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect(await verifyCertnCentricSignature({ header, body: reserialised, secret })).toEqual(mismatch);
    expect(await verifyCertnCentricSignature({ header, body, secret: "other" })).toEqual(mismatch);
  });

  it("refuses a signature of the right shape made over t.body (the partner scheme)", async () => {
    const header = toHex(await hmacSha256(secret, `1764320000.${body}`));
    expect(await verifyCertnCentricSignature({ header, body, secret })).toEqual({
      ok: false,
      reason: "signature-mismatch",
    });
  });

  it("reports a missing header", async () => {
    for (const header of [null, undefined, "", " "]) {
      expect(await verifyCertnCentricSignature({ header, body, secret })).toEqual({
        ok: false,
        reason: "missing-header",
      });
    }
  });

  it("reports values that encode no 32-byte HMAC as malformed", async () => {
    const mac = await hmacSha256(secret, body);
    const hex = toHex(mac);
    const malformed = [
      "sha256=",
      hex.slice(1),
      `${hex}0`,
      `${hex.slice(0, 62)}zz`,
      `t=1,v1=${hex}`,
      `sha1=${hex}`,
      toBase64(mac.slice(0, 31)),
      `${toBase64(mac)}=`,
      toBase64(mac)
        .replace(/^./, "-")
        .replace(/.(?==$)/, "+"),
      toBase64(new Uint8Array([...mac, 1])),
    ];
    for (const header of malformed) {
      expect(await verifyCertnCentricSignature({ header, body, secret }), header).toEqual({
        ok: false,
        reason: "malformed-header",
      });
    }
  });

  it("never throws and never accepts on arbitrary header strings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 120 }), async (header) => {
        expect((await verifyCertnCentricSignature({ header, body, secret })).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("never accepts a random well-formed signature", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (bytes) => {
        for (const header of [toHex(bytes), toBase64(bytes), toBase64Url(bytes)]) {
          expect(await verifyCertnCentricSignature({ header, body, secret })).toEqual({
            ok: false,
            reason: "signature-mismatch",
          });
        }
      }),
      { numRuns: 50 },
    );
  });

  it("throws a TypeError for an empty secret", async () => {
    await expect(verifyCertnCentricSignature({ header: "x", body, secret: "" })).rejects.toThrow(TypeError);
  });
});
