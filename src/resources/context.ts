/**
 * What a resource factory receives from the client: the JSON `request` and the lower-level `call`
 * (for PDF bytes and HTML). Resource modules import only this and `core`, so new families (for
 * example `centric/`) plug into `client.ts` the same way.
 */
import type { RequestOptions, ResponseKind } from "../core/call.ts";
import { CertnError, CertnErrorCode } from "../core/errors.ts";

/** Per-call options of a typed resource method. */
export type CallOptions = Pick<RequestOptions, "signal" | "headers" | "send">;

/** The client's request functions, as handed to resource factories. */
export interface ResourceContext {
  /** Sends a request and returns the parsed JSON body (undefined for 204/empty). */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** Sends a request and reads the body as JSON, text or bytes. */
  call(
    method: string,
    path: string,
    options: RequestOptions | undefined,
    kind: ResponseKind,
  ): Promise<unknown>;
}

/**
 * Encodes one path segment (an id), refusing values that would change the path.
 * @throws CertnError `CERTN_INVALID_REQUEST` naming the parameter (`name`); nothing is sent.
 */
export function segment(id: string, name = "id"): string {
  if (typeof id !== "string" || id === "" || id === "." || id === ".." || /[/\\?#]/.test(id)) {
    throw new CertnError(
      CertnErrorCode.INVALID_REQUEST,
      `${name} must be a non-empty id, not "." or "..", without "/", "\\", "?" or "#" (got ${JSON.stringify(id)})`,
    );
  }
  return encodeURIComponent(id);
}
