/** Test-side signing, written apart from the library so the tests check it independently. */

const encoder = new TextEncoder();

/** HMAC-SHA256 of `data` under the UTF-8 `secret`. */
export async function hmacSha256(
  secret: string,
  data: string | Uint8Array<ArrayBuffer>,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
}

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Standard base64 with padding. */
export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

/** URL-safe base64 without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A `Certn-Signature` header for `body` at `t`, one `v1` per secret. */
export async function certnSignatureHeader(t: number, body: string, ...secrets: string[]): Promise<string> {
  const parts = [`t=${t}`];
  for (const secret of secrets) parts.push(`v1=${toHex(await hmacSha256(secret, `${t}.${body}`))}`);
  return parts.join(",");
}
