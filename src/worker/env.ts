import type { CertnRateLimiter } from "./rate-limiter-object.ts";

/**
 * The Worker's bindings: vars, secrets, KV namespaces, D1 and the Workflow, named as in the design's
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
  /** Wall-clock limit of a durable run, in ms (default 30 days). */
  RUNNER_DURABLE_DEADLINE_MS?: string;
  /**
   * "true" lets monitor alerts go to 127.0.0.1 (`http:` too), in the development entry only (the
   * production entry ignores it), so a receiver on the same machine can be tried.
   */
  RUNNER_ALERTS_ALLOW_LOOPBACK?: string;
  /**
   * Hex SHA-256 of the one-click console sign-in code `npm start` printed, and when it was made
   * (ms since the epoch); read by the development entry only (`POST /console/login`).
   */
  CONSOLE_LOGIN_CODE_SHA256?: string;
  CONSOLE_LOGIN_CODE_ISSUED_AT?: string;
  /** Signing secret of `Certn-Signature` on `POST /webhooks/certn`. */
  CERTN_WEBHOOK_SECRET?: string;
  /** Key of the `X-Signature` HMAC on `POST /webhooks/certncentric`. */
  CERTN_CENTRIC_WEBHOOK_SECRET?: string;
  TOKEN_CACHE: KVNamespace;
  COLLECTIONS: KVNamespace;
  /** Run records, idempotency keys, webhook events and waits (migrations in `migrations/`); without it runs are not recorded and durable runs, Idempotency-Key and webhooks answer 503. */
  DB?: D1Database;
  /** Run results too large for their D1 row (over 900 KB), by run id; optional (without it such a result keeps only the items that did not pass). */
  RESULTS?: KVNamespace;
  /** Durable runs: the `CollectionRun` Workflow. */
  RUNS?: Workflow<DurableRunParams>;
  /** One rate budget per Certn credential (`CertnRateLimiter`); without it each run paces itself. */
  RATE_LIMITER?: DurableObjectNamespace<CertnRateLimiter>;
  /** Certn's windows, as `<count>/<window>,...` (default 240/60s,14400/1d; CertnCentric 60/60s,7220/1d). */
  RUNNER_RATE_LIMIT?: string;
}

/**
 * What a durable run's Workflow instance is created with: its id (the request is in D1) and, for
 * a run a monitor started, that monitor (its alert is sent when the run ends).
 */
export interface DurableRunParams {
  runId: string;
  monitor?: { owner: string; id: string };
}
