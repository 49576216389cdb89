/**
 * One Certn client per incoming request: its own fetch limiter, token store and in-flight token
 * request, so nothing pending is shared between two requests (only resolved tokens are, through
 * the isolate's token memory and KV).
 */
import { type CertnClient, createCertnClient } from "../index.ts";
import type { CertnCredentials, WorkerConfig } from "./config.ts";
import type { Env } from "./env.ts";
import { createKvTokenStore, type KvTokenStore, type TokenMemory } from "./kv-token-store.ts";
import { limitFetch, MAX_UPSTREAM_CONCURRENCY } from "./limit-fetch.ts";
import type { Logger } from "./log.ts";

/** Seams of the KV token store (tests use them to model time, jitter and isolates). */
export interface TokenStoreSeams {
  memory?: TokenMemory;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What building a client needs besides the configuration. */
export interface ClientContext {
  env: Env;
  /** The `fetch` Certn is reached with (the simulator's in development and tests). */
  certnFetch: typeof fetch;
  tokenStore: TokenStoreSeams;
  log: Logger;
  maxConcurrency?: number;
}

/** A client and, with client credentials, the KV token store it uses. */
export interface RequestClient {
  client: CertnClient;
  tokenStore: KvTokenStore | undefined;
  credentials: CertnCredentials["kind"];
}

/** Builds the client of one incoming request. */
export function createRequestClient(config: WorkerConfig, context: ClientContext): RequestClient {
  const fetchLimited = limitFetch(context.certnFetch, context.maxConcurrency ?? MAX_UPSTREAM_CONCURRENCY);
  const { credentials } = config;
  const common = { baseUrl: config.baseUrl, fetch: fetchLimited };
  if (credentials.kind === "client-credentials") {
    const tokenStore = createKvTokenStore({
      kv: context.env.TOKEN_CACHE,
      clientSecret: credentials.clientSecret,
      log: context.log,
      ...context.tokenStore,
    });
    const client = createCertnClient({
      ...common,
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      tokenStore,
    });
    return { client, tokenStore, credentials: credentials.kind };
  }
  if (credentials.kind === "api-key") {
    const client = createCertnClient({
      ...common,
      apiKey: credentials.apiKey,
      apiKeyScheme: credentials.apiKeyScheme,
    });
    return { client, tokenStore: undefined, credentials: credentials.kind };
  }
  // No credentials: only dry runs get here, and they send nothing.
  const client = createCertnClient({
    ...common,
    tokenProvider: () => Promise.reject(new Error("no Certn credentials are configured")),
  });
  return { client, tokenStore: undefined, credentials: credentials.kind };
}
