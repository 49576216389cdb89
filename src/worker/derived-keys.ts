/**
 * Keys derived by HKDF-SHA256 from a deployment secret (the Certn secret, a webhook secret, the
 * caller JWT secret). Each use has its own `salt` and `info`, so a key of one use never opens,
 * signs or matches another's data, and rotating the secret changes every key derived from it.
 */

const encoder = new TextEncoder();

/**
 * Derives a non-extractable key for `algorithm` and `usages` from `secret`.
 * @example
 * const key = await deriveKey(secret, salt, info, { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]);
 */
export async function deriveKey(
  secret: string,
  salt: Uint8Array,
  info: Uint8Array,
  algorithm: AesKeyGenParams | HmacKeyGenParams,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(salt), info: new Uint8Array(info) },
    material,
    algorithm,
    false,
    usages,
  );
}

/** Secrets whose derived keys one {@link hmacKeyDeriver} keeps (a deployment has one or two). */
const KEPT_KEYS = 4;

/**
 * A function giving the HMAC-SHA256 signing key of a use (`salt`, `info`) for a secret. Only
 * resolved keys are kept between requests, never a promise one request made and another would
 * wait on (a Worker request's pending work belongs to it).
 * @example
 * const digestKey = hmacKeyDeriver("certn-edge/idempotency-keys", "certn-edge idempotency request digest v1 hmac-sha256");
 * const mac = await crypto.subtle.sign("HMAC", await digestKey(secret), bytes);
 */
export function hmacKeyDeriver(salt: string, info: string): (secret: string) => Promise<CryptoKey> {
  const saltBytes = encoder.encode(salt);
  const infoBytes = encoder.encode(info);
  const kept = new Map<string, CryptoKey>();
  return async (secret) => {
    const known = kept.get(secret);
    if (known !== undefined) return known;
    const key = await deriveKey(
      secret,
      saltBytes,
      infoBytes,
      { name: "HMAC", hash: "SHA-256", length: 256 },
      ["sign"],
    );
    if (kept.size >= KEPT_KEYS) kept.clear();
    kept.set(secret, key);
    return key;
  };
}
