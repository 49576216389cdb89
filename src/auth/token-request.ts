/**
 * The OAuth2 client-credentials exchange (RFC 6749 §4.4) as Certn documents it: building the
 * `POST /token/` request, and checking its response field by field.
 */
import { utf8ToBase64 } from "../core/base64.ts";
import { RETIRED_MESSAGE } from "../core/call.ts";
import { summarizeErrorBody } from "../core/error-summary.ts";
import { CertnAuthError, CertnErrorCode, CertnResponseError } from "../core/errors.ts";
import { normalizeExpiresIn } from "./token-lifetime.ts";

/** The `Authorization: Basic` value for a client id and secret (UTF-8, then Base64). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${utf8ToBase64(`${clientId}:${clientSecret}`)}`;
}

/** The token request, without its `Authorization` header (the transport adds that separately). */
export function buildTokenRequest(origin: string): Request {
  return new Request(`${origin}/token/`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
    body: "grant_type=client_credentials",
  });
}

/** A checked token response. */
export interface TokenResponse {
  accessToken: string;
  /** Lifetime in seconds, after fallbacks and cap. */
  expiresInS: number;
}

async function readJson(response: Response): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await response.text();
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

/**
 * Checks the token endpoint's response.
 * @throws CertnAuthError for 400/401 (`CERTN_AUTH_REFUSED`), 410 (`CERTN_API_RETIRED`) and other
 * statuses (`CERTN_AUTH_FAILED`); CertnResponseError for a 2xx body of the wrong shape.
 */
export async function readTokenResponse(response: Response, origin: string): Promise<TokenResponse> {
  const where = `POST ${origin}/token/ -> ${response.status}`;
  if (response.status < 200 || response.status > 299) {
    const body = await readJson(response).catch(() => ({ ok: false as const }));
    const summary = body.ok ? summarizeErrorBody(body.value) : undefined;
    const suffix = summary ? ` (${summary})` : "";
    if (response.status === 410) {
      throw new CertnAuthError(`${where}: ${RETIRED_MESSAGE}`, {
        code: CertnErrorCode.API_RETIRED,
        status: 410,
      });
    }
    if (response.status === 400 || response.status === 401) {
      throw new CertnAuthError(`${where}: the token endpoint refused the client credentials${suffix}`, {
        code: CertnErrorCode.AUTH_REFUSED,
        status: response.status,
      });
    }
    throw new CertnAuthError(`${where}: no access token could be obtained${suffix}`, {
      code: CertnErrorCode.AUTH_FAILED,
      status: response.status,
    });
  }
  const parsed = await readJson(response);
  if (
    !parsed.ok ||
    typeof parsed.value !== "object" ||
    parsed.value === null ||
    Array.isArray(parsed.value)
  ) {
    throw new CertnResponseError(`${where}: the token response is not a JSON object`, {
      status: response.status,
    });
  }
  const body = parsed.value as Record<string, unknown>;
  if (typeof body.access_token !== "string" || body.access_token === "") {
    throw new CertnResponseError(
      `${where}: token response field "access_token" must be a non-empty string (got ${describe(body.access_token)})`,
      { status: response.status },
    );
  }
  return { accessToken: body.access_token, expiresInS: normalizeExpiresIn(body.expires_in) };
}
