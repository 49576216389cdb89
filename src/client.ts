/**
 * `createCertnClient`: composes the transport (`core`), a credential (`auth`) and the typed
 * resources. Credentials stay in closures; the client object holds only functions and the base
 * URL, and its `toJSON`, `toString` and inspection show a safe summary.
 */
import { createApiKeyAuthorizer } from "./auth/api-key.ts";
import { createClientCredentialsAuthorizer } from "./auth/client-credentials.ts";
import type {
  ApiKeyCredentials,
  ApiKeyScheme,
  ClientCredentials,
  CredentialKind,
  TokenAuthorizer,
  TokenProviderCredentials,
} from "./auth/credentials.ts";
import { createTokenProviderAuthorizer } from "./auth/token-provider.ts";
import { createMemoryTokenStore, type TokenStore } from "./auth/token-store.ts";
import type { FetchLike } from "./core/attempt.ts";
import { CERTN_CENTRIC_SANDBOX_URL, CERTN_DEMO_URL } from "./core/base-urls.ts";
import { createCall, type RequestOptions } from "./core/call.ts";
import { checkEgress, parseBaseUrl } from "./core/origin.ts";
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy } from "./core/retry-policy.ts";
import { createSender, type InternalSendOptions } from "./core/send.ts";
import { defaultSleep, type Sleep } from "./core/sleep.ts";
import type { RetryPolicy, SendOptions, Transport } from "./core/transport.ts";
import type { ResourceContext } from "./resources/context.ts";
import { createPartnerResources, type PartnerResources } from "./resources/partner.ts";

/** Default per-attempt timeout, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Options every credential kind shares. */
export interface CertnClientCommonOptions {
  /**
   * The API origin. Default `CERTN_DEMO_URL`, or `CERTN_CENTRIC_SANDBOX_URL` for an `Api-Key`
   * credential. Must be `https:`; `http:` only for localhost, 127.0.0.0/8 and [::1].
   */
  baseUrl?: string;
  /** The `fetch` to use (default: the global one). Never patched, only called. */
  fetch?: FetchLike;
  /** Where the access token is cached (default: in memory, this client only). */
  tokenStore?: TokenStore;
  /** Per-attempt timeout covering headers and body, in ms. Default 30,000. */
  timeoutMs?: number;
  /** Default retry policy of every call. */
  retry?: Omit<RetryPolicy, "retryNonIdempotent">;
  /** The clock, in ms since the epoch (default `Date.now`). */
  now?: () => number;
  /** How to wait between attempts (default `setTimeout`); for tests. */
  sleep?: Sleep;
  /** Random numbers in [0, 1) for the backoff jitter (default `Math.random`); for tests. */
  random?: () => number;
}

/** Options of {@link createCertnClient}: one credential plus the common options. */
export type CertnClientOptions = (ClientCredentials | TokenProviderCredentials | ApiKeyCredentials) &
  CertnClientCommonOptions;

/** The Certn client. Implements {@link Transport}. */
export interface CertnClient extends Transport, PartnerResources {
  /** The origin every request goes to, for example `https://demo-api.certn.co`. */
  readonly baseUrl: string;
  /** A valid access token (or the API key), fetched or refreshed when needed. */
  getAccessToken(): Promise<string>;
  /** The one transport: egress check, credential, timeouts, retries, 401 refresh. Never throws on a status. */
  send(request: Request, options?: SendOptions): Promise<Response>;
  /** `fetch`-shaped sugar over `send`; a path like `/api/v1/teams/` is resolved on `baseUrl`. */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /** Parsed JSON (undefined for 204/empty), or a `CertnHttpError` for a non-2xx status. */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** A safe summary (no credentials). */
  toJSON(): { name: "CertnClient"; baseUrl: string; auth: CredentialKind };
  /** A safe summary (no credentials). */
  toString(): string;
}

