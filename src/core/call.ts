/**
 * `client.request` and the typed resources: a path and options in, a parsed body out, or a
 * self-describing `CertnHttpError` (`METHOD URL -> STATUS: summary`). Built on the transport.
 */

import { centricErrors, summarizeErrorBody } from "./error-summary.ts";
import { CertnErrorCode, CertnHttpError, CertnResponseError } from "./errors.ts";
import { urlWithoutQuery } from "./origin.ts";
import type { SendFunction } from "./send.ts";
import type { SendOptions } from "./transport.ts";

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
  headers?: HeadersInit;
  signal?: AbortSignal;
  /** Per-call transport options (retry policy, timeout, hooks). */
  send?: Omit<SendOptions, "signal">;
}

/** How a call's successful body is read. */
export type ResponseKind = "json" | "text" | "bytes";

/** Path families of the retired partner API (gens A/B). */
const PARTNER_PATH = /^\/(token|api\/v1|api\/v2|hr\/v1)\//;

/** True for a path of the retired partner API. */
export function isPartnerApiPath(pathname: string): boolean {
  return PARTNER_PATH.test(pathname);
}

/** The message for a 410 from a partner-API path. */
export const RETIRED_MESSAGE =
  "the Certn partner API is retired; switch to a CertnCentric API key: createCertnClient({ apiKey, apiKeyScheme: 'Api-Key' }) with baseUrl CERTN_CENTRIC_SANDBOX_URL (https://api.sandbox.certn.co) or your production CertnCentric host";

/** Builds the absolute URL of `path` (which may already carry a query) on `origin`. */
export function buildUrl(origin: string, path: string, query: QueryParams | undefined): URL {
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//")) {
    throw new TypeError(`request path must start with a single "/" (got ${JSON.stringify(path)})`);
  }
  const url = new URL(path, origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value as readonly (string | number | boolean)[])
        url.searchParams.append(key, String(item));
    } else {
      url.searchParams.set(key, String(value));
    }
  }
  return url;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Reads an error body: parsed JSON when it is JSON, else the text cut to 2,000 characters. */
async function readErrorBody(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  if (text === "") return undefined;
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text.slice(0, 2000);
}

/** The error for a non-2xx response. */
export async function httpErrorFor(method: string, url: URL, response: Response): Promise<CertnHttpError> {
  const body = await readErrorBody(response);
  const where = `${method} ${urlWithoutQuery(url)} -> ${response.status}`;
  const errors = centricErrors(body);
  if (response.status === 410 && isPartnerApiPath(url.pathname)) {
    return new CertnHttpError(`${where}: ${RETIRED_MESSAGE}`, {
      status: 410,
      method,
      url: urlWithoutQuery(url),
      body,
      code: CertnErrorCode.API_RETIRED,
      ...(errors ? { errors } : {}),
    });
  }
  const summary = summarizeErrorBody(body);
  const reason = response.statusText ? ` ${response.statusText}` : "";
  return new CertnHttpError(summary ? `${where}: ${summary}` : `${where}${reason}`, {
    status: response.status,
    method,
    url: urlWithoutQuery(url),
    body,
    ...(errors ? { errors } : {}),
  });
}

/** Makes the `call` function: one request, its body read as `kind`. */
export function createCall(origin: string, send: SendFunction) {
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
    const sendOptions = { ...options.send, ...(options.signal ? { signal: options.signal } : {}) };
    const response = await send(new Request(url.href, init), sendOptions);
    if (response.status < 200 || response.status > 299) throw await httpErrorFor(upper, url, response);
    const where = `${upper} ${urlWithoutQuery(url)} -> ${response.status}`;
    if (kind === "bytes") return new Uint8Array(await response.arrayBuffer());
    const text = await response.text();
    if (kind === "text") return text;
    if (response.status === 204 || text.trim() === "") return undefined;
    const parsed = parseJson(text);
    if (!parsed.ok) {
      throw new CertnResponseError(`${where}: the response body is not valid JSON`, {
        status: response.status,
      });
    }
    return parsed.value;
  };
}

/** The `call` function made by {@link createCall}. */
export type CallFunction = ReturnType<typeof createCall>;
