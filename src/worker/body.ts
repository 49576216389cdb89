/**
 * Request bodies: at most 1 MB whether or not a `Content-Length` is sent (an announced size over
 * the limit is refused unread, a streamed body is kept only up to it), `Content-Type:
 * application/json` required, then parsed as JSON.
 */
import type { MiddlewareHandler } from "hono";
import { WorkerError } from "./errors.ts";

/** Largest accepted request body, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Most bytes of a refused streamed body read past the limit and thrown away before the rest is cancelled. */
export const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

/** Longest wait for the rest of a refused streamed body before it is cancelled, in milliseconds. */
export const MAX_DRAIN_MS = 2_000;

/**
 * The 1 MB limit as middleware, answering 413 `BODY_TOO_LARGE` in the Worker's error shape. An
 * announced size over the limit is refused unread. Any other body is counted as it is read (a
 * short `Content-Length` cannot smuggle in a larger body) and handed on as the bytes read; one
 * that goes past the limit is refused, its rest read and thrown away (up to
 * {@link MAX_DRAIN_BYTES} or {@link MAX_DRAIN_MS}), then cancelled.
 */
export function limitBody(limit = MAX_BODY_BYTES): MiddlewareHandler {
  const tooLarge = (): WorkerError =>
    new WorkerError("BODY_TOO_LARGE", `the request body is larger than ${limit} bytes`);
  return async (c, next) => {
    const request = c.req.raw;
    const declared = request.headers.get("content-length");
    // Every body is counted, one announced as empty too: "00", "+0" or "" pass for zero as numbers,
    // and a Request made in-process need not hold what its header says.
    if (request.body === null) return next();
    // Left unread on purpose: the runtime discards a body nobody read. Cancelling it instead made
    // wrangler dev's proxy answer 503 in place of the 413.
    if (declared !== null && Number(declared) > limit) throw tooLarge();
    const bytes = await readUpTo(request.body, limit);
    if (bytes === undefined) throw tooLarge();
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    // The copy keeps the caller's abort signal (routes read it from `callerSignal` anyway).
    // An empty body stays absent, as the routes with an optional body expect.
    c.req.raw = new Request(request, {
      body: bytes.byteLength === 0 ? null : bytes,
      headers,
      signal: request.signal,
    });
    return next();
  };
}

/**
 * All of `body` when it is at most `limit` bytes; else undefined, after {@link discardRest}. No
 * more than `limit` bytes (twice that while the result is copied out) and one chunk are held.
 */
async function readUpTo(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = body.getReader();
  // One buffer that doubles as needed, not a list of chunks: a sender trickling one byte at a time
  // (workerd hands each on as it comes) would otherwise cost a chunk object for every byte.
  let buffer = new Uint8Array(0);
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      await discardRest(reader);
      return undefined;
    }
    if (size + value.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(
        Math.min(limit, Math.max(size + value.byteLength, buffer.byteLength * 2, 4096)),
      );
      grown.set(buffer.subarray(0, size));
      buffer = grown;
    }
    buffer.set(value, size);
    size += value.byteLength;
  }
  return buffer.slice(0, size);
}

/**
 * Reads and throws away the rest of a refused body, then cancels what is left past
 * {@link MAX_DRAIN_BYTES} or {@link MAX_DRAIN_MS}. A streamed body abandoned half read (neither
 * read to its end nor cancelled) held up workerd: under wrangler dev the next request on the
 * server hung or got 503. Cancelling at once did no better there (wrangler's proxy answered 503
 * instead of the 413), so the usual case, a body a few MB over, is read to its end and the
 * connection carries the next request; only a larger or stalled one is cut off.
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeUp = new Promise<"time up">((resolve) => {
    timer = setTimeout(() => resolve("time up"), MAX_DRAIN_MS);
  });
  try {
    for (let left = MAX_DRAIN_BYTES; left > 0; ) {
      const next = await Promise.race([reader.read(), timeUp]);
      if (next === "time up") break;
      if (next.done) return;
      left -= next.value.byteLength;
    }
  } finally {
    clearTimeout(timer);
  }
  // A read still waiting (the stall) resolves as done once the stream is cancelled.
  await reader.cancel().catch(() => undefined);
}

/** True when the request declares a JSON body (`application/json`, parameters allowed). */
function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const mediaType = value.split(";")[0]?.trim().toLowerCase();
  return mediaType === "application/json";
}

/**
 * `curl -d '{...}'` labels its body `application/x-www-form-urlencoded`; such a body is read as
 * JSON when the request carries `Authorization: Bearer`. The JSON-only rule exists against
 * cross-site form posts, which can ride ambient credentials (a Cloudflare Access cookie) but can
 * never set an `Authorization` header, so a request that has one was not sent by a form.
 */
function isCurlDefaultWithBearer(request: Request): boolean {
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  const authorization = request.headers.get("authorization") ?? "";
  return mediaType === "application/x-www-form-urlencoded" && /^bearer\s+\S/i.test(authorization);
}

/** Options of `readJsonBody`. */
export interface ReadJsonBodyOptions {
  /** An absent or empty body is allowed and reads as `undefined` (no Content-Type needed then). */
  optional?: boolean;
}

/**
 * The parsed JSON body of a request that passed {@link limitBody}. Throws a `WorkerError`: 415
 * without a JSON content type (curl's default form type passes with a bearer token, see
 * `isCurlDefaultWithBearer`), 400 for a missing body, bytes that are not UTF-8, or text that is
 * not JSON.
 */
export async function readJsonBody(request: Request, options: ReadJsonBodyOptions = {}): Promise<unknown> {
  const declared = request.headers.get("content-length");
  const emptyByLength = declared !== null && declared.trim() === "0";
  if (options.optional === true && (request.body === null || emptyByLength)) return undefined;
  if (!isJsonContentType(request.headers.get("content-type")) && !isCurlDefaultWithBearer(request)) {
    throw new WorkerError("UNSUPPORTED_MEDIA_TYPE", "send the body with Content-Type: application/json");
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength === 0) {
    if (options.optional === true) return undefined;
    throw new WorkerError("INVALID_JSON", "the request body is empty; send a JSON object");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new WorkerError("INVALID_JSON", "the request body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // Only the position is kept: V8's message may quote part of the body, which may hold secrets.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    const where = position === undefined ? "" : ` (at character ${position})`;
    throw new WorkerError("INVALID_JSON", `the request body is not valid JSON${where}`);
  }
}
