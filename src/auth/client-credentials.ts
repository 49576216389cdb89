/**
 * OAuth2 client credentials with one token request at a time: concurrent callers share the
 * request and its outcome; a token is kept in memory and in the `TokenStore`, refreshed before it
 * expires, dropped after a 401 only if it is still the current one, and never read back from the
 * store once it has failed. After a failed request the next one waits at least a second.
 */
import type { SendFunction } from "../core/send.ts";
import type { Sleep } from "../core/sleep.ts";
import type { ClientCredentials, TokenAuthorizer } from "./credentials.ts";
import { tokenStoreKey } from "./token-key.ts";
import { refreshAt } from "./token-lifetime.ts";
import { basicAuthorization, buildTokenRequest, readTokenResponse } from "./token-request.ts";
import type { StoredToken, TokenStore } from "./token-store.ts";

/** Least wait between a failed token request and the next one, in ms. */
export const TOKEN_FAILURE_BACKOFF_MS = 1_000;
/** How many tokens that got a 401 are remembered, so a store cannot hand them back. */
const REJECTED_MEMORY = 8;

/** What the client-credentials authorizer needs. */
export interface ClientCredentialsConfig {
  origin: string;
  credentials: ClientCredentials;
  store: TokenStore;
  send: SendFunction;
  now: () => number;
  sleep: Sleep;
}

interface CurrentToken {
  token: string;
  expiresAt: number;
  obtainedAt?: number;
  refreshAt: number;
}

function isStoredToken(value: unknown): value is StoredToken {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.accessToken === "string" &&
    record.accessToken !== "" &&
    typeof record.expiresAt === "number" &&
    Number.isFinite(record.expiresAt) &&
    (record.obtainedAt === undefined || typeof record.obtainedAt === "number")
  );
}

/** An authorizer for OAuth2 client credentials. */
export function createClientCredentialsAuthorizer(config: ClientCredentialsConfig): TokenAuthorizer {
  const { origin, store, send, now, sleep } = config;
  const { clientId, clientSecret } = config.credentials;
  let current: CurrentToken | undefined;
  let inflight: Promise<CurrentToken> | undefined;
  let lastFailureAt: number | undefined;
  const rejected: string[] = [];
  let key: Promise<string> | undefined;

  const storeKey = (): Promise<string> => {
    key ??= tokenStoreKey(origin, clientId);
    return key;
  };

  // A store that throws is treated as empty or as having accepted the write.
  const readStore = async (k: string): Promise<StoredToken | undefined> => {
    try {
      const value: unknown = await store.get(k);
      return isStoredToken(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
  const writeStore = async (k: string, token: StoredToken): Promise<void> => {
    try {
      await store.set(k, token);
    } catch {
      // The fresh token is still used from memory.
    }
  };
  const deleteFromStore = async (k: string): Promise<void> => {
    try {
      await store.delete(k);
    } catch {
      // Worst case the next read returns the rejected token, which is then skipped.
    }
  };

  const requestToken = async (): Promise<CurrentToken> => {
    const sentAt = now();
    const response = await send(buildTokenRequest(origin), {
      auth: false,
      idempotent: true,
      trustedHeaders: { Authorization: basicAuthorization(clientId, clientSecret) },
    });
    const { accessToken, expiresInS } = await readTokenResponse(response, origin);
    const stored: StoredToken = { accessToken, expiresAt: sentAt + expiresInS * 1000, obtainedAt: sentAt };
    return {
      token: accessToken,
      expiresAt: stored.expiresAt,
      obtainedAt: sentAt,
      refreshAt: refreshAt(stored),
    };
  };

  const acquire = async (): Promise<CurrentToken> => {
    const k = await storeKey();
    const stored = await readStore(k);
    if (stored && !rejected.includes(stored.accessToken) && now() < refreshAt(stored)) {
      return { token: stored.accessToken, expiresAt: stored.expiresAt, refreshAt: refreshAt(stored) };
    }
    if (lastFailureAt !== undefined) {
      const wait = lastFailureAt + TOKEN_FAILURE_BACKOFF_MS - now();
      if (wait > 0) await sleep(wait);
    }
    let fresh: CurrentToken;
    try {
      fresh = await requestToken();
    } catch (error) {
      lastFailureAt = now();
      throw error;
    }
    lastFailureAt = undefined;
    await writeStore(k, {
      accessToken: fresh.token,
      expiresAt: fresh.expiresAt,
      ...(fresh.obtainedAt !== undefined ? { obtainedAt: fresh.obtainedAt } : {}),
    });
    return fresh;
  };

  const getToken = async (): Promise<string> => {
    if (current && now() < current.refreshAt) return current.token;
    inflight ??= acquire()
      .then((token) => {
        current = token;
        return token;
      })
      .finally(() => {
        inflight = undefined;
      });
    return (await inflight).token;
  };

  return {
    kind: "client-credentials",
    async authorize() {
      const token = await getToken();
      return { header: `Bearer ${token}`, token };
    },
    async refreshAfter401(used) {
      if (!rejected.includes(used.token)) {
        rejected.push(used.token);
        if (rejected.length > REJECTED_MEMORY) rejected.shift();
      }
      if (current?.token === used.token) {
        current = undefined;
        await deleteFromStore(await storeKey());
      }
      return true;
    },
    getAccessToken: getToken,
  };
}
