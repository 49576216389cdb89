/**
 * `Idempotency-Key` on the POSTs that start a run: the same caller, key and body give back the
 * first run and never start a second (an immediate run's result in the format the repeat asks
 * for); the same key with another body is 422; a repeat while an immediate first run is still
 * running is 409, and so is one after it ended without a result.
 */
import { type RunResult, toJUnit, toNdjsonLine } from "../runner/index.ts";
import type { CertnCredentials } from "./config.ts";
import { hmacKeyDeriver } from "./derived-keys.ts";
import type { Env } from "./env.ts";
import { configError, WorkerError } from "./errors.ts";
import type { OutputFormat } from "./output-format.ts";
import { json } from "./routes/context.ts";
import { loadStoredResult } from "./run-records.ts";
import { claimIdempotencyKey, takeOverIdempotencyKey } from "./store/idempotency-keys.ts";
import { FINAL_STATUSES, getRun } from "./store/runs.ts";

/** The header's name, as the errors name it. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** Age after which a claim whose run was never recorded is taken over by a repeat. */
export const STALE_CLAIM_MS = 10 * 60 * 1000;

/** 1 to 255 printable ASCII characters (space to tilde). */
const KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

/** The request's idempotency key, or undefined; 400 for a malformed one. */
export function readIdempotencyKey(headers: Headers): string | undefined {
  const value = headers.get(IDEMPOTENCY_HEADER);
  if (value === null) return undefined;
  if (!KEY_PATTERN.test(value)) {
    throw new WorkerError(
      "INVALID_HEADER",
      `the ${IDEMPOTENCY_HEADER} header must be 1 to 255 printable ASCII characters`,
    );
  }
  return value;
}

/** The key request digests are made under, from {@link idempotencySecret}. */
const digestKey = hmacKeyDeriver(
  "certn-edge/idempotency-keys",
  "certn-edge idempotency request digest v1 hmac-sha256",
);

/**
 * The secret a request digest is keyed under: the Certn secret (`CERTN_CLIENT_SECRET`, else
 * `CERTN_API_KEY`, as durable runs are sealed), else `RUNNER_JWT_SECRET`. Every run that sends
 * anything has the first, and HS256 callers the second; only a dry run on a deployment with
 * neither (Cloudflare Access and no Certn credentials) has no secret, and its key is refused.
 * @throws WorkerError 503 `CONFIG_ERROR` when the deployment has neither.
 */
export function idempotencySecret(
  credentials: CertnCredentials,
  env: Pick<Env, "RUNNER_JWT_SECRET">,
): string {
  if (credentials.kind === "client-credentials") return credentials.clientSecret;
  if (credentials.kind === "api-key") return credentials.apiKey;
  const jwtSecret = env.RUNNER_JWT_SECRET;
  if (typeof jwtSecret === "string" && jwtSecret !== "") return jwtSecret;
  throw configError(
    `${IDEMPOTENCY_HEADER} needs a deployment secret to key what D1 keeps of the request: set the Certn credentials (CERTN_CLIENT_SECRET or CERTN_API_KEY) or RUNNER_JWT_SECRET, or send the request without the header`,
  );
}

/**
 * Hex HMAC-SHA256 of the route and the body bytes, so one key cannot name two different requests,
 * under a key derived by HKDF from `secret` ({@link idempotencySecret}). The body holds secrets
 * and data rows: a plain hash of it in D1 would let its readers confirm guesses offline (a PIN
 * falls at once). It is stored in `idempotency_keys.body_hash` (the column kept its name; see
 * migrations/0008): claims written before hold a plain SHA-256, dropped by that migration, so a
 * repeat of one within its 24 hours is refused as another body instead of replayed, never run
 * twice. So is a repeat after the secret was rotated.
 * @example
 * const bodyHash = await requestHash(idempotencySecret(config.credentials, env), "/runs", body);
 */
export async function requestHash(secret: string, route: string, body: Uint8Array): Promise<string> {
  const prefix = new TextEncoder().encode(`${route}\n`);
  const bytes = new Uint8Array(prefix.byteLength + body.byteLength);
  bytes.set(prefix);
  bytes.set(body, prefix.byteLength);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await digestKey(secret), bytes));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A claimed key (the run may start) or the answer to give instead. */
export type IdempotencyOutcome = { claimed: true } | { claimed: false; response: Response };

/**
 * Claims `key` for `runId` before anything is sent. When the key was claimed before: the first
 * run's answer (an immediate run's stored result rendered in `claim.format` by
 * {@link replayResult}, a durable run's 202) with `Idempotent-Replayed: true`, else 409 while it
 * runs, or 422 for another body.
 */
