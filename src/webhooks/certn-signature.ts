/**
 * The partner API's webhook signature (certn-api.md §6.1), a copy of Stripe's scheme:
 * `Certn-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`, where each `v1` is the hex
 * HMAC-SHA256 of `t + "." + raw body`. Several `v1` values appear while a secret is rotated.
 */
import { anyHmacMatches } from "../core/hmac.ts";
import { prefixBytes, type RawBody } from "./raw-body.ts";
import { decodeHex32 } from "./signature-encoding.ts";
import { readSignedWebhook } from "./signed-webhook.ts";

/** The header the partner API signs its webhooks with. */
export const CERTN_SIGNATURE_HEADER = "Certn-Signature";

/** Default replay window, in seconds: the reference's recommendation (certn-api.md §6.1). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/** More `v1` values than a rotation needs; refused so one request cannot cost many HMACs. */
const MAX_SIGNATURES = 16;

/** Why a `Certn-Signature` was refused. */
export type CertnSignatureFailureReason =
  | "missing-header"
  | "malformed-header"
  | "timestamp-out-of-tolerance"
  | "signature-mismatch";

/** The outcome of {@link verifyCertnSignature}; `timestamp` is the signed `t`, in unix seconds. */
export type CertnSignatureResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: CertnSignatureFailureReason };

/** Input of {@link verifyCertnSignature}. */
export interface VerifyCertnSignatureOptions {
  /** The `Certn-Signature` header value (`request.headers.get("Certn-Signature")`). */
  header: string | null | undefined;
  /** The raw body exactly as received; a re-serialised JSON body will not verify. */
  body: RawBody;
  /** The webhook signing secret from Certn. */
  secret: string;
  /** Largest accepted |now − t|, in seconds. Default 300. `Infinity` turns the check off. */
  toleranceSeconds?: number;
  /** The current time: ms since the epoch (as `Date.now()` returns), a `Date`, or a clock function. */
  now?: number | Date | (() => number);
}

/** A parsed `Certn-Signature` header. */
export interface ParsedCertnSignature {
  /** `t` as received: the signed payload starts with these exact characters. */
  timestampText: string;
  timestamp: number;
  signatures: Uint8Array<ArrayBuffer>[];
}

/**
 * Parses `t=...,v1=...`. Unknown keys (other schemes) are ignored; `undefined` when `t` is
 * missing, repeated or not a whole number of seconds, or when no `v1` is 64 hex digits.
 */
export function parseCertnSignatureHeader(header: string): ParsedCertnSignature | undefined {
  let timestampText: string | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  let v1Count = 0;
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t") {
      if (timestampText !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
      timestampText = value;
    } else if (key === "v1") {
      v1Count++;
      if (v1Count > MAX_SIGNATURES) return undefined;
      const bytes = decodeHex32(value);
      if (bytes !== undefined) signatures.push(bytes);
    }
  }
  if (timestampText === undefined || signatures.length === 0) return undefined;
  return { timestampText, timestamp: Number(timestampText), signatures };
}

function nowMs(now: VerifyCertnSignatureOptions["now"]): number {
  const ms = now === undefined ? Date.now() : typeof now === "function" ? now() : Number(now);
  if (!Number.isFinite(ms)) throw new TypeError("verifyCertnSignature: now must give ms since the epoch");
  return ms;
}

/**
 * Verifies a partner-API webhook: the `Certn-Signature` header against the raw body, then the
 * timestamp against the replay window. Never throws on what the sender controls; throws a
 * `TypeError` only for a configuration mistake (empty secret, negative tolerance, parsed body).
 *
 * @example
 * const result = await verifyCertnSignature({
 *   header: request.headers.get("Certn-Signature"),
 *   body: await request.arrayBuffer(),
 *   secret: env.CERTN_WEBHOOK_SECRET,
 * });
 * if (!result.ok) return new Response(result.reason, { status: 400 });
 */
export async function verifyCertnSignature(
  options: VerifyCertnSignatureOptions,
): Promise<CertnSignatureResult> {
  const tolerance = options.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (typeof tolerance !== "number" || Number.isNaN(tolerance) || tolerance < 0) {
    throw new TypeError("verifyCertnSignature: toleranceSeconds must be a number of seconds, 0 or more");
  }
  const { key, body, header } = await readSignedWebhook(options, "verifyCertnSignature");
  if (header === "") return { ok: false, reason: "missing-header" };
  const parsed = parseCertnSignatureHeader(header);
  if (parsed === undefined) return { ok: false, reason: "malformed-header" };

  const signedPayload = prefixBytes(`${parsed.timestampText}.`, body);
  if (!(await anyHmacMatches(key, signedPayload, parsed.signatures))) {
    return { ok: false, reason: "signature-mismatch" };
  }
  if (Math.abs(nowMs(options.now) / 1000 - parsed.timestamp) > tolerance) {
    return { ok: false, reason: "timestamp-out-of-tolerance" };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
