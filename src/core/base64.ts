/**
 * Base64 of UTF-8 text with `btoa`/`atob`, which alone only handle Latin-1: the text is turned
 * into UTF-8 bytes first, so `clïent:sécret✓` encodes as every server decodes it.
 */

const CHUNK = 0x8000;

/** Base64 of the given bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Base64 of the UTF-8 encoding of `text`. */
export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** Decodes Base64 into UTF-8 text (the inverse of {@link utf8ToBase64}). */
export function base64ToUtf8(base64: string): string {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder().decode(bytes);
}
