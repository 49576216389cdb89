/** The request body exactly as received, before any JSON parsing. */
export type RawBody = string | Uint8Array | ArrayBuffer;

const encoder = new TextEncoder();

/**
 * The body's bytes: strings as UTF-8, byte arrays copied as they are (views keep their offset).
 * Anything else is a programming error, most often a body that was parsed as JSON first, which
 * can never verify because re-serialising changes the bytes.
 */
export function rawBodyBytes(body: RawBody): Uint8Array<ArrayBuffer> {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body)) {
    const copy = new Uint8Array(body.byteLength);
    copy.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    return copy;
  }
  throw new TypeError(
    "webhook body: expected the raw request body (string, Uint8Array or ArrayBuffer, for example " +
      "`await request.arrayBuffer()`), not a parsed value",
  );
}

/** `prefix` (UTF-8) followed by `bytes`. */
export function prefixBytes(prefix: string, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(prefix);
  const out = new Uint8Array(head.byteLength + bytes.byteLength);
  out.set(head, 0);
  out.set(bytes, head.byteLength);
  return out;
}