export async function claimOrReplay(
  db: D1Database,
  results: KVNamespace | undefined,
  claim: {
    owner: string;
    key: string;
    bodyHash: string;
    runId: string;
    now: number;
    /** How long an immediate run may last (`RUNNER_DEADLINE_MS`): one still "running" well past it died with its isolate. */
    immediateDeadlineMs: number;
    /** The format this request asks for (`negotiateOutput`), which a replayed result is given in. */
    format: OutputFormat;
  },
): Promise<IdempotencyOutcome> {
  const earlier = await claimIdempotencyKey(db, claim);
  if (earlier === undefined) return { claimed: true };
  if (earlier.bodyHash !== claim.bodyHash) {
    throw new WorkerError(
      "IDEMPOTENCY_KEY_REUSED",
      `this ${IDEMPOTENCY_HEADER} was used with another request body; use a new key for a new request`,
    );
  }
  const run = earlier.runId === "" ? undefined : await getRun(db, earlier.runId);
  const inUse = new WorkerError(
    "IDEMPOTENCY_KEY_IN_USE",
    `the first run of this ${IDEMPOTENCY_HEADER} is still running; retry when it has ended`,
    { headers: { "retry-after": "1" } },
  );
  if (run === undefined) {
    // Its run was never recorded, and a start records it within seconds (a token at most comes
    // first): after STALE_CLAIM_MS the request that claimed it is gone, having sent nothing.
    const stale = earlier.runId !== "" && claim.now - earlier.createdAt > STALE_CLAIM_MS;
    const { owner, key, runId: to, now } = claim;
    if (stale && (await takeOverIdempotencyKey(db, { owner, key, from: earlier.runId, to, now }))) {
      return { claimed: true };
    }
    throw inUse;
  }
  const replayed = { "idempotent-replayed": "true", "x-run-id": run.runId };
  if (run.mode === "durable") {
    return {
      claimed: false,
      response: json({ runId: run.runId, status: run.status }, 202, {
        ...replayed,
        location: `/runs/${run.runId}`,
      }),
    };
  }
  // An immediate run ends within its deadline; one still "running" a minute past it never
  // recorded its end (its isolate was evicted) and will not end now.
  const running = !FINAL_STATUSES.has(run.status);
  const died = running && claim.now - run.createdAt > claim.immediateDeadlineMs + 60_000;
  if (running && !died) throw inUse;
  if (run.result === undefined) {
    // It ended without a result (it failed unexpectedly after it started, so it may have sent
    // orders): running it again could order twice, and "still running" would have the client
    // retry for as long as the key lasts.
    throw new WorkerError(
      "IDEMPOTENCY_KEY_SPENT",
      `the first run of this ${IDEMPOTENCY_HEADER} (${run.runId}) ended ${died ? "(its Worker stopped)" : run.status} without a result and is not run again; see GET /runs/${run.runId}, or use a new key for a new run`,
      { headers: { location: `/runs/${run.runId}`, "x-run-id": run.runId } },
    );
  }
  const stored = await loadStoredResult(run.result, results);
  return { claimed: false, response: replayResult(stored, claim.format, replayed) };
}

/**
 * An immediate run's stored result, answered as the first run would have answered in `format`:
 * JSON as stored, JUnit rendered from it, NDJSON as the one `result` line that ends a run's
 * stream (an immediate run's events are not kept). The stored result is the same whatever the
 * first request asked for. One no longer kept (`{ "resultExpired": true }`) cannot be rendered and
 * is answered as JSON whatever was asked for, its Content-Type saying so.
 */
function replayResult(stored: unknown, format: OutputFormat, headers: Record<string, string>): Response {
  if (format === "json" || !isRunResult(stored)) return json(stored, 200, headers);
  const [body, contentType] =
    format === "junit"
      ? [toJUnit(stored), "application/xml; charset=utf-8"]
      : [toNdjsonLine({ type: "result", result: stored }), "application/x-ndjson; charset=utf-8"];
  return new Response(body, {
    headers: { ...headers, "content-type": contentType, "cache-control": "no-store" },
  });
}

/** True for a stored run result (whole or with `itemsOmitted`), false for `{ resultExpired: true }`. */
function isRunResult(value: unknown): value is RunResult {
  if (typeof value !== "object" || value === null) return false;
  const { items, summary } = value as Record<string, unknown>;
  return Array.isArray(items) && typeof summary === "object" && summary !== null;
}
