/**
 * The Worker's bindings: vars, secrets and KV namespaces, named as in the design's
 * configuration table (deployments depend on these names).
 */
export interface Env {
  CERTN_BASE_URL?: string;
  CERTN_CLIENT_ID?: string;
  CERTN_CLIENT_SECRET?: string;
  CERTN_API_KEY?: string;
  CERTN_API_KEY_SCHEME?: string;
  RUNNER_JWT_SECRET?: string;
  RUNNER_JWKS_URL?: string;
  RUNNER_JWT_ISSUER?: string;
  RUNNER_JWT_AUDIENCE?: string;
  RUNNER_DEFAULT_SCOPES?: string;
  RUNNER_SUBREQUEST_BUDGET?: string;
  RUNNER_DEADLINE_MS?: string;
  TOKEN_CACHE: KVNamespace;
  COLLECTIONS: KVNamespace;
}
