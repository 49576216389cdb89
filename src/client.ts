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
  TokenProvider,
  TokenProviderCredentials,
} from "./auth/credentials.ts";
import { createTokenProviderAuthorizer } from "./auth/token-provider.ts";
import { basicPair } from "./auth/token-request.ts";
import { createMemoryTokenStore, type TokenStore } from "./auth/token-store.ts";
import type { FetchLike } from "./core/attempt.ts";
import { CERTN_CENTRIC_SANDBOX_URL, CERTN_DEMO_URL } from "./core/base-urls.ts";
import { utf8ToBase64 } from "./core/base64.ts";
import { createCall, type RequestOptions } from "./core/call.ts";
import { isCertnError } from "./core/errors.ts";
import { createSecretSet, maskErrorText, type SecretSet } from "./core/mask-secrets.ts";
import { checkEgress, parseBaseUrl } from "./core/origin.ts";
import {
  checkNumber,
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_MS,
  resolveRetryPolicy,
} from "./core/retry-policy.ts";
import { createSender, type SenderConfig } from "./core/send.ts";
import { sleep as defaultSleep, type Sleep } from "./core/sleep.ts";
import type { RetryPolicy, SendOptions, Transport } from "./core/transport-types.ts";
import { type CertnCentricResources, createCentricResources } from "./resources/centric/index.ts";
import { createPartnerResources, type PartnerResources } from "./resources/partner.ts";

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
  /**
   * How to wait between attempts (default `setTimeout`); for tests. Resolves after `ms`, or as
   * soon as the signal aborts: the transport checks the signal itself (core's one contract).
   */
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
  /** CertnCentric resources (`/api/public/`), for an `Api-Key` credential. */
  readonly centric: CertnCentricResources;
  /**
   * `text` with this client's credentials replaced by `[secret]`, in every encoded form: the
   * client secret, `id:secret` and its Basic form, the API key, and every access token it has
   * obtained (the last 32). What the runner masks its results with; see {@link Transport}.
   */
  maskSecrets(text: string): string;
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
  tokenStore?: unknown;
  [option: string]: unknown;
}

function fail(message: string): never {
  throw new TypeError(`createCertnClient: ${message}`);
}

function check(ok: unknown, message: string): void {
  if (!ok) fail(message);
}

const isFunction = (value: unknown): boolean => typeof value === "function";
const isNonEmptyString = (value: unknown): value is string => typeof value === "string" && value !== "";

/** Picks the one credential given and checks it; the authorizer is built from the result. */
function chooseCredential(options: LooseOptions): CredentialChoice {
  const { clientId, clientSecret, tokenProvider, apiKey, apiKeyScheme = "Bearer" } = options;
  const given = [clientId === undefined ? clientSecret : clientId, tokenProvider, apiKey].filter(
    (value) => value !== undefined,
  );
  check(
    given.length === 1,
    `${given.length ? "give exactly one credential" : "credentials are required"}: { clientId, clientSecret }, { tokenProvider } or { apiKey }`,
  );
  if (tokenProvider !== undefined) {
    check(isFunction(tokenProvider), "tokenProvider must be a function");
    return { kind: "token-provider", tokenProvider: tokenProvider as TokenProvider };
  }
  if (apiKey !== undefined) {
    check(isNonEmptyString(apiKey), "apiKey must be a non-empty string");
    check(
      apiKeyScheme === "Api-Key" || apiKeyScheme === "Bearer",
      'apiKeyScheme must be "Api-Key" or "Bearer"',
    );
    return { kind: "api-key", apiKey: apiKey as string, scheme: apiKeyScheme as ApiKeyScheme };
  }
  // Any character is allowed: the Basic credential carries `id:secret` as they are (certn-api.md
  // §2.1), both parts form-urlencoded only for an id with ":", which Basic cannot carry raw.
  check(isNonEmptyString(clientId), "clientId must be a non-empty string");
  check(isNonEmptyString(clientSecret), "clientSecret must be a non-empty string");
  return { kind: "client-credentials", clientId: clientId as string, clientSecret: clientSecret as string };
}

