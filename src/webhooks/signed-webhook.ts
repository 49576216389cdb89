/** The start every webhook signature check shares, whichever header format it then parses. */
import { importHmacSecret } from "../core/hmac.ts";
import { type RawBody, rawBodyBytes } from "./raw-body.ts";

/** The parts of a delivery a signature check reads. */
export interface SignedWebhookInput {
  header: string | null | undefined;
  body: RawBody;
  secret: string;
}

/** What a signature check works on. */
export interface SignedWebhook {
  /** The HMAC-SHA256 verification key of the secret. */
  key: CryptoKey;
  /** The body's bytes, exactly as received. */
  body: Uint8Array<ArrayBuffer>;
  /** The trimmed header value; "" when there is none. */
  header: string;
}

/**
 * Imports the key and reads the body before looking at the header, so a configuration mistake
 * (no secret, a parsed body) throws even for a delivery without a signature.
 * @param where the caller's name, for error messages
 */
export async function readSignedWebhook(input: SignedWebhookInput, where: string): Promise<SignedWebhook> {
  const key = await importHmacSecret(input.secret, where);
  const body = rawBodyBytes(input.body);
  const header = typeof input.header === "string" ? input.header.trim() : "";
  return { key, body, header };
}
