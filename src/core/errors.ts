/**
 * The library's errors. Every one carries a stable `code`; guards check a brand registered with
 * `Symbol.for`, so they work across realms and duplicated copies of the package, where
 * `instanceof` does not. Messages are built only from safe parts (method, URL without query,
 * status, field names, Certn's own messages): never a credential, token or request body.
 */

/** Stable error codes. */
export const CertnErrorCode = {
  /** The URL is not on the client's base URL origin; nothing was sent. */
  EGRESS_REFUSED: "CERTN_EGRESS_REFUSED",
  /** The caller set a header the transport refuses (Authorization, Cookie, Host, ...). */
  BLOCKED_HEADER: "CERTN_BLOCKED_HEADER",
  /**
   * The server asked to wait longer than `retry.maxRetryAfterMs`: a `CertnHttpError` carrying the
   * answer (`status`, `body`, `errors`) and `retryAfterMs`.
   */
  RATE_LIMITED: "CERTN_RATE_LIMITED",
  /** An attempt exceeded its timeout (headers or body). */
  TIMEOUT: "CERTN_TIMEOUT",
  /** The request could not be sent or the connection failed. */
  NETWORK: "CERTN_NETWORK",
  /** A non-2xx status from `client.request` or a typed resource. */
  HTTP: "CERTN_HTTP",
  /** A 410 from a partner-API path: the partner API is retired. */
  API_RETIRED: "CERTN_API_RETIRED",
  /** The token endpoint refused the credentials (400 or 401). */
  AUTH_REFUSED: "CERTN_AUTH_REFUSED",
  /** No token could be obtained for another reason (unexpected status, failing token provider). */
  AUTH_FAILED: "CERTN_AUTH_FAILED",
  /**
   * The API refused a token obtained moments ago (a 401 right after a refresh): requesting yet
   * another token would not help, so for a cool-down no token is requested; a call sends its
   * request once with the last token and fails with this code when that gets a 401 again.
   */
  AUTH_TOKEN_REFUSED: "CERTN_AUTH_TOKEN_REFUSED",
  /**
   * The request could not be built (a header value or body that `Request` refuses, an id that
   * would change the path); nothing was sent. Not a network failure.
   */
  INVALID_REQUEST: "CERTN_INVALID_REQUEST",
  /** A response of the wrong shape (invalid JSON, a missing field). */
  RESPONSE_INVALID: "CERTN_RESPONSE_INVALID",
  /** A response body larger than the allowed number of bytes. */
  RESPONSE_TOO_LARGE: "CERTN_RESPONSE_TOO_LARGE",
} as const;

/** One of the stable codes of {@link CertnErrorCode}. */
export type CertnErrorCodeValue = (typeof CertnErrorCode)[keyof typeof CertnErrorCode];

const brand = Symbol.for("certn-edge.error");
const kindKey = Symbol.for("certn-edge.error.kind");

/** Which error class made an error; used by the cross-realm guards. */
export type CertnErrorKind = "base" | "http" | "auth" | "timeout" | "network" | "response";

/** Options shared by every error constructor. */
export interface CertnErrorOptions {
  cause?: unknown;
}

/** Options of the errors that may carry a status and a more specific code. */
export interface CertnErrorDetails extends CertnErrorOptions {
  code?: CertnErrorCodeValue | undefined;
  status?: number | undefined;
}

/** The base of every error the library throws. */
export class CertnError extends Error {
  /** A stable code, for example `CERTN_EGRESS_REFUSED`. */
  declare readonly code: CertnErrorCodeValue;
  /** The HTTP status, when a response was involved. */
  declare status?: number;
  /** How long the server asked to wait, for `CERTN_RATE_LIMITED`. */
  declare retryAfterMs?: number;

  constructor(code: CertnErrorCodeValue, message: string, options: CertnErrorOptions = {}) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "CertnError";
    (this as { code: CertnErrorCodeValue }).code = code;
    Object.defineProperty(this, brand, { value: true });
    Object.defineProperty(this, kindKey, { value: "base", writable: true });
  }

  /** A safe summary: name, code, message and status; never bodies or credentials. */
  toJSON(): Record<string, unknown> {
    const { name, code, message, status, retryAfterMs } = this;
    return { name, code, message, status, retryAfterMs };
  }
}

/** Names a subclass instance and records its kind for the guards. Also sets the status, when given. */
function brandAs(error: CertnError, name: string, kind: CertnErrorKind, status?: number): void {
  error.name = name;
  Object.defineProperty(error, kindKey, { value: kind });
  if (status !== undefined) error.status = status;
}

/** One error of CertnCentric's `{ type, errors: [{ code, detail, attr }] }` envelope. */
export interface CertnCentricErrorItem {
  code?: string;
  detail?: string;
  attr?: string | null;
}

/** Details of an HTTP error. */
export interface CertnHttpErrorInit extends CertnErrorOptions {
  status: number;
  method: string;
  /** The URL without its query string. */
  url: string;
  body: unknown;
  errors?: CertnCentricErrorItem[] | undefined;
  code?: CertnErrorCodeValue | undefined;
}

