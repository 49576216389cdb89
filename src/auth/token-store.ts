/**
 * Where a client keeps its access token between calls. The default is an in-memory store that
 * belongs to one client instance; the Worker supplies a KV-backed one shared by every isolate.
 * A store that throws never fails a call: the client treats it as a miss and carries on.
 */

/** A cached access token and the moment (ms since the epoch) it stops being valid. */
export interface StoredToken {
  accessToken: string;
  expiresAt: number;
  /**
   * When the token was requested (ms since the epoch), so a reader can work out its lifetime and
   * refresh margin. Optional: stores written by other code may leave it out.
   */
  obtainedAt?: number;
}

/** Token cache. Keys hold the base URL and a hash of the client id, never a secret. */
export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A fresh in-memory {@link TokenStore}; each call makes a separate one. */
export function createMemoryTokenStore(): TokenStore {
  const entries = new Map<string, StoredToken>();
  return {
    async get(key) {
      const entry = entries.get(key);
      return entry ? { ...entry } : undefined;
    },
    async set(key, token) {
      entries.set(key, { ...token });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
