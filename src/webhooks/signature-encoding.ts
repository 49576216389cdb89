/**
 * Decoding of received signatures into the 32 bytes of an HMAC-SHA256. Decoding touches only the
 * sender's own bytes, so its timing reveals nothing about the secret; the comparison happens in
 * `crypto.subtle.verify`.
 */

/** Bytes in an HMAC-SHA256. */
export const HMAC_SHA256_BYTES = 32;

const HEX_64 = /^[0-9a-fA-F]{64}$/;
const BASE64_32 = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_32 = /^[A-Za-z0-9_-]{43}=?$/;

/** 64 hex digits (either case) as 32 bytes; `undefined` for anything else. */
export function decodeHex32(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!HEX_64.test(text)) return undefined;
  const out = new Uint8Array(HMAC_SHA256_BYTES);
  for (let i = 0; i < HMAC_SHA256_BYTES; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Base64 of 32 bytes, standard or URL-safe alphabet, with or without its one `=` of padding;
 * `undefined` for anything else.
 */
export function decodeBase64_32(text: string): Uint8Array<ArrayBuffer> | undefined {
  let standard: string;
  if (BASE64_32.test(text)) standard = text;
  else if (BASE64URL_32.test(text)) standard = text.replaceAll("-", "+").replaceAll("_", "/");
  else return undefined;
  if (!standard.endsWith("=")) standard += "=";
  let binary: string;
  try {
    binary = atob(standard);
  } catch {
    return undefined;
  }
  if (binary.length !== HMAC_SHA256_BYTES) return undefined;
  const out = new Uint8Array(HMAC_SHA256_BYTES);
  for (let i = 0; i < HMAC_SHA256_BYTES; i++) out[i] = binary.charCodeAt(i);
  return out;
}
