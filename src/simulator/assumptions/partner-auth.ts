/**
 * Credentials of the partner API (certn-api.md §2): the OAuth token endpoint (gen B2), static API
 * keys (gen B1), session tokens (gen A) and which credential each route family takes.
 */
import { assume, certn } from "./label.ts";

/** Default token lifetime in seconds (certn-api.md §2.1). */
export const TOKEN_EXPIRES_IN_S = assume(
  36_000,
  certn("DOC", "2.1", "expires_in defaults to 36000 s (10 h)."),
);

/** The rest of the token response body (certn-api.md §2.1, §7 #1). */
export const TOKEN_RESPONSE_EXTRAS = assume(
  { token_type: "Bearer", scope: "read write" },
  certn(
    "INF",
    "2.1, 7 #1",
    "The docs elide everything but access_token and expires_in; django-oauth-toolkit adds these.",
  ),
);

/** Access tokens: ~30-char opaque strings (certn-api.md §2.1). */
export const ACCESS_TOKEN_SHAPE = assume(
  { length: 30, alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" },
  certn("INF", "2.1", "django-oauth-toolkit's default generator."),
);

/** OAuth2 error bodies of `/token/` (certn-api.md §2.1 failures table, §4.2). */
export const TOKEN_ERRORS = assume(
  {
    invalidClient: { error: "invalid_client" },
    missingGrant: { error: "invalid_request", error_description: "Request is missing grant type." },
    unsupportedGrant: { error: "unsupported_grant_type" },
  },
  certn("INF", "2.1, 4.2, 7 #1", "Not documented by Certn; oauthlib / RFC 6749 §5.2 behaviour."),
);

/**
 * The only body type `/token/` reads (certn-api.md §2.1 [DOC]: form-encoded). Any other body is
 * read as an empty form, so it answers like a missing grant type.
 */
export const TOKEN_BODY_TYPE = assume(
  "application/x-www-form-urlencoded",
  certn(
    "INF",
    "1.6, 2.1",
    "The request is form-encoded [DOC]; Django parses only form bodies into request.POST, so a JSON body has no grant_type (400 invalid_request).",
  ),
);

/**
 * How the `Authorization: Basic` credential of a `/token/` request is read, after Base64 and the
 * split at the first ":" (certn-api.md §2.1): the id and secret as they are, as the docs give them
 * (`base64(<client_id>:<client_secret>)`), or both form-urldecoded (RFC 6749 §2.3.1), as
 * django-oauth-toolkit reads them. A client matching either reading gets a token.
 */
export const BASIC_CREDENTIAL_READINGS = assume(
  ["as-is", "form-decoded"] as const,
  certn(
    "INF",
    "2.1",
    "The docs give Basic base64(<client_id>:<client_secret>), the values as they are [DOC]; django-oauth-toolkit form-urldecodes both parts (RFC 6749 §2.3.1). The simulator accepts the pair read either way: the raw pair, or its form-decoded reading.",
  ),
);

/** `client_id`/`client_secret` in the form body instead of Basic (certn-api.md §2.1, §7 #2). */
export const FORM_BODY_CLIENT_CREDENTIALS = assume(
  true,
  certn(
    "INF",
    "2.1, 7 #2",
    "Standard for django-oauth-toolkit and probably accepted; clients should use Basic.",
  ),
);

/** Headers of every `/token/` answer (certn-api.md §2.1). */
export const TOKEN_NO_STORE = assume(
  { "cache-control": "no-store", pragma: "no-cache" },
  certn("INF", "2.1", "RFC 6749 §5.1, as django-oauth-toolkit sends them."),
);

/** 401 body for a missing Authorization header (certn-api.md §2.1, §4.1). */
export const NOT_AUTHENTICATED = assume(
  "Authentication credentials were not provided.",
  certn("DOC", "2.1, 4.1", "The docs list exactly this body for a missing header."),
);

/** An unknown or expired bearer reads as a missing one, with this challenge (certn-api.md §2.1, §7 #3). */
export const BEARER_CHALLENGE = assume(
  'Bearer realm="api"',
  certn(
    "INF",
    "2.1, 7 #3",
    "django-oauth-toolkit treats an invalid or expired token as none: same body, plus WWW-Authenticate.",
  ),
);

/** 401 body for an unknown or expired `Token` credential (certn-api.md §2.2, §2.3, §7 #3). */
export const INVALID_TOKEN = assume(
  "Invalid token.",
  certn("INF", "2.2, 2.3, 7 #3", "DRF's and knox's TokenAuthentication message."),
);

/**
 * Route prefixes that take only the partner OAuth token. A static API key or a session token is
 * authenticated there but not allowed: 403 (certn-api.md §2.5 table, §3.1, §4.1).
 */
export const PARTNER_ONLY_PREFIXES = assume(
  ["/api/v1/"] as readonly string[],
  certn(
    "DOC",
    "2.5, 3.1, 4.1",
    "§2.5 gives /api/v1/ (superteams, teams, users, hr, pm) to the partner OAuth token; §3.1 marks them partner-only; §4.1 lists 403 for a partner-only resource.",
  ),
);

/** The 403 body (certn-api.md §4.1: DOC heading, INF body). */
export const PERMISSION_DENIED = assume(
  "You do not have permission to perform this action.",
  certn("INF", "4.1", "DRF's PermissionDenied message; the 403 heading itself is documented."),
);

/** The partner OAuth token also works on the gen B1/A paths (`/hr/v1/`, `/api/v2/`). */
export const OAUTH_ON_B1_PATHS = assume(
  true,
  certn(
    "INF",
    "2.5",
    "The reference's simulator assumption: Certn stacks DRF authentication classes, so every gen A/B route accepts the Bearer token.",
  ),
);

/** Session tokens (gen A): 64 lowercase hex characters, listed by their first 8 (certn-api.md §2.3). */
export const SESSION_TOKEN_SHAPE = assume(
  { length: 64, alphabet: "0123456789abcdef", keyLength: 8 },
  certn("CODE", "2.3", "Real tokens are 64 hex characters [CODE]; token_key is their first 8 [DOC]."),
);

/** Unit of the login body's `expires` (certn-api.md §2.3): hours; `null` never expires. */
export const SESSION_EXPIRES_UNIT_MS = assume(
  3_600_000,
  certn("DOC", "2.3", "expires = token lifetime in hours; null gives a token that never expires."),
);

/** Lifetime when the login body has no `expires` (certn-api.md §7 #4): never expires. */
export const SESSION_EXPIRES_WHEN_OMITTED = assume(
  null,
  certn("INF", "7 #4", "Treat an omitted expires as null (the bungalow client always sends null)."),
);

/** A wrong username or password (certn-api.md §2.3). */
export const INVALID_LOGIN = assume(
  "Invalid username/password.",
  certn("CODE", "2.3", "Seen in the bungalow client's test fixtures."),
);

/** `WWW-Authenticate` of a refused login: DRF's BasicAuthentication challenge. */
export const LOGIN_CHALLENGE = assume(
  'Basic realm="api"',
  certn("INF", "2.3", "A missing Basic header is a 401 'not provided' [INF]; DRF adds this challenge."),
);

/** `user` of the `POST /api/v2/login/` answer (certn-api.md §2.3 shows `{…}`). */
export const LOGIN_USER_FIELDS = assume(
  ["id", "email", "first_name", "last_name"] as readonly string[],
  certn("SIM", "2.3", "The 2021 tool's answer elides the user object; the simulator sends these fields."),
);
