/**
 * The OAuth2 client-credentials exchange (RFC 6749 §4.4) as Certn documents it: building the
 * `POST /token/` request, and checking its response field by field.
 */
import { utf8ToBase64 } from "../core/base64.ts";
import { isSuccess, parseJson, RETIRED_MESSAGE } from "../core/call.ts";
import { summarizeErrorBody } from "../core/error-summary.ts";
import { CertnAuthError, CertnErrorCode, CertnResponseError } from "../core/errors.ts";
import { isRecord } from "../core/json.ts";
import { normalizeExpiresIn } from "./token-lifetime.ts";

/**
 * `value` encoded as `application/x-www-form-urlencoded` (the WHATWG serializer, as
 * `URLSearchParams` writes it): space as `+`, everything but letters, digits and `*-._` as UTF-8
 * percent-escapes.
 */
function formUrlEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

/**
 * The `Authorization: Basic` value for a client id and secret, as certn-api.md §2.1 documents it:
 * `Basic base64(<client_id>:<client_secret>)`, the values as they are, Base64 over their UTF-8
 * bytes. See {@link basicPair} for the one exception, a client id containing ":".
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${utf8ToBase64(basicPair(clientId, clientSecret))}`;
}

/**
 * What the Basic credential encodes: `id:secret` as they are. A client id containing ":" cannot
 * be sent that way (the server splits at the first ":", RFC 7617 §2), so then both parts are
 * form-urlencoded first, as RFC 6749 §2.3.1 has it (a conforming server decodes each part). The
 * client masks the pair among its secrets.
 *
 * @example
 * ```ts
 * basicPair("id", "a b+c"); // "id:a b+c"
 * basicPair("team:1", "a b+c"); // "team%3A1:a+b%2Bc"
 * ```
 */
export function basicPair(clientId: string, clientSecret: string): string {
  return clientId.includes(":")
    ? `${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`
    : `${clientId}:${clientSecret}`;
}

/** The token request, without its `Authorization` header (the transport adds that separately). */
export function buildTokenRequest(origin: string): Request {
  return new Request(`${origin}/token/`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: "grant_type=client_credentials",
  });
}

/**
 * The largest token response read: 64 KiB, dozens of times a real one. A caller cannot cap the
 * token request, which the client makes on its own, so a hostile or broken token endpoint (or a
 * proxy before it) could otherwise fill memory; past it, `CERTN_RESPONSE_TOO_LARGE`.
 */
export const MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;

/** A checked token response. */
export interface TokenResponse {
  accessToken: string;
  /** Lifetime in seconds, after fallback and cap; 0 for a token already expired (use once, keep not). */
  expiresInS: number;
}

/**
 * Checks the token endpoint's response.
 * @throws CertnAuthError for 400/401 (`CERTN_AUTH_REFUSED`), 410 (`CERTN_API_RETIRED`) and other
 * statuses (`CERTN_AUTH_FAILED`); CertnResponseError for a 2xx body of the wrong shape.
 */
export async function readTokenResponse(response: Response, origin: string): Promise<TokenResponse> {
  const { status } = response;
  const where = `POST ${origin}/token/ -> ${status}`;
  const ok = isSuccess(response);
  // An unreadable error body only loses its summary; a 2xx body that fails to arrive is the error.
  const body = parseJson(await (ok ? response.text() : response.text().catch(() => "")));
  if (!ok) {
    const summary = summarizeErrorBody(body);
    const [code, reason] =
      status === 410
        ? [CertnErrorCode.API_RETIRED, RETIRED_MESSAGE]
        : status === 400 || status === 401
          ? [CertnErrorCode.AUTH_REFUSED, "the token endpoint refused the client credentials"]
          : [CertnErrorCode.AUTH_FAILED, "no access token could be obtained"];
    // The OAuth2 error body (certn-api.md §4.2); the client masks its credentials in these fields.
    const oauth = isRecord(body) ? body : {};
    throw new CertnAuthError(`${where}: ${reason}${summary && status !== 410 ? ` (${summary})` : ""}`, {
      code,
      status,
      error: typeof oauth.error === "string" ? oauth.error : undefined,
      errorDescription: typeof oauth.error_description === "string" ? oauth.error_description : undefined,
    });
  }
  const token = isRecord(body) ? body.access_token : undefined;
  if (typeof token !== "string" || token === "") {
    throw new CertnResponseError(
      isRecord(body)
        ? `${where}: token response field "access_token" must be a non-empty string (got ${token === null ? "null" : typeof token})`
        : `${where}: the token response is not a JSON object`,
      { status },
    );
  }
  return { accessToken: token, expiresInS: normalizeExpiresIn((body as Record<string, unknown>).expires_in) };
}
