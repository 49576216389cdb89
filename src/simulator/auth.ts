/** Credential checks of the partner API (certn-api.md §2.1, §2.2, §7 #3). */
import {
  BASIC_CREDENTIAL_READINGS,
  BEARER_CHALLENGE,
  FORM_BODY_CLIENT_CREDENTIALS,
  INVALID_TOKEN,
  NOT_AUTHENTICATED,
} from "./assumptions/partner-auth.ts";
import { detail } from "./http.ts";
import type { Principal } from "./options.ts";
import type { SimRuntime } from "./runtime.ts";

/** The credential behind a request, or the 401 to answer with. */
export type AuthResult = { ok: true; principal: Principal } | { ok: false; response: Response };

function unauthorized(message: string, challenge = BEARER_CHALLENGE.value): AuthResult {
  return { ok: false, response: detail(401, message, { "www-authenticate": challenge }) };
}

/** Splits `Authorization` into its lowercased scheme and its value. */
function schemeOf(request: Request): { scheme: string; value: string } {
  const header = request.headers.get("authorization") ?? "";
  const space = header.indexOf(" ");
  return {
    scheme: (space === -1 ? header : header.slice(0, space)).toLowerCase(),
    value: space === -1 ? "" : header.slice(space + 1).trim(),
  };
}

/**
 * A live gen A session token (`Token <t>`, certn-api.md §2.3), or the 401: knox answers an
 * unknown or expired token with "Invalid token." and challenges with `Token`.
 */
export function authenticateSession(request: Request, rt: SimRuntime, now: number): AuthResult {
  const { scheme, value } = schemeOf(request);
  if (scheme !== "token" || value === "") return unauthorized(NOT_AUTHENTICATED.value, "Token");
  const session = rt.state.sessions.get(value);
  if (session === undefined || (session.expiresAt !== null && session.expiresAt <= now)) {
    return unauthorized(INVALID_TOKEN.value, "Token");
  }
  return {
    ok: true,
    principal: {
      kind: "session",
      bucket: `session:${session.userId}`,
      allowedFlags: new Set(rt.options.allowedRequestFlags),
      sessionToken: session.token,
    },
  };
}

/**
 * Accepts `Bearer <access token>` (live, unexpired), `Bearer <static API key>` and
 * `Token <session token>`. A missing, unknown or expired bearer gets "Authentication credentials
 * were not provided." (django-oauth-toolkit treats them alike, §7 #3); an unknown `Token <t>` gets
 * "Invalid token.". Other schemes are ignored by DRF, so they read as missing credentials. Which
 * credential a route allows is checked afterwards (403, §2.5).
 */
export function authenticatePartner(request: Request, rt: SimRuntime, now: number): AuthResult {
  const { scheme, value } = schemeOf(request);
  if (scheme === "token") {
    const session = authenticateSession(request, rt, now);
    return session.ok ? session : unauthorized(INVALID_TOKEN.value);
  }
  if (scheme !== "bearer" || value === "") return unauthorized(NOT_AUTHENTICATED.value);
  const token = rt.state.tokens.get(value);
  if (token !== undefined) {
    if (token.expiresAt <= now) return unauthorized(NOT_AUTHENTICATED.value);
    const client = rt.options.clients.find((c) => c.clientId === token.clientId);
    if (client === undefined) return unauthorized(NOT_AUTHENTICATED.value);
    return {
      ok: true,
      principal: {
        kind: "oauth",
        bucket: `client:${client.clientId}`,
        allowedFlags: new Set(client.allowedRequestFlags),
      },
    };
  }
  const index = rt.options.apiKeys.findIndex((k) => k.key === value);
  const apiKey = rt.options.apiKeys[index];
  if (apiKey === undefined) return unauthorized(NOT_AUTHENTICATED.value);
  return {
    ok: true,
    principal: {
      kind: "api-key",
      bucket: `api-key:${index}`,
      allowedFlags: new Set(apiKey.allowedRequestFlags),
    },
  };
}

/** A client id and secret as a token request presented them. */
export interface PresentedCredentials {
  clientId: string;
  clientSecret: string;
}

/** How each reading of {@link BASIC_CREDENTIAL_READINGS} turns one part of the Basic pair into a value. */
const READ_BASIC_PART: Record<(typeof BASIC_CREDENTIAL_READINGS.value)[number], (part: string) => string> = {
  "as-is": (part) => part,
  "form-decoded": (part) => unquote(part),
};

/**
 * The readings of the client credentials a token request presents, any of which may match a
 * client: from `Authorization: Basic`, one per reading of `BASIC_CREDENTIAL_READINGS` (the id and
 * secret as they are, certn-api.md §2.1 `base64(<client_id>:<client_secret>)`, and form-urldecoded,
 * RFC 6749 §2.3.1, as django-oauth-toolkit reads them); failing a Basic header, the form body
 * (§7 #2). Empty when nothing usable was presented.
 */
export function clientCredentials(request: Request, form: URLSearchParams): PresentedCredentials[] {
  const header = request.headers.get("authorization") ?? "";
  if (/^basic /i.test(header)) {
    const decoded = decodeBasic(header.slice(6).trim());
    if (decoded === undefined) return [];
    const colon = decoded.indexOf(":");
    if (colon === -1) return [];
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    return BASIC_CREDENTIAL_READINGS.value.map((reading) => ({
      clientId: READ_BASIC_PART[reading](id),
      clientSecret: READ_BASIC_PART[reading](secret),
    }));
  }
  if (!FORM_BODY_CLIENT_CREDENTIALS.value) return [];
  const clientId = form.get("client_id");
  const clientSecret = form.get("client_secret");
  if (clientId === null || clientSecret === null) return [];
  return [{ clientId, clientSecret }];
}

function decodeBasic(value: string): string | undefined {
  try {
    const binary = atob(value);
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function unquote(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return value;
  }
}
