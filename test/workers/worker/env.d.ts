// The test pool's bindings (vitest.config.ts declares TOKEN_CACHE and COLLECTIONS).
declare namespace Cloudflare {
  interface Env {
    TOKEN_CACHE: KVNamespace;
    COLLECTIONS: KVNamespace;
  }
}
