/**
 * `client.request` and the typed resources: a path and options in, a parsed body out, or a
 * self-describing `CertnHttpError` (`METHOD URL -> STATUS: summary`). Built on the transport.
 */

import { centricErrors, summarizeErrorBody } from "./error-summary.ts";
import { CertnErrorCode, CertnHttpError, CertnResponseError } from "./errors.ts";
import { urlWithoutQuery } from "./origin.ts";
import type { SendFunction } from "./send.ts";
import type { SendOptions } from "./transport-types.ts";

/** A query-string value; arrays repeat the key, `undefined` leaves it out. */
export type QueryValue =
  | string
  | number
  | boolean
  | undefined
  | null
  | readonly (string | number | boolean)[];

/** Query parameters of a call. */
export type QueryParams = Record<string, QueryValue>;

/** Options of `client.request`. */
export interface RequestOptions {
  query?: QueryParams;
  /** A JSON body (sent with `Content-Type: application/json`). */
  json?: unknown;
  /**
   * Extra headers: a `Headers`, a record or `[name, value]` pairs. Spelled out rather than
   * `HeadersInit`, which only the DOM library declares (Node-only projects lack it).
   */
  headers?: Headers | Record<string, string> | [string, string][];
  signal?: AbortSignal;
  /** Per-call transport options (retry policy, timeout, hooks). */
  send?: Omit<SendOptions, "signal">;
}

/** How a call's successful body is read. */
export type ResponseKind = "json" | "text" | "bytes";

/** True for a path of the retired partner API (gens A/B). */
export function isPartnerApiPath(pathname: string): boolean {
  return /^\/(token|api\/v1|api\/v2|hr\/v1)\//.test(pathname);
}

/** The message for a 410 from a partner-API path. */
export const RETIRED_MESSAGE =
  "the Certn partner API is retired; use a CertnCentric API key: createCertnClient({ apiKey, apiKeyScheme: 'Api-Key' }) with baseUrl CERTN_CENTRIC_SANDBOX_URL (https://api.sandbox.certn.co) or your CertnCentric host";

/** True for a 2xx status. */
export function isSuccess(response: Response): boolean {
  return response.status > 199 && response.status < 300;
}

/** `text` parsed as JSON, or undefined when it is not JSON (no JSON text parses to undefined). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Builds the absolute URL of `path` (which may already carry a query) on `origin`. */
export function buildUrl(origin: string, path: string, query: QueryParams | undefined): URL {
  if (typeof path !== "string" || !/^\/(?!\/)/.test(path)) {
    throw new TypeError(`request path must start with a single "/" (got ${JSON.stringify(path)})`);
  }
  const url = new URL(path, origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item));
    else if (value != null) url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * The error for a non-2xx response; its body is parsed JSON, else text cut to 2,000 characters.
 * `mask` is applied to the body's text before it is parsed: a server that echoes the bearer token
 * or API key in a field error must not put it in `error.body` (nor in `errors`, read from it),
 * the first place a user looks at Certn's field errors. The placeholder has no quote or
 * backslash, so masked JSON stays JSON.
 */
export async function httpErrorFor(
  method: string,
  url: URL,
  response: Response,
  mask: (text: string) => string = (text) => text,
): Promise<CertnHttpError> {
  const text = mask(await response.text().catch(() => ""));
  const body = text === "" ? undefined : (parseJson(text) ?? text.slice(0, 2000));
  const { status, statusText } = response;
  const where = `${method} ${urlWithoutQuery(url)} -> ${status}`;
  const retired = status === 410 && isPartnerApiPath(url.pathname);
  const summary = retired ? RETIRED_MESSAGE : summarizeErrorBody(body);
  return new CertnHttpError(
    summary ? `${where}: ${summary}` : statusText ? `${where} ${statusText}` : where,
    {
      status,
      method,
      url: urlWithoutQuery(url),
      body,
      errors: centricErrors(body),
      code: retired ? CertnErrorCode.API_RETIRED : undefined,
    },
  );
}

/**
 * Makes the `call` function: one request, its body read as `kind`. `mask` hides the client's
 * credentials in the body of an error response ({@link httpErrorFor}).
 */
export function createCall(origin: string, send: SendFunction, mask?: (text: string) => string) {
  return async function call(
    method: string,
    path: string,
    options: RequestOptions = {},
    kind: ResponseKind = "json",
  ): Promise<unknown> {
    const upper = method.toUpperCase();
    const url = buildUrl(origin, path, options.query);
    const headers = new Headers(options.headers);
    const init: RequestInit = { method: upper, headers };
    if (options.json !== undefined) {
      if (!headers.has("content-type")) headers.set("Content-Type", "application/json");
      init.body = JSON.stringify(options.json);
    }
    if (!headers.has("accept")) {
      headers.set("Accept", kind === "json" ? "application/json" : kind === "text" ? "text/html" : "*/*");
    }
    // Read whole within the attempt: the body is read whole below anyway, and a GET whose body
    // broke half-way is then retried like one that got no answer.
    const response = await send(new Request(url.href, init), {
      readWhole: true,
      ...options.send,
      ...(options.signal && { signal: options.signal }),
    });
    if (!isSuccess(response)) throw await httpErrorFor(upper, url, response, mask);
    if (kind === "bytes") return new Uint8Array(await response.arrayBuffer());
    const text = await response.text();
    if (kind === "text") return text;
    if (response.status === 204 || text.trim() === "") return undefined;
    const value = parseJson(text);
    if (value === undefined) {
      throw new CertnResponseError(
        `${upper} ${urlWithoutQuery(url)} -> ${response.status}: the response body is not valid JSON`,
        { status: response.status },
      );
    }
    return value;
  };
}

/** The `call` function made by {@link createCall}. */
export type CallFunction = ReturnType<typeof createCall>;
