/**
 * Encryption of the cached Certn token: AES-GCM with a key derived by HKDF-SHA256 from the
 * client secret, a random 12-byte IV, and the KV key as additional data (a value copied to
 * another key does not decrypt). Stored as the versioned envelope `{"v":1,"iv","ct"}` (base64).
 */
import type { StoredToken } from "../index.ts";
import { deriveKey } from "./derived-keys.ts";

/** The stored envelope, version 1. */
export interface TokenEnvelope {
  v: 1;
  /** Base64 of the 12-byte IV. */
  iv: string;
  /** Base64 of the AES-GCM ciphertext and tag of `{"accessToken","expiresAt"}`. */
  ct: string;
}

const HKDF_SALT = new TextEncoder().encode("certn-edge/token-cache");
const HKDF_INFO = new TextEncoder().encode("certn-edge token cache v1 aes-256-gcm");

/**
 * Derives an AES-256-GCM key from a Certn secret by HKDF-SHA256. Each use has its own `salt` and
 * `info`, so a key of one use never decrypts another's data.
 */
export function deriveAesKey(secret: string, salt: Uint8Array, info: Uint8Array): Promise<CryptoKey> {
  return deriveKey(secret, salt, info, { name: "AES-GCM", length: 256 }, ["encrypt", "decrypt"]);
}

/** Derives the AES-GCM key from the client secret. */
export function deriveTokenKey(clientSecret: string): Promise<CryptoKey> {
  return deriveAesKey(clientSecret, HKDF_SALT, HKDF_INFO);
}

/**
 * Encrypts `text` bound to `additionalData` (AES-GCM, random 12-byte IV), as the compact string
 * `v1.<iv base64>.<ciphertext base64>`.
 */
export async function sealText(key: CryptoKey, additionalData: string, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(additionalData) },
    key,
    new TextEncoder().encode(text),
  );
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(ciphertext))}`;
}

/** Decrypts what {@link sealText} sealed with this key for `additionalData`; undefined otherwise. */
export async function openText(
  key: CryptoKey,
  additionalData: string,
  sealed: string,
): Promise<string | undefined> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || iv === undefined || ct === undefined) return undefined;
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(additionalData) },
      key,
      fromBase64(ct),
    );
    return new TextDecoder().decode(plaintext);
  } catch {
    return undefined;
  }
}

/** Base64 of bytes, without Buffer. */
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Bytes of a base64 string; throws on anything else. */
function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Encrypts a token for the KV key `kvKey`, returning the JSON envelope text. */
export async function sealToken(key: CryptoKey, kvKey: string, token: StoredToken): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(
    JSON.stringify({ accessToken: token.accessToken, expiresAt: token.expiresAt }),
  );
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(kvKey) },
    key,
    plaintext,
  );
  const envelope: TokenEnvelope = { v: 1, iv: toBase64(iv), ct: toBase64(new Uint8Array(ciphertext)) };
  return JSON.stringify(envelope);
}

/**
 * Decrypts an envelope read from `kvKey`. Returns undefined for anything that is not a
 * version-1 envelope sealed with this key for this KV key (a rotated secret reads as a miss).
 */
export async function openToken(
  key: CryptoKey,
  kvKey: string,
  text: string,
): Promise<StoredToken | undefined> {
  try {
    const envelope: unknown = JSON.parse(text);
    if (typeof envelope !== "object" || envelope === null) return undefined;
    const { v, iv, ct } = envelope as Record<string, unknown>;
    if (v !== 1 || typeof iv !== "string" || typeof ct !== "string") return undefined;
    const ivBytes = fromBase64(iv);
    if (ivBytes.byteLength !== 12) return undefined;
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: ivBytes, additionalData: new TextEncoder().encode(kvKey) },
      key,
      fromBase64(ct),
    );
    const token: unknown = JSON.parse(new TextDecoder().decode(plaintext));
    if (typeof token !== "object" || token === null) return undefined;
    const { accessToken, expiresAt } = token as Record<string, unknown>;
    if (typeof accessToken !== "string" || accessToken === "") return undefined;
    if (typeof expiresAt !== "number" || !Number.isFinite(expiresAt)) return undefined;
    return { accessToken, expiresAt };
  } catch {
    return undefined;
  }
}
