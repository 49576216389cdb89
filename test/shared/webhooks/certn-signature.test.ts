import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyCertnSignature } from "../../../src/webhooks/certn-signature.ts";
import { certnSignatureHeader, hmacSha256, toHex } from "./sign.ts";

const secret = "whsec_partner_test";
const body = '{"id":"a65edc29","status":"Returned","report_status":"COMPLETE"}';
const t = 1_764_320_000;
const at = (seconds: number) => seconds * 1000;

describe("verifyCertnSignature", () => {
  it("accepts a signature computed independently over t.body", async () => {
    const header = await certnSignatureHeader(t, body, secret);
    expect(await verifyCertnSignature({ header, body, secret, now: at(t) })).toEqual({
      ok: true,
      timestamp: t,
    });
  });

  it("accepts the same bytes given as Uint8Array, a view at an offset, and ArrayBuffer", async () => {
    const header = await certnSignatureHeader(t, body, secret);
    const bytes = new TextEncoder().encode(body);
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 3);
    const view = padded.subarray(3, 3 + bytes.length);
    for (const raw of [bytes, view, bytes.buffer]) {
      expect(await verifyCertnSignature({ header, body: raw, secret, now: at(t) })).toMatchObject({
        ok: true,
      });
    }
  });

  it("verifies raw bytes that are not valid UTF-8 exactly as received", async () => {
    const raw = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const payload = new Uint8Array([...new TextEncoder().encode(`${t}.`), ...raw]);
    const header = `t=${t},v1=${toHex(await hmacSha256(secret, payload))}`;
    expect(await verifyCertnSignature({ header, body: raw, secret, now: at(t) })).toMatchObject({ ok: true });
    const decoded = new TextDecoder().decode(raw);
    expect(await verifyCertnSignature({ header, body: decoded, secret, now: at(t) })).toEqual({
      ok: false,
      reason: "signature-mismatch",
    });
  });

  it("accepts when any of several v1 values matches (secret rotation), in either position", async () => {
    const both = await certnSignatureHeader(t, body, "old-secret", secret);
    const reversed = await certnSignatureHeader(t, body, secret, "old-secret");
    for (const header of [both, reversed]) {
      expect(await verifyCertnSignature({ header, body, secret, now: at(t) })).toMatchObject({ ok: true });
    }
    const neither = await certnSignatureHeader(t, body, "old-secret", "other-secret");
    expect(await verifyCertnSignature({ header: neither, body, secret, now: at(t) })).toEqual({
      ok: false,
      reason: "signature-mismatch",
    });
  });

  it("ignores unknown schemes and whitespace around parts", async () => {
    const signed = await certnSignatureHeader(t, body, secret);
    const header = ` v0=deadbeef , ${signed.replace(",", " , ")} ,x=1`;
    expect(await verifyCertnSignature({ header, body, secret, now: at(t) })).toMatchObject({ ok: true });
  });

  it("signs the t characters as received (leading zeros)", async () => {
    const header = `t=0${t},v1=${toHex(await hmacSha256(secret, `0${t}.${body}`))}`;
    expect(await verifyCertnSignature({ header, body, secret, now: at(t) })).toEqual({
      ok: true,
      timestamp: t,
    });
  });

  it("accepts exactly at the tolerance and refuses one second past it, both directions", async () => {
    const header = await certnSignatureHeader(t, body, secret);
    for (const delta of [300, -300]) {
      expect(await verifyCertnSignature({ header, body, secret, now: at(t + delta) })).toMatchObject({
        ok: true,
      });
    }
    for (const delta of [301, -301, 300.001]) {
      expect(await verifyCertnSignature({ header, body, secret, now: at(t + delta) })).toEqual({
        ok: false,
        reason: "timestamp-out-of-tolerance",
      });
    }
  });

  it("honours a custom tolerance, a Date and a clock function", async () => {
    const header = await certnSignatureHeader(t, body, secret);
    const late = { header, body, secret, toleranceSeconds: 10 };
    expect(await verifyCertnSignature({ ...late, now: at(t + 10) })).toMatchObject({ ok: true });
    expect(await verifyCertnSignature({ ...late, now: new Date(at(t + 11)) })).toMatchObject({
      reason: "timestamp-out-of-tolerance",
    });
    expect(await verifyCertnSignature({ ...late, now: () => at(t - 11) })).toMatchObject({
      reason: "timestamp-out-of-tolerance",
    });
    expect(
      await verifyCertnSignature({
        header,
        body,
        secret,
        toleranceSeconds: Number.POSITIVE_INFINITY,
        now: 0,
      }),
    ).toMatchObject({ ok: true });
  });

  it("uses the real clock by default", async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = await certnSignatureHeader(now, body, secret);
    expect(await verifyCertnSignature({ header: fresh, body, secret })).toMatchObject({ ok: true });
    const stale = await certnSignatureHeader(now - 3600, body, secret);
    expect(await verifyCertnSignature({ header: stale, body, secret })).toMatchObject({
      reason: "timestamp-out-of-tolerance",
    });
  });

  it("refuses a tampered body, a wrong secret and a changed timestamp", async () => {
    const header = await certnSignatureHeader(t, body, secret);
    const mismatch = { ok: false, reason: "signature-mismatch" };
    expect(
      await verifyCertnSignature({ header, body: body.replace("COMPLETE", "CLEAR"), secret, now: at(t) }),
    ).toEqual(mismatch);
    expect(await verifyCertnSignature({ header, body: `${body} `, secret, now: at(t) })).toEqual(mismatch);
    expect(await verifyCertnSignature({ header, body, secret: `${secret}x`, now: at(t) })).toEqual(mismatch);
    const moved = header.replace(`t=${t}`, `t=${t + 1}`);
    expect(await verifyCertnSignature({ header: moved, body, secret, now: at(t) })).toEqual(mismatch);
  });

  it("reports a missing header", async () => {
    for (const header of [null, undefined, "", "   "]) {
      expect(await verifyCertnSignature({ header, body, secret, now: at(t) })).toEqual({
        ok: false,
        reason: "missing-header",
      });
    }
  });

  it("reports malformed headers", async () => {
    const hex = toHex(await hmacSha256(secret, `${t}.${body}`));
    const malformed = [
      "garbage",
      `v1=${hex}`,
      `t=${t}`,
      `t=${t},v1=`,
      `t=${t},v1=${hex.slice(2)}`,
      `t=${t},v1=${hex}00`,
      `t=${t},v1=${hex.replace(/^../, "zz")}`,
      `t=abc,v1=${hex}`,
      `t=-${t},v1=${hex}`,
      `t=${t}.5,v1=${hex}`,
      `t=${t},t=${t},v1=${hex}`,
      `t=${t},${Array.from({ length: 17 }, () => `v1=${hex}`).join(",")}`,
    ];
    for (const header of malformed) {
      expect(await verifyCertnSignature({ header, body, secret, now: at(t) }), header).toEqual({
        ok: false,
        reason: "malformed-header",
      });
    }
  });

  it("accepts upper-case hex digits in v1", async () => {
    const hex = toHex(await hmacSha256(secret, `${t}.${body}`)).toUpperCase();
    expect(
      await verifyCertnSignature({ header: `t=${t},v1=${hex}`, body, secret, now: at(t) }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("never throws and never accepts on arbitrary header strings", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (header) => {
        const result = await verifyCertnSignature({ header, body, secret, now: at(t) });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on header-shaped strings with random parts", async () => {
    const part = fc.oneof(
      fc
        .tuple(fc.constantFrom("t", "v1", "v0", "", " t"), fc.string({ maxLength: 70 }))
        .map(([k, v]) => `${k}=${v}`),
      fc.string({ maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 20 }), async (parts) => {
        const result = await verifyCertnSignature({ header: parts.join(","), body, secret, now: at(t) });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it("throws a TypeError for configuration mistakes, naming them", async () => {
    const header = await certnSignatureHeader(t, body, secret);
    await expect(verifyCertnSignature({ header, body, secret: "" })).rejects.toThrow(
      /secret must be a non-empty/,
    );
    await expect(verifyCertnSignature({ header, body, secret, toleranceSeconds: -1 })).rejects.toThrow(
      /toleranceSeconds/,
    );
    const parsed = JSON.parse(body) as unknown as string;
    await expect(verifyCertnSignature({ header, body: parsed, secret })).rejects.toThrow(/raw request body/);
  });
});