/**
 * A non-2xx response to `client.request` or a typed resource. `body` holds the parsed body
 * (Certn's field errors as they are); it is not enumerable and not serialised, so logging the
 * error does not dump applicant data.
 */
export class CertnHttpError extends CertnError {
  declare status: number;
  declare readonly method: string;
  /** The URL without its query string. */
  declare readonly url: string;
  /** The parsed response body (JSON value, or text when it was not JSON). */
  declare readonly body: unknown;
  /** CertnCentric's error list, when the body used its envelope. */
  declare readonly errors?: CertnCentricErrorItem[];

  constructor(message: string, init: CertnHttpErrorInit) {
    super(init.code ?? CertnErrorCode.HTTP, message, init);
    brandAs(this, "CertnHttpError", "http", init.status);
    const { method, url, body, errors } = init;
    Object.assign(this, { method, url });
    Object.defineProperty(this, "body", { value: body });
    if (errors) Object.assign(this, { errors });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), method: this.method, url: this.url };
  }
}

/** Options of a {@link CertnAuthError}. */
export interface CertnAuthErrorOptions extends CertnErrorDetails {
  /** The token endpoint's OAuth2 error code (`invalid_client`...). */
  error?: string | undefined;
  /** The token endpoint's `error_description`. */
  errorDescription?: string | undefined;
}

/**
 * The token endpoint (or token provider) did not yield a token, or the API refused a fresh one.
 * An OAuth2 error body (`{"error", "error_description"}`, RFC 6749 §5.2) gives `error` and
 * `errorDescription`; the client masks its credentials in them as in every text of its errors.
 */
export class CertnAuthError extends CertnError {
  /** The token endpoint's OAuth2 error code, for example `invalid_client` or `invalid_request`. */
  declare readonly error?: string;
  /** The token endpoint's `error_description`, when it gave one. */
  declare readonly errorDescription?: string;

  constructor(message: string, options: CertnAuthErrorOptions = {}) {
    super(options.code ?? CertnErrorCode.AUTH_REFUSED, message, options);
    brandAs(this, "CertnAuthError", "auth", options.status);
    const { error, errorDescription } = options;
    if (error !== undefined) Object.assign(this, { error });
    if (errorDescription !== undefined) Object.assign(this, { errorDescription });
  }

  override toJSON(): Record<string, unknown> {
    const json = super.toJSON();
    return this.error === undefined ? json : { ...json, error: this.error };
  }
}

/** An attempt ran past its timeout, waiting for headers or for the body. */
export class CertnTimeoutError extends CertnError {
  /** The per-attempt timeout that ran out, in ms. */
  declare readonly timeoutMs: number;

  constructor(message: string, options: CertnErrorOptions & { timeoutMs: number }) {
    super(CertnErrorCode.TIMEOUT, message, options);
    brandAs(this, "CertnTimeoutError", "timeout");
    (this as { timeoutMs: number }).timeoutMs = options.timeoutMs;
  }
}

/** The request could not be sent, or the connection broke. */
export class CertnNetworkError extends CertnError {
  constructor(message: string, options: CertnErrorOptions = {}) {
    super(CertnErrorCode.NETWORK, message, options);
    brandAs(this, "CertnNetworkError", "network");
  }
}

/** A response of the wrong shape; the message names the field or says what was expected. */
export class CertnResponseError extends CertnError {
  constructor(message: string, options: CertnErrorDetails = {}) {
    super(options.code ?? CertnErrorCode.RESPONSE_INVALID, message, options);
    brandAs(this, "CertnResponseError", "response", options.status);
  }
}

function kindOf(value: unknown): CertnErrorKind | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<symbol, unknown>;
  if (record[brand] !== true) return undefined;
  const kind = record[kindKey];
  return typeof kind === "string" ? (kind as CertnErrorKind) : "base";
}

/** True for any error made by certn-edge, from any realm or copy of the package. */
export function isCertnError(value: unknown): value is CertnError {
  return kindOf(value) !== undefined;
}

/** True for a {@link CertnHttpError} from any realm. */
export function isCertnHttpError(value: unknown): value is CertnHttpError {
  return kindOf(value) === "http";
}

/** True for a {@link CertnAuthError} from any realm. */
export function isCertnAuthError(value: unknown): value is CertnAuthError {
  return kindOf(value) === "auth";
}

/** True for a {@link CertnTimeoutError} from any realm. */
export function isCertnTimeoutError(value: unknown): value is CertnTimeoutError {
  return kindOf(value) === "timeout";
}

/** True for a {@link CertnNetworkError} from any realm. */
export function isCertnNetworkError(value: unknown): value is CertnNetworkError {
  return kindOf(value) === "network";
}

/** True for a {@link CertnResponseError} from any realm. */
export function isCertnResponseError(value: unknown): value is CertnResponseError {
  return kindOf(value) === "response";
}
