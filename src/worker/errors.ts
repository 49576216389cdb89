/**
 * The Worker's error codes, each with its HTTP status, in one registry; and the one error class
 * (a Hono `HTTPException`) that every refusal is thrown as, answered by `app.onError` as
 * `{ "error": { "code", "message" } }` (400 adds `issues`).
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Every code the Worker answers with, its status and when it is used. */
export const WORKER_ERRORS = {
  INVALID_JSON: { status: 400, when: "the body is empty, not UTF-8 or not JSON" },
  INVALID_INPUT: { status: 400, when: "a run input (or the ad-hoc body) is invalid; see issues" },
  INVALID_COLLECTION: { status: 400, when: "the collection, or its options with the run inputs, is invalid" },
  INVALID_ID: { status: 400, when: "a collection id outside [a-z0-9][a-z0-9._-]{0,63}" },
  INVALID_HEADER: { status: 400, when: "a request header is malformed (named in the message)" },
  UNAUTHORIZED: { status: 401, when: "no caller JWT, or one that does not verify" },
  INVALID_SIGNATURE: { status: 401, when: "a webhook without a valid signature (nothing is stored)" },
  FORBIDDEN: {
    status: 403,
    when: "the caller lacks the route's scope, its token names no caller, or a browser sent the change from another site",
  },
  NOT_FOUND: { status: 404, when: "no such route, collection or run (another caller's run included)" },
  METHOD_NOT_ALLOWED: { status: 405, when: "the route exists for other methods (see Allow)" },
  READ_ONLY: { status: 409, when: "a bundled collection cannot be changed" },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 409,
    when: "the Idempotency-Key's first run is still starting or running",
  },
  IDEMPOTENCY_KEY_SPENT: {
    status: 409,
    when: "the Idempotency-Key's first run ended without a result; it is never run again (see Location)",
  },
  NOT_CANCELLABLE: {
    status: 409,
    when: "an immediate run cannot be cancelled: it stops when its caller disconnects",
  },
  BODY_TOO_LARGE: { status: 413, when: "the body is over 1 MB, announced or streamed" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, when: "a body without Content-Type: application/json" },
  SUBREQUEST_BUDGET_EXCEEDED: { status: 422, when: "the run's worst case is over RUNNER_SUBREQUEST_BUDGET" },
  IDEMPOTENCY_KEY_REUSED: { status: 422, when: "the Idempotency-Key was used with another body" },
  RUN_TOO_LARGE: { status: 422, when: "the run's item results or result size are over the Worker's limits" },
  INTERNAL_ERROR: { status: 500, when: "an unexpected failure (logged by kind only)" },
  RUN_FAILED: { status: 500, when: "an NDJSON run failed after its 200 was sent (an error line)" },
  CERTN_CREDENTIALS_REFUSED: { status: 502, when: "Certn refused the configured credentials" },
  CERTN_UNAVAILABLE: { status: 502, when: "no Certn access token could be obtained" },
  CONFIG_ERROR: { status: 503, when: "a setting is missing or malformed (named, its value never shown)" },
  AUTH_NOT_CONFIGURED: { status: 503, when: "neither RUNNER_JWT_SECRET nor RUNNER_JWKS_URL is set" },
  CERTN_NOT_CONFIGURED: { status: 503, when: "no Certn credentials for a run that sends requests" },
  JWKS_UNAVAILABLE: { status: 503, when: "the caller key set could not be loaded" },
  STORAGE_UNAVAILABLE: { status: 503, when: "the COLLECTIONS namespace failed" },
  CERTN_TIMEOUT: { status: 504, when: "Certn's token endpoint did not answer in time" },
} as const satisfies Record<string, { status: ContentfulStatusCode; when: string }>;

/** A code of {@link WORKER_ERRORS}. */
export type WorkerErrorCode = keyof typeof WORKER_ERRORS;

/** A problem found in a request body, at a JSON Pointer. */
export interface Issue {
  path: string;
  message: string;
}

/** Options of a `WorkerError` beyond code and message. */
export interface WorkerErrorOptions {
  issues?: Issue[];
  headers?: Record<string, string>;
}

/** The JSON body of an error answer. */
export interface ErrorBody {
  error: { code: WorkerErrorCode; message: string };
  issues?: Issue[];
}

const ERROR_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

/**
 * A refusal with a stable code (its status comes from {@link WORKER_ERRORS}). Messages are
 * written for the caller and never hold a credential, a token, a secret, a body or a query string.
 */
export class WorkerError extends HTTPException {
  override readonly name = "WorkerError";
  readonly code: WorkerErrorCode;
  readonly issues: Issue[] | undefined;
  readonly headers: Record<string, string>;

  constructor(code: WorkerErrorCode, message: string, options: WorkerErrorOptions = {}) {
    super(WORKER_ERRORS[code].status, { message });
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }

  /** The JSON answer: `{ error: { code, message }, issues? }` with the error's headers. */
  override getResponse(): Response {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.issues !== undefined) body.issues = this.issues;
    return new Response(JSON.stringify(body), {
      status: this.status,
      headers: { ...ERROR_HEADERS, ...this.headers },
    });
  }
}

/** 400 with the issues that make a body or a collection invalid. */
export function invalidInput(
  code: "INVALID_INPUT" | "INVALID_COLLECTION" | "INVALID_ID",
  message: string,
  issues: Issue[],
): WorkerError {
  return new WorkerError(code, message, { issues });
}

/** 503: the deployment is missing or misconfigures a setting. */
export function configError(message: string): WorkerError {
  return new WorkerError("CONFIG_ERROR", message);
}
