/**
 * The console's calls to the Worker's JSON API. The caller token the person pasted lives in this
 * tab's `sessionStorage` only (gone when the tab closes; never a cookie, a URL or a log) and is
 * sent as `Authorization: Bearer`. Behind Cloudflare Access no token is needed: Access adds its
 * JWT (`Cf-Access-Jwt-Assertion`) to every request it lets through, which the Worker verifies.
 */

const TOKEN_KEY = "certn-edge.console.token";

/** The pasted token of this tab, if any. */
export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Keeps (or with null, forgets) the token for this tab. */
export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

/**
 * Trades the one-time code of `npm start`'s `#login=` link for a caller token (the development
 * Worker's `POST /console/login`; the code works once). A refusal throws {@link ApiError}.
 * @example
 * storeToken(await exchangeLoginCode(code));
 */
export async function exchangeLoginCode(code: string): Promise<string> {
  const response = await fetch("/console/login", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ code }),
    redirect: "error",
    credentials: "same-origin",
  });
  if (!response.ok) throw await errorOf(response);
  const body = (await response.json()) as { token?: unknown };
  if (typeof body.token !== "string")
    throw new ApiError(response.status, "HTTP_200", "the Worker answered no token");
  return body.token;
}

/** One issue of a 400 answer: where (JSON Pointer) and what. */
export interface ApiIssue {
  path: string;
  message: string;
}

/** A non-2xx answer of the API, with the Worker's error code, message and issues. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Calls the API with the caller's token; a non-2xx answer throws {@link ApiError}. */
export async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = storedToken();
  if (token !== null) headers.set("authorization", `Bearer ${token}`);
  if (!headers.has("accept")) headers.set("accept", "application/json");
  // Same origin only, no redirect: the token must not follow a redirect anywhere.
  const response = await fetch(path, { ...init, headers, redirect: "error", credentials: "same-origin" });
  if (response.ok) return response;
  throw await errorOf(response);
}

/** The {@link ApiError} of a failed answer (its JSON error body when it has one). */
async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const record = (body ?? {}) as { error?: { code?: unknown; message?: unknown }; issues?: unknown };
  const code = typeof record.error?.code === "string" ? record.error.code : `HTTP_${response.status}`;
  const message =
    typeof record.error?.message === "string"
      ? record.error.message
      : `the Worker answered ${response.status}`;
  const issues = Array.isArray(record.issues)
    ? record.issues.filter(
        (issue): issue is ApiIssue =>
          typeof issue === "object" &&
          issue !== null &&
          typeof issue.path === "string" &&
          typeof issue.message === "string",
      )
    : [];
  return new ApiError(response.status, code, message, issues);
}

/** GET a JSON answer. */
export async function getJson<T>(path: string): Promise<T> {
  return (await (await api(path)).json()) as T;
}

/**
 * Reads an NDJSON body line by line, calling `onLine` with each parsed line as it arrives.
 * @example
 * await readNdjson(response, (line) => console.info(line));
 */
export async function readNdjson(response: Response, onLine: (line: unknown) => void): Promise<void> {
  if (response.body === null) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (value !== undefined) buffer += value;
    let newline = buffer.indexOf("\n");
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line !== "") onLine(JSON.parse(line));
      newline = buffer.indexOf("\n");
    }
    if (done) break;
  }
  if (buffer.trim() !== "") onLine(JSON.parse(buffer));
}