interface LooseOptions {
  clientId?: unknown;
  clientSecret?: unknown;
  tokenProvider?: unknown;
  apiKey?: unknown;
  apiKeyScheme?: unknown;
  baseUrl?: unknown;
  fetch?: unknown;
  tokenStore?: unknown;
  timeoutMs?: unknown;
  now?: unknown;
  sleep?: unknown;
  random?: unknown;
}

function fail(message: string): never {
  throw new TypeError(`createCertnClient: ${message}`);
}

function checkFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== "function") fail(`${name} must be a function`);
}

function checkTokenStore(value: unknown): TokenStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Partial<Record<keyof TokenStore, unknown>> | null;
  if (
    typeof store !== "object" ||
    store === null ||
    typeof store.get !== "function" ||
    typeof store.set !== "function" ||
    typeof store.delete !== "function"
  ) {
    fail("tokenStore must have get, set and delete methods");
  }
  return value as TokenStore;
}

type CredentialChoice =
  | { kind: "client-credentials"; clientId: string; clientSecret: string }
  | { kind: "token-provider"; tokenProvider: TokenProviderCredentials["tokenProvider"] }
  | { kind: "api-key"; apiKey: string; scheme: ApiKeyScheme };

function chooseCredential(options: LooseOptions): CredentialChoice {
  const hasClient = options.clientId !== undefined || options.clientSecret !== undefined;
  const hasProvider = options.tokenProvider !== undefined;
  const hasKey = options.apiKey !== undefined;
  const count = Number(hasClient) + Number(hasProvider) + Number(hasKey);
  if (count === 0)
    fail("credentials are required: { clientId, clientSecret }, { tokenProvider } or { apiKey }");
  if (count > 1)
    fail("give exactly one credential: { clientId, clientSecret }, { tokenProvider } or { apiKey }");
  if (hasClient) {
    if (typeof options.clientId !== "string" || options.clientId === "")
      fail("clientId must be a non-empty string");
    if (options.clientId.includes(":"))
      fail('clientId must not contain ":" (it separates id and secret in Basic auth)');
    if (typeof options.clientSecret !== "string" || options.clientSecret === "") {
      fail("clientSecret must be a non-empty string");
    }
    return { kind: "client-credentials", clientId: options.clientId, clientSecret: options.clientSecret };
  }
  if (hasProvider) {
    checkFunction(options.tokenProvider, "tokenProvider");
    return {
      kind: "token-provider",
      tokenProvider: options.tokenProvider as TokenProviderCredentials["tokenProvider"],
    };
  }
  if (typeof options.apiKey !== "string" || options.apiKey === "") fail("apiKey must be a non-empty string");
  const scheme = options.apiKeyScheme ?? "Bearer";
  if (scheme !== "Api-Key" && scheme !== "Bearer") fail('apiKeyScheme must be "Api-Key" or "Bearer"');
  return { kind: "api-key", apiKey: options.apiKey, scheme };
}

/**
 * Creates a Certn client.
 *
 * @example
 * ```ts
 * const certn = createCertnClient({ clientId: env.CERTN_CLIENT_ID, clientSecret: env.CERTN_CLIENT_SECRET });
 * const page = await certn.hr.applications.list({ page_size: 20 });
 * ```
 * @throws TypeError when an option is missing or invalid (the message names it).
 */
