/**
 * Request bodies: `Content-Type: application/json` required, at most 1 MB whether or not a
 * `Content-Length` is sent (the stream is read with a byte cap), then parsed as JSON.
 */
import { WorkerError } from "./errors.ts";

/** Largest accepted request body, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** True when the request declares a JSON body (`application/json`, parameters allowed). */
function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const mediaType = value.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/** 413, refusing a body over the limit. */
function tooLarge(limit: number): WorkerError {
  return new WorkerError(413, "BODY_TOO_LARGE", `the request body is larger than ${limit} bytes`);
}

/** Reads at most `limit` bytes of a stream; cancels it and throws 413 beyond that. */
async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Options of `readJsonBody`. */
export interface ReadJsonBodyOptions {
  /** An absent or empty body is allowed and reads as `undefined` (no Content-Type needed then). */
  optional?: boolean;
  limit?: number;
}

/**
 * The parsed JSON body of a request. Throws a `WorkerError`: 415 without a JSON content type,
 * 413 over the limit, 400 for a missing body, bytes that are not UTF-8, or text that is not JSON.
 */
export async function readJsonBody(request: Request, options: ReadJsonBodyOptions = {}): Promise<unknown> {
  const limit = options.limit ?? MAX_BODY_BYTES;
  const declared = request.headers.get("content-length");
  const emptyByLength = declared !== null && declared.trim() === "0";
  if (options.optional === true && (request.body === null || emptyByLength)) return undefined;
  if (!isJsonContentType(request.headers.get("content-type"))) {
    throw new WorkerError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body with Content-Type: application/json");
  }
  if (declared !== null && Number(declared) > limit) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(limit);
  }
  const bytes = request.body === null ? new Uint8Array(0) : await readCapped(request.body, limit);
  if (bytes.byteLength === 0) {
    if (options.optional === true) return undefined;
    throw new WorkerError(400, "INVALID_JSON", "the request body is empty; send a JSON object");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new WorkerError(400, "INVALID_JSON", "the request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // Only the position is kept: V8's message may quote part of the body, which may hold secrets.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    const where = position === undefined ? "" : ` (at character ${position})`;
    throw new WorkerError(400, "INVALID_JSON", `the request body is not valid JSON${where}`);
  }
}
