/**
 * CertnCentric's webhook signature: an `X-Signature` header holding the HMAC-SHA256 of the raw
 * body (certncentric-api.md §5.5).
 *
 * Open question (certncentric-api.md §6.2 Q1): Certn's page is cut off before it names the
 * encoding. Three receivers use lower-case hex; one also accepts base64 and a `sha256=` prefix.
 * So this accepts hex in either case and base64 in the standard or URL-safe alphabet, with or
 * without padding, each optionally prefixed `sha256=`. All of them carry the same 32 bytes,
 * so accepting several encodings does not weaken the check.
 *
 * There is no timestamp in the scheme as far as the reference knows, hence no replay window:
 * de-duplicate deliveries on the event id (`parseCertnCentricEvent(body).id`).
 */
import { anyHmacMatches } from "../core/hmac.ts";
import type { RawBody } from "./raw-body.ts";
import { decodeBase64_32, decodeHex32 } from "./signature-encoding.ts";
import { readSignedWebhook } from "./signed-webhook.ts";

/** The header CertnCentric signs its webhooks with. */
export const CERTN_CENTRIC_SIGNATURE_HEADER = "X-Signature";

/** Why an `X-Signature` was refused. */
export type CertnCentricSignatureFailureReason = "missing-header" | "malformed-header" | "signature-mismatch";

/** The outcome of {@link verifyCertnCentricSignature}. */
export type CertnCentricSignatureResult =
  | { ok: true }
  | { ok: false; reason: CertnCentricSignatureFailureReason };

/** Input of {@link verifyCertnCentricSignature}. */
export interface VerifyCertnCentricSignatureOptions {
  /** The `X-Signature` header value (`request.headers.get("X-Signature")`). */
  header: string | null | undefined;
  /** The raw body exactly as received; a re-serialised JSON body will not verify. */
  body: RawBody;
  /** The webhook signing secret shown in the Client Portal's Integrations area. */
  secret: string;
}

/** The 32 signature bytes in an `X-Signature` value, or `undefined` when it encodes none. */
export function decodeCertnCentricSignature(header: string): Uint8Array<ArrayBuffer> | undefined {
  let value = header.trim();
  if (value.slice(0, 7).toLowerCase() === "sha256=") value = value.slice(7).trim();
  return decodeHex32(value) ?? decodeBase64_32(value);
}

/**
 * Verifies a CertnCentric webhook's `X-Signature` against the raw body. Never throws on what the
 * sender controls; throws a `TypeError` only for a configuration mistake (empty secret, parsed body).
 *
 * @example
 * const body = await request.arrayBuffer();
 * const result = await verifyCertnCentricSignature({
 *   header: request.headers.get("X-Signature"),
 *   body,
 *   secret: env.CERTN_CENTRIC_WEBHOOK_SECRET,
 * });
 * if (!result.ok) return new Response(result.reason, { status: 401 });
 */
export async function verifyCertnCentricSignature(
  options: VerifyCertnCentricSignatureOptions,
): Promise<CertnCentricSignatureResult> {
  const { key, body, header } = await readSignedWebhook(options, "verifyCertnCentricSignature");
  if (header === "") return { ok: false, reason: "missing-header" };
  const signature = decodeCertnCentricSignature(header);
  if (signature === undefined) return { ok: false, reason: "malformed-header" };
  return (await anyHmacMatches(key, body, [signature]))
    ? { ok: true }
    : { ok: false, reason: "signature-mismatch" };
}
