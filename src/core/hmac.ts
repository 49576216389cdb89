/**
 * HMAC-SHA256 checks through `crypto.subtle.verify`, which compares in constant time inside the
 * runtime (Node's and workerd's WebCrypto both use a fixed-time memcmp), so no comparison of
 * secret-derived bytes happens in JavaScript. Signing lives here too, so the simulator signs with
 * the same key import the library verifies with.
 */

const encoder = new TextEncoder();

function importHmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    usage,
  ]);
}

/**
 * Imports `secret` (its UTF-8 bytes) as an HMAC-SHA256 verification key. Throws a `TypeError`
 * for an empty or non-string secret: that is a configuration mistake, not a bad request.
 */
export function importHmacSecret(secret: string, where: string): Promise<CryptoKey> {
  if (typeof secret !== "string" || secret.length === 0) {
    throw new TypeError(`${where}: secret must be a non-empty string (the webhook signing secret)`);
  }
  return importHmacKey(secret, "verify");
}

/** True when any of `candidates` is the HMAC of `data`; every candidate is checked. */
export async function anyHmacMatches(
  key: CryptoKey,
  data: Uint8Array<ArrayBuffer>,
  candidates: readonly Uint8Array<ArrayBuffer>[],
): Promise<boolean> {
  let matched = false;
  for (const candidate of candidates) {
    // No early exit: a match anywhere costs the same as a match first.
    if (await crypto.subtle.verify("HMAC", key, candidate, data)) matched = true;
  }
  return matched;
}

/** Lowercase hex HMAC-SHA256 of `message` (its UTF-8 bytes) under `secret` (its UTF-8 bytes). */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await importHmacKey(secret, "sign");
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