export function createCertnClient(options: CertnClientOptions): CertnClient {
  if (typeof options !== "object" || options === null) fail("options must be an object");
  const loose = options as LooseOptions;
  const credential = chooseCredential(loose);
  checkFunction(loose.fetch, "fetch");
  checkFunction(loose.now, "now");
  checkFunction(loose.sleep, "sleep");
  checkFunction(loose.random, "random");
  const store = checkTokenStore(loose.tokenStore) ?? createMemoryTokenStore();
  const defaultBase =
    credential.kind === "api-key" && credential.scheme === "Api-Key"
      ? CERTN_CENTRIC_SANDBOX_URL
      : CERTN_DEMO_URL;
  const origin = parseBaseUrl((loose.baseUrl as string | undefined) ?? defaultBase);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    fail("timeoutMs must be a finite number of milliseconds > 0");
  }
  let retry: typeof DEFAULT_RETRY_POLICY;
  try {
    retry = resolveRetryPolicy(DEFAULT_RETRY_POLICY, options.retry);
  } catch (error) {
    fail(error instanceof Error ? error.message : "invalid retry policy");
  }
  // Called as plain functions: a runtime's `fetch` throws "Illegal invocation" when called as a method.
  const userFetch = options.fetch;
  const fetchFn: FetchLike = userFetch
    ? (input, init) => userFetch(input, init)
    : (input, init) => fetch(input, init);
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const senderConfig = { origin, fetch: fetchFn, now, sleep, random, timeoutMs, retry };
  const tokenSend = createSender(senderConfig);
  const authorizer: TokenAuthorizer =
    credential.kind === "client-credentials"
      ? createClientCredentialsAuthorizer({
          origin,
          credentials: { clientId: credential.clientId, clientSecret: credential.clientSecret },
          store,
          send: tokenSend,
          now,
          sleep,
        })
      : credential.kind === "token-provider"
        ? createTokenProviderAuthorizer(credential.tokenProvider)
        : createApiKeyAuthorizer(credential.apiKey, credential.scheme);
  const internalSend = createSender({ ...senderConfig, authorizer });

  // Only the public options pass: internal ones could bypass the header check.
  const send = (request: Request, sendOptions: SendOptions = {}): Promise<Response> => {
    const picked: InternalSendOptions = {};
    if (sendOptions.retry !== undefined) picked.retry = sendOptions.retry;
    if (sendOptions.timeoutMs !== undefined) picked.timeoutMs = sendOptions.timeoutMs;
    if (sendOptions.signal !== undefined) picked.signal = sendOptions.signal;
    if (sendOptions.auth !== undefined) picked.auth = sendOptions.auth;
    if (sendOptions.beforeAttempt !== undefined) picked.beforeAttempt = sendOptions.beforeAttempt;
    if (sendOptions.onAttempt !== undefined) picked.onAttempt = sendOptions.onAttempt;
    if (sendOptions.maxBodyBytes !== undefined) picked.maxBodyBytes = sendOptions.maxBodyBytes;
    return internalSend(request, picked);
  };

  const clientFetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const streaming = typeof ReadableStream !== "undefined" && init?.body instanceof ReadableStream;
    const requestInit: RequestInit & { duplex?: "half" } = { ...init };
    delete requestInit.signal;
    if (streaming) requestInit.duplex = "half";
    const request =
      typeof input === "string" || input instanceof URL
        ? new Request(checkEgress(String(input), origin).href, requestInit)
        : new Request(input, requestInit);
    const signal =
      init?.signal ?? (typeof input === "object" && "signal" in input ? input.signal : undefined);
    const sendOptions: InternalSendOptions = {};
    if (signal) sendOptions.signal = signal;
    if (streaming) sendOptions.streamingBody = true;
    return internalSend(request, sendOptions);
  };

  const call = createCall(origin, internalSend);
  const context: ResourceContext = {
    request: <T>(method: string, path: string, requestOptions?: RequestOptions) =>
      call(method, path, requestOptions, "json") as Promise<T>,
    call,
  };
  const summary = { name: "CertnClient" as const, baseUrl: origin, auth: authorizer.kind };
  const describe = (): string => `CertnClient(${origin}, ${authorizer.kind})`;

  const client: CertnClient = {
    baseUrl: origin,
    getAccessToken: () => authorizer.getAccessToken(),
    send,
    fetch: clientFetch,
    request: context.request,
    // Further resource families (for example `centric`) are composed here from `context`.
    ...createPartnerResources(context),
    toJSON: () => ({ ...summary }),
    toString: describe,
  };
  Object.defineProperty(client, Symbol.for("nodejs.util.inspect.custom"), { value: describe });
  return Object.freeze(client);
}
