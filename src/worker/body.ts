/**
 * Request bodies: at most 1 MB whether or not a `Content-Length` is sent (Hono's `bodyLimit`:
 * an announced size over the limit is refused unread, a streamed body is read only up to it),
 * `Content-Type: application/json` required, then parsed as JSON.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { WorkerError } from "./errors.ts";

/** Largest accepted request body, in bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The 1 MB limit as middleware, answering 413 `BODY_TOO_LARGE` in the Worker's error shape. An
 * announced size over the limit is refused unread; a body announced within it is still counted
 * as it is read (Hono's `bodyLimit` would take the header's word for it), so a short
 * `Content-Length` cannot smuggle in a larger body.
 */
export function limitBody(limit = MAX_BODY_BYTES): MiddlewareHandler {
  const limited = bodyLimit({
    maxSize: limit,
    onError: () => {
      throw new WorkerError("BODY_TOO_LARGE", `the request body is larger than ${limit} bytes`);
    },
  });
  return async (c, next) => {
    const declared = c.req.raw.headers.get("content-length");
    // An announced empty body ("0") stays as it is: there is nothing to count.
    if (c.req.raw.body !== null && declared !== null && Number(declared) > 0 && Number(declared) <= limit) {
      const headers = new Headers(c.req.raw.headers);
      headers.delete("content-length");
      // The copy keeps the caller's abort signal (routes read it from `callerSignal` anyway).
      c.req.raw = new Request(c.req.raw, { headers, signal: c.req.raw.signal });
    }
    return limited(c, next);
  };
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