type CredentialChoice =
  | { kind: "client-credentials"; clientId: string; clientSecret: string }
  | { kind: "token-provider"; tokenProvider: TokenProvider }
  | { kind: "api-key"; apiKey: string; scheme: ApiKeyScheme };

/** The values of a credential that must never be shown: the secret, `id:secret` and its Basic form, the key. */
function fixedSecrets(credential: CredentialChoice): string[] {
  if (credential.kind === "api-key") return [credential.apiKey];
  if (credential.kind === "token-provider") return [];
  const { clientId, clientSecret } = credential;
  // The Basic credential as sent, and what it encodes (the id and secret, form-encoded or not).
  const pair = basicPair(clientId, clientSecret);
  return [clientSecret, `${clientId}:${clientSecret}`, utf8ToBase64(pair), pair];
}

/**
 * The authorizer, with every token it hands out remembered by `secrets` (cached, fetched,
 * refreshed or from a token provider), before anything can send or echo it.
 */
function rememberingTokens(authorizer: TokenAuthorizer, secrets: SecretSet): TokenAuthorizer {
  // Spread, so every other member of the authorizer passes through as it is.
  return {
    ...authorizer,
    async authorize() {
      const credential = await authorizer.authorize();
      secrets.add(credential.token);
      return credential;
    },
    held() {
      const credential = authorizer.held?.();
      if (credential) secrets.add(credential.token);
      return credential;
    },
    async getAccessToken() {
      const token = await authorizer.getAccessToken();
      secrets.add(token);
      return token;
    },
  };
}

/**
 * `pending`, with this client's credentials masked in any `CertnError` it rejects with: an
 * upstream message (a token endpoint's `detail` echoing the Basic header, an API echoing the
 * bearer token) can quote them, and this is where the client, which knows them, hands errors
 * out. Given the promise of an async function, which rejects rather than throws.
 */
function guarded<T>(secrets: SecretSet, pending: Promise<T>): Promise<T> {
  return pending.catch((error: unknown) => {
    throw isCertnError(error) ? maskErrorText(error, secrets.mask) : error;
  });
}

/**
 * Creates a Certn client.
 *
 * @example OAuth2 client credentials (the partner API; the demo API unless `baseUrl` says otherwise)
 * ```ts
 * import { createCertnClient } from "certn-edge";
 *
 * const certn = createCertnClient({ clientId: env.CERTN_CLIENT_ID, clientSecret: env.CERTN_CLIENT_SECRET });
 * const page = await certn.hr.applications.list({ page_size: 20 });
 * for await (const team of certn.teams.all()) console.log(team.name);
 * ```
 *
 * @example A CertnCentric API key
 * ```ts
 * import { CERTN_CENTRIC_SANDBOX_URL, createCertnClient } from "certn-edge";
 *
 * const centric = createCertnClient({
 *   apiKey: env.CERTN_API_KEY,
 *   apiKeyScheme: "Api-Key",
 *   baseUrl: CERTN_CENTRIC_SANDBOX_URL,
 * });
 * const cases = await centric.centric.cases.list();
 * ```
 * @throws TypeError when an option is missing or invalid (the message names it).
 */
