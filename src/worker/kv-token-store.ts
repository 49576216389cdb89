/**
 * The Certn token in Workers KV, shared by every isolate: encrypted (see token-crypto.ts),
 * `expiresAt` checked on every read, never written on a cache hit, and never failing a run when
 * KV does. Resolved tokens are also kept in this isolate's memory; nothing in flight is shared.
 */
import { MIN_REFRESH_MARGIN_MS, type StoredToken, type TokenStore } from "../index.ts";
import { errorKind, type Logger } from "./log.ts";
import { deriveTokenKey, openToken, sealToken } from "./token-crypto.ts";

/** KV refuses an `expirationTtl` under 60 s. */
export const MIN_KV_TTL_SECONDS = 60;
/** Default skew: a token is used only while `expiresAt - skew` is in the future (the client's minimum margin). */
export const DEFAULT_TOKEN_SKEW_MS = MIN_REFRESH_MARGIN_MS;
/** Largest random wait before refreshing after a 401, so isolates do not all write at once. */
export const REFRESH_JITTER_MS = 250;

/**
 * Resolved tokens of this isolate: tokens by KV key, and tokens Certn refused (with their expiry,
 * to forget them later). Module-level by default; tests pass their own to model isolates.
 */
export interface TokenMemory {
  tokens: Map<string, StoredToken>;
  revoked: Map<string, number>;
}

/** Creates an empty token memory. */
export function createTokenMemory(): TokenMemory {
  return { tokens: new Map(), revoked: new Map() };
}

/** This isolate's token memory. */
export const isolateTokenMemory: TokenMemory = createTokenMemory();

/** Options of `createKvTokenStore`. */
export interface KvTokenStoreOptions {
  kv: KVNamespace;
  /** Key material for the encryption; never stored. */
  clientSecret: string;
  /** A token with less than this much life left is treated as absent. Default 5 minutes. */
  skewMs?: number;
  now?: () => number;
  memory?: TokenMemory;
  /** Random source in [0, 1) for the refresh jitter. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
}

/** Counts of what the store did, for logs and tests. */
export interface KvTokenStoreStats {
  memoryHits: number;
  kvHits: number;
  kvMisses: number;
  kvReadFailures: number;
  kvWrites: number;
  kvWriteFailures: number;
  skippedWrites: number;
}

/** A `TokenStore` backed by KV, with its stats. */
export interface KvTokenStore extends TokenStore {
  readonly stats: KvTokenStoreStats;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the KV-backed token store of one incoming request. */
export function createKvTokenStore(options: KvTokenStoreOptions): KvTokenStore {
  const { kv } = options;
  const skewMs = options.skewMs ?? DEFAULT_TOKEN_SKEW_MS;
  const now = options.now ?? Date.now;
  const memory = options.memory ?? isolateTokenMemory;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const log = options.log;
  const stats: KvTokenStoreStats = {
    memoryHits: 0,
    kvHits: 0,
    kvMisses: 0,
    kvReadFailures: 0,
    kvWrites: 0,
    kvWriteFailures: 0,
    skippedWrites: 0,
  };
  let cryptoKey: Promise<CryptoKey> | undefined;
  const key = (): Promise<CryptoKey> => {
    cryptoKey ??= deriveTokenKey(options.clientSecret);
    return cryptoKey;
  };
  /** Tokens handed out by this store, so `delete` knows which one Certn refused. */
  const served = new Map<string, StoredToken>();

  const usable = (token: StoredToken): boolean =>
    token.expiresAt - skewMs > now() && !memory.revoked.has(token.accessToken);

  const forgetExpiredRevocations = (): void => {
    for (const [token, expiresAt] of memory.revoked) if (expiresAt <= now()) memory.revoked.delete(token);
  };

  return {
    stats,
    async get(kvKey) {
      const remembered = memory.tokens.get(kvKey);
      if (remembered !== undefined) {
        if (usable(remembered)) {
          stats.memoryHits++;
          served.set(kvKey, remembered);
          return remembered;
        }
        memory.tokens.delete(kvKey);
      }
      let text: string | null;
      try {
        text = await kv.get(kvKey);
      } catch (error) {
        stats.kvReadFailures++;
        log?.("warn", "token cache read failed", { error: errorKind(error) });
        return undefined;
      }
      const token = text === null ? undefined : await openToken(await key(), kvKey, text);
      if (token === undefined || !usable(token)) {
        stats.kvMisses++;
        return undefined;
      }
      stats.kvHits++;
      memory.tokens.set(kvKey, token);
      served.set(kvKey, token);
      return token;
    },
    async set(kvKey, token) {
      forgetExpiredRevocations();
      memory.tokens.set(kvKey, token);
      served.set(kvKey, token);
      const usableMs = token.expiresAt - skewMs - now();
      // KV refuses an expirationTtl under 60 s; such a short-lived token stays in memory only.
      if (usableMs < MIN_KV_TTL_SECONDS * 1000) {
        stats.skippedWrites++;
        return;
      }
      const expirationTtl = Math.max(MIN_KV_TTL_SECONDS, Math.floor(usableMs / 1000));
      try {
        const sealed = await sealToken(await key(), kvKey, {
          accessToken: token.accessToken,
          expiresAt: token.expiresAt,
        });
        await kv.put(kvKey, sealed, { expirationTtl });
        stats.kvWrites++;
      } catch (error) {
        stats.kvWriteFailures++;
        log?.("warn", "token cache write failed", { error: errorKind(error) });
      }
    },
    async delete(kvKey) {
      // Certn refused the token: never serve it again from memory or from a stale KV read.
      const refused = served.get(kvKey) ?? memory.tokens.get(kvKey);
      if (refused !== undefined) memory.revoked.set(refused.accessToken, refused.expiresAt);
      memory.tokens.delete(kvKey);
      served.delete(kvKey);
      // The KV entry is left for the refresh to overwrite (a delete would be one more write to a
      // key KV allows one write per second on); the jitter spreads the isolates' refreshes.
      await sleep(Math.floor(random() * (REFRESH_JITTER_MS + 1)));
    },
  };
}
