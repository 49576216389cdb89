// The test pool's bindings (vitest.config.ts declares TOKEN_CACHE, COLLECTIONS, RESULTS and DB, migrated).
declare namespace Cloudflare {
  interface Env {
    TOKEN_CACHE: KVNamespace;
    COLLECTIONS: KVNamespace;
    DB: D1Database;
  }
}