export function createCertnClient(options: CertnClientOptions): CertnClient {
  check(typeof options === "object" && options, "options must be an object");
  const loose = options as LooseOptions;
  const credential = chooseCredential(loose);
  for (const name of ["fetch", "now", "sleep", "random"]) {
    check(loose[name] === undefined || isFunction(loose[name]), `${name} must be a function`);
  }
  const userStore = loose.tokenStore as Record<keyof TokenStore, unknown> | undefined;
  check(
    userStore === undefined ||
      (userStore && isFunction(userStore.get) && isFunction(userStore.set) && isFunction(userStore.delete)),
    "tokenStore must have get, set and delete methods",
  );
  const store = (userStore as TokenStore | undefined) ?? createMemoryTokenStore();
  const defaultBase =
    credential.kind === "api-key" && credential.scheme === "Api-Key"
      ? CERTN_CENTRIC_SANDBOX_URL
      : CERTN_DEMO_URL;
  const origin = parseBaseUrl((loose.baseUrl as string | undefined) ?? defaultBase);
  let timeoutMs: number;
  let retry: typeof DEFAULT_RETRY_POLICY;
  try {
    timeoutMs = checkNumber(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, "timeoutMs", true);
    retry = resolveRetryPolicy(DEFAULT_RETRY_POLICY, options.retry);
  } catch (error) {
    fail((error as Error).message);
  }
  // Per call only (the type leaves it out; plain JavaScript or a spread config may not): a
  // client-wide retry of POSTs would send a paid order again after any 500.
  if (retry.retryNonIdempotent) {
    fail("retry.retryNonIdempotent is per call only: pass it in send()'s options, not to createCertnClient");
  }
  // Called as plain functions: a runtime's `fetch` throws "Illegal invocation" when called as a method.
  const userFetch = options.fetch;
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? defaultSleep;
  const config: SenderConfig = {
    origin,
    fetch: (input, init) => (userFetch ?? fetch)(input, init),
    fetchTakesInit: userFetch === undefined,
    now,
    sleep,
    random: options.random ?? Math.random,
    timeoutMs,
    retry,
  };
  const internalSend = createSender(config);
  const secrets = createSecretSet(fixedSecrets(credential));
  config.mask = secrets.mask;
  const innerAuthorizer: TokenAuthorizer =
    credential.kind === "client-credentials"
      ? createClientCredentialsAuthorizer({
          origin,
          credentials: credential,
          store,
          send: internalSend,
          now,
          sleep,
        })
      : credential.kind === "token-provider"
        ? createTokenProviderAuthorizer(credential.tokenProvider, now)
        : createApiKeyAuthorizer(credential.apiKey, credential.scheme);
  const authorizer = rememberingTokens(innerAuthorizer, secrets);
  // The token request itself goes out with `auth: false`, so one transport serves both.
  config.authorizer = authorizer;

  const clientFetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const streaming = init?.body instanceof ReadableStream;
    const requestInit: RequestInit & { duplex?: "half" } = { ...init };
    delete requestInit.signal;
    if (streaming) requestInit.duplex = "half";
    const request =
      typeof input === "string" || input instanceof URL
        ? new Request(checkEgress(String(input), origin).href, requestInit)
        : new Request(input, requestInit);
    const signal =
      init?.signal ?? (typeof input === "object" && "signal" in input ? input.signal : undefined);
    return guarded(secrets, internalSend(request, signal ? { signal } : {}, { streaming }));
  };

  const unguardedCall = createCall(origin, internalSend, secrets.mask);
  const call: typeof unguardedCall = (...args) => guarded(secrets, unguardedCall(...args));
  const request = <T>(method: string, path: string, requestOptions?: RequestOptions) =>
    call(method, path, requestOptions) as Promise<T>;
  const describe = (): string => `CertnClient(${origin}, ${authorizer.kind})`;

  const client: CertnClient = {
    baseUrl: origin,
    getAccessToken: () => guarded(secrets, authorizer.getAccessToken()),
    // Only the public options reach the transport: internal ones travel in a third argument.
    send: (request, sendOptions) => guarded(secrets, internalSend(request, sendOptions)),
    fetch: clientFetch,
    request,
    ...createPartnerResources({ request, call }),
    centric: createCentricResources({ request }),
    maskSecrets: (text) => secrets.mask(text),
    toJSON: () => ({ name: "CertnClient", baseUrl: origin, auth: authorizer.kind }),
    toString: describe,
  };
  Object.defineProperty(client, Symbol.for("nodejs.util.inspect.custom"), { value: describe });
  return Object.freeze(client);
}
