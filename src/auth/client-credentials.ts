/**
 * OAuth2 client credentials with one token request at a time: concurrent callers share the
 * request and its outcome; a token is kept in memory and in the `TokenStore`, refreshed before it
 * expires, dropped after a 401 only if it is still the current one, and never read back from the
 * store once it has failed. A token that comes already expired (`expires_in` of 0 or less) serves
 * the callers that asked for it and is not kept. After a failed request the next one waits at
 * least a second. When the token obtained by a refresh is refused too, no token is requested for
 * a cool-down (see `token-refusals.ts`): calls send their request once with that token, a 2xx
 * makes it the current token again, a 401 fails the call with `CERTN_AUTH_TOKEN_REFUSED`, and
 * `getAccessToken` fails at once with that code.
 */
import type { AppliedCredential } from "../core/authorizer.ts";
import type { SendFunction } from "../core/send.ts";
import type { Sleep } from "../core/sleep.ts";
import type { ClientCredentials, TokenAuthorizer } from "./credentials.ts";
import { tokenStoreKey } from "./token-key.ts";
import { refreshAt } from "./token-lifetime.ts";
import { createTokenRefusals } from "./token-refusals.ts";
import {
  basicAuthorization,
  buildTokenRequest,
  MAX_TOKEN_RESPONSE_BYTES,
  readTokenResponse,
} from "./token-request.ts";
import type { StoredToken, TokenStore } from "./token-store.ts";

/** Least wait between a failed token request and the next one, in ms. */
export const TOKEN_FAILURE_BACKOFF_MS = 1_000;

/** What the client-credentials authorizer needs. */
export interface ClientCredentialsConfig {
  origin: string;
  credentials: ClientCredentials;
  store: TokenStore;
  send: SendFunction;
  now: () => number;
  sleep: Sleep;
}

function isStoredToken(value: unknown): value is StoredToken {
  const token = value as Partial<Record<keyof StoredToken, unknown>> | null | undefined;
  return (
    typeof token?.accessToken === "string" &&
    token.accessToken !== "" &&
    Number.isFinite(token.expiresAt) &&
    (token.obtainedAt === undefined || typeof token.obtainedAt === "number")
  );
}

/** Runs a token store operation; a store that throws is treated as empty or as having accepted the write. */
async function quietly<T>(operation: () => Promise<T>): Promise<T | undefined> {
  try {
    return await operation();
  } catch {
    return undefined;
  }
}

/** An authorizer for OAuth2 client credentials. */
export function createClientCredentialsAuthorizer(config: ClientCredentialsConfig): TokenAuthorizer {
  const { origin, store, send, now, sleep } = config;
  const { clientId, clientSecret } = config.credentials;
  let current: StoredToken | undefined;
  // The current token as attached, made once per token rather than once per request.
  let applied: AppliedCredential | undefined;
  let inflight: Promise<StoredToken> | undefined;
  let lastFailureAt: number | undefined;
  const refusals = createTokenRefusals(now);
  let key: Promise<string> | undefined;

  const storeKey = (): Promise<string> => {
    key ??= tokenStoreKey(origin, clientId);
    return key;
  };

  const acquire = async (): Promise<StoredToken> => {
    const k = await storeKey();
    const stored = await quietly(() => store.get(k));
    if (isStoredToken(stored) && !refusals.isRejected(stored.accessToken) && now() < refreshAt(stored)) {
      // A token nobody refused, from the shared store: obtained some other way, so it ends the
      // refused state (another client or isolate may hold fixed credentials).
      refusals.clear();
      return stored;
    }
    if (refusals.coolingDown()) throw refusals.error();
    if (lastFailureAt !== undefined) {
      const wait = lastFailureAt + TOKEN_FAILURE_BACKOFF_MS - now();
      if (wait > 0) await sleep(wait);
    }
    const obtainedAt = now();
    let fresh: StoredToken;
    try {
      const response = await send(
        buildTokenRequest(origin),
        { auth: false, maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES },
        {
          idempotent: true,
          headers: { Authorization: basicAuthorization(clientId, clientSecret) },
        },
      );
      const { accessToken, expiresInS } = await readTokenResponse(response, origin);
      fresh = { accessToken, expiresAt: obtainedAt + expiresInS * 1000, obtainedAt };
    } catch (error) {
      lastFailureAt = now();
      throw error;
    }
    lastFailureAt = undefined;
    // An already expired token serves this call only (`heldToken` never holds it either).
    if (fresh.expiresAt > obtainedAt) await quietly(() => store.set(k, { ...fresh }));
    return fresh;
  };

  /** The token in memory while it is before its refresh time: used as it is, without a wait. */
  const heldToken = (): string | undefined =>
    current && now() < refreshAt(current) ? current.accessToken : undefined;

  const getToken = async (): Promise<string> => {
    const held = heldToken();
    if (held !== undefined) return held;
    inflight ??= acquire()
      .then((token) => {
        current = token;
        return token;
      })
      .finally(() => {
        inflight = undefined;
      });
    return (await inflight).accessToken;
  };

  // The refused token as it was stored, made current again when the API accepts it after all.
  let refusedToken: StoredToken | undefined;

  /** Drops `token` if it is still the current one, from memory and from the store. */
  const forget = async (token: string): Promise<void> => {
    if (current?.accessToken !== token) return;
    current = undefined;
    // Worst case the next read returns the rejected token, which is then skipped.
    await quietly(async () => store.delete(await storeKey()));
  };

  const bearer = (token: string): AppliedCredential => {
    if (applied?.token !== token) applied = { header: `Bearer ${token}`, token };
    return applied;
  };

  return {
    kind: "client-credentials",
    async authorize() {
      try {
        return bearer(await getToken());
      } catch (error) {
        // In the cool-down no token is requested, but the call still goes out with the last one.
        const last = refusals.lastToken();
        if (last === undefined) throw error;
        return bearer(last);
      }
    },
    held() {
      const held = heldToken();
      return held === undefined ? undefined : bearer(held);
    },
    async refreshAfter401(used) {
      // The cool-down's one attempt was refused: the call fails, and no token is requested.
      if (refusals.coolingDown()) throw refusals.error();
      refusals.reject(used.token);
      await forget(used.token);
      return true;
    },
    async refusedAfterRefresh(used) {
      refusals.refuse(used.token);
      refusedToken = current?.accessToken === used.token ? current : undefined;
      await forget(used.token);
    },
    accepted(used) {
      if (!refusals.accept(used.token)) return;
      if (refusedToken?.accessToken === used.token && current === undefined) {
        const token = refusedToken;
        current = token;
        void quietly(async () => store.set(await storeKey(), { ...token }));
      }
      refusedToken = undefined;
    },
    getAccessToken: getToken,
  };
}
