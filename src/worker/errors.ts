/**
 * The Worker's error shape: `{ "error": { "code", "message" } }` (400 adds `issues`), one
 * class for every refusal so route code throws and `app.onError` answers.
 */

/** A problem found in a request body, at a JSON Pointer. */
export interface Issue {
  path: string;
  message: string;
}

/** Options of a `WorkerError` beyond status, code and message. */
export interface WorkerErrorOptions {
  issues?: Issue[];
  headers?: Record<string, string>;
}

/**
 * A refusal with an HTTP status and a stable code. Messages are written for the caller and
 * never hold a credential, a token, a secret, a body or a query string.
 */
export class WorkerError extends Error {
  override readonly name = "WorkerError";
  readonly status: number;
  readonly code: string;
  readonly issues: Issue[] | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: WorkerErrorOptions = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}

/** The JSON body of an error answer. */
export interface ErrorBody {
  error: { code: string; message: string };
  issues?: Issue[];
}

/** Builds the JSON response for a `WorkerError`. */
export function errorResponse(error: WorkerError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.issues !== undefined) body.issues = error.issues;
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      ...error.headers,
    },
  });
}

/** 400 with the issues that make a body or a collection invalid. */
export function invalidInput(code: string, message: string, issues: Issue[]): WorkerError {
  return new WorkerError(400, code, message, { issues });
}

/** 503: the deployment is missing or misconfigures a setting. */
export function configError(message: string): WorkerError {
  return new WorkerError(503, "CONFIG_ERROR", message);
}
