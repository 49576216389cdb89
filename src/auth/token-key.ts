/**
 * The token store key: the base URL and a SHA-256 of the client id, so one store can serve
 * several clients and origins without a key ever holding a secret.
 */

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** `certn-edge:token:v1:<origin>:<first 32 hex chars of SHA-256(clientId)>`. */
export async function tokenStoreKey(origin: string, clientId: string): Promise<string> {
  const hash = await sha256Hex(clientId);
  return `certn-edge:token:v1:${origin}:${hash.slice(0, 32)}`;
}
