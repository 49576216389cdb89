/**
 * The rate budget of one Worker run: slots from the credential's `CertnRateLimiter` Durable
 * Object, so every run of every isolate shares Certn's windows. The object answers with a wait,
 * which is slept here (abortable), never inside the object; a durable run bounds that wait
 * (`maxWaitMs`) and sleeps a longer one as a Workflow step instead. Without the binding, or when
 * a call to the object fails, the run falls back to an in-process limiter with the same windows
 * (a failure is logged when it happens, the source of the slots in the run's log line): pacing
 * must never fail a run. One budget per run: its stub belongs to the invocation that made it.
 */
import type { Collection } from "../collection/model.ts";
import { sleep } from "../core/sleep.ts";
import {
  collectionRateLimits,
  createRateLimiter,
  type RateBudget,
  type RateLimit,
  RateLimitWaitAborted,
  RunnerErrorCode,
} from "../runner/index.ts";
import type { CertnCredentials, WorkerConfig } from "./config.ts";
import type { Env } from "./env.ts";
import { errorKind, type LogFields, type Logger } from "./log.ts";
import type { CertnRateLimiter, RateGrant } from "./rate-limiter-object.ts";

/** What {@link createCredentialBudget} needs. */
export interface CredentialBudgetOptions {
  /** The `RATE_LIMITER` binding; without it the run paces itself in-process. */
  namespace: Env["RATE_LIMITER"];
  credentials: CertnCredentials;
  baseUrl: string;
  /** The credential's windows (`RUNNER_RATE_LIMIT`, or Certn's defaults). */
  limits: readonly RateLimit[];
  log: Logger;
  /**
   * The longest one `acquire` waits in place, in ms (default: as long as the budget says). A
   * longer wait throws {@link SlotNotTaken} at once: a durable step must not spend its timeout
   * waiting, so it sleeps that wait with `step.sleep` and asks again.
   */
  maxWaitMs?: number;
}

/**
 * Shortest pause of a 429 that says no `Retry-After` (Certn documents neither the headers nor the
 * body of its 429s): the credential's object pauses it until the oldest request its shortest
 * window counts leaves that window, at least this long; the in-process fallback this long.
 */
export const UNANNOUNCED_429_PAUSE_MS = 1_000;

/** How the message of {@link SlotNotTaken} starts, so a recorded item error can be recognised. */
const SLOT_NOT_TAKEN = "no rate-limit slot was taken";
const SLOT_WAIT = / \(retry in (\d+) ms\)$/;

/**
 * Why a bounded budget gave no slot, so the attempt was not sent: the credential's budget asks to
 * wait longer than the caller may wait in place, or the caller's time to send is spent. `waitMs`
 * is when to ask again. An item that cannot ask again reports it as `CERTN_RATE_LIMITED`.
 */
export class SlotNotTaken extends Error {
  readonly code = RunnerErrorCode.RATE_LIMITED;
  readonly waitMs: number;

  constructor(reason: string, waitMs: number) {
    const wait = Math.max(0, Math.ceil(waitMs));
    super(`${SLOT_NOT_TAKEN}: ${reason} (retry in ${wait} ms)`);
    this.name = "SlotNotTaken";
    this.waitMs = wait;
  }
}

/**
 * The wait of a recorded item error that {@link SlotNotTaken} caused, else undefined.
 * @example
 * const waitMs = recorded.ok ? undefined : slotWaitOf(recorded.error);
 */
export function slotWaitOf(error: { code: string; message: string }): number | undefined {
  if (error.code !== RunnerErrorCode.RATE_LIMITED || !error.message.startsWith(SLOT_NOT_TAKEN))
    return undefined;
  const wait = SLOT_WAIT.exec(error.message)?.[1];
  return wait === undefined ? undefined : Number(wait);
}

/**
 * `budget`, refusing any slot once `sendUntil()` has passed (checked before asking and again once
 * granted, a late grant being settled unused), so code that outlived its Workflow step's timeout
 * never sends.
 * @example
 * const gated = untilSendTime(budget, () => stepStartedAt + SEND_WINDOW_MS);
 */
export function untilSendTime(budget: RateBudget, sendUntil: () => number): RateBudget {
  const refusal = (): SlotNotTaken =>
    new SlotNotTaken("this durable step's time to send is spent; nothing more is sent from it", 0);
  return {
    async acquire(signal) {
      if (Date.now() >= sendUntil()) throw refusal();
      const release = await budget.acquire(signal);
      if (Date.now() < sendUntil()) return release;
      release();
      throw refusal();
    },
    report429: (retryAfterMs) => budget.report429(retryAfterMs),
  };
}

/** A run's budget, with what it measured (for the run's log line and the bench). */
export interface CredentialBudget extends RateBudget {
  /** Waits for the settle and 429 calls still on their way to the object (failures are logged). */
  drain(): Promise<void>;
  readonly stats: BudgetStats;
}

/** Counters of one run's budget. */
export interface BudgetStats {
  /** Calls of the object's `acquire` (a wait makes one slot take more than one). */
  calls: number;
  /** Round-trip time of each `acquire` call, in ms. */
  callMs: number[];
  /**
   * Where the slots come from: the credential's object, or the run's own in-process limiter
   * because the binding is missing or a call to the object failed.
   */
  source: "object" | "in-process: no binding" | "in-process: object failed";
}

/**
 * The object's name for a credential: SHA-256 of its kind, its public identifier (the client id,
 * or the API key, which is the whole credential, hence the hash) and the base URL. Never the
 * client secret.
 * @example
 * const name = await credentialBudgetName({ kind: "api-key", apiKey, apiKeyScheme: "Api-Key" }, baseUrl);
 * const stub = env.RATE_LIMITER.getByName(name);
 */
export async function credentialBudgetName(credentials: CertnCredentials, baseUrl: string): Promise<string> {
  const id =
    credentials.kind === "client-credentials"
      ? credentials.clientId
      : credentials.kind === "api-key"
        ? credentials.apiKey
        : "";
  const text = `${credentials.kind}\u0000${id}\u0000${baseUrl}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The budget of one run: the credential's Durable Object, or the in-process limiter when there
 * is no binding (logged once) or the object fails (logged, and the rest of the run paces itself).
 * @example
 * const budget = createCredentialBudget({ namespace: env.RATE_LIMITER, credentials, baseUrl, limits, log });
 * const result = await runCollection(collection, { client, rateLimiter: budget });
 * await budget.drain();
 */
export function createCredentialBudget(options: CredentialBudgetOptions): CredentialBudget {
  const { namespace, credentials, baseUrl, limits, log, maxWaitMs } = options;
  const stats: BudgetStats = { calls: 0, callMs: [], source: "object" };
  let local: RateBudget | undefined;
  const fallBack = (source: Exclude<BudgetStats["source"], "object">, error?: unknown): RateBudget => {
    if (local === undefined) {
      stats.source = source;
      // A missing binding is a deployment's choice, told once per run in its "run finished" line.
      if (error !== undefined) {
        log("warn", "rate limiter object failed; this run paces itself in-process", {
          error: errorKind(error),
        });
      }
      local = createRateLimiter(limits);
    }
    return local;
  };

  /** The credential's object, named once per run (hashing is asynchronous). */
  let stub: Promise<DurableObjectStub<CertnRateLimiter>> | undefined;
  const pending = new Set<Promise<void>>();
  const send = (what: string, call: () => Promise<unknown>): void => {
    const sent = call().then(
      () => undefined,
      (error: unknown) => log("warn", "rate limiter call failed", { call: what, error: errorKind(error) }),
    );
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
  };
  const windows = limits.map((limit) => ({ requests: limit.requests, perMs: limit.perMs }));

  return {
    stats,
    async acquire(signal) {
      let waited = 0;
      for (;;) {
        // Decided at the first slot, so a run that sends nothing (a dry run, a replay) logs nothing.
        if (namespace === undefined)
          return boundedLocal(fallBack("in-process: no binding"), signal, maxWaitMs);
        if (local !== undefined)
          return boundedLocal(local, signal, maxWaitMs === undefined ? undefined : maxWaitMs - waited);
        if (signal?.aborted) throw new RateLimitWaitAborted();
        let grant: RateGrant;
        const started = Date.now();
        try {
          stub ??= credentialBudgetName(credentials, baseUrl).then((name) => namespace.getByName(name));
          grant = await (await stub).acquire(windows);
        } catch (error) {
          fallBack("in-process: object failed", error);
          continue;
        }
        stats.calls += 1;
        stats.callMs.push(Date.now() - started);
        if (grant.granted) {
          const { slot } = grant;
          return () => send("settle", async () => (await stub)?.settle(slot));
        }
        if (maxWaitMs !== undefined && waited + grant.waitMs > maxWaitMs) {
          throw new SlotNotTaken(
            `the credential's rate budget asks to wait ${Math.ceil(grant.waitMs / 1000)} s, longer than a durable step waits in place`,
            grant.waitMs,
          );
        }
        waited += grant.waitMs;
        await sleep(grant.waitMs, signal);
      }
    },
    report429(retryAfterMs) {
      // A 429 without Retry-After pauses too (the object: until its shortest window frees a slot).
      local?.report429(retryAfterMs > 0 ? retryAfterMs : UNANNOUNCED_429_PAUSE_MS);
      if (stub !== undefined && stats.source === "object") {
        const reporting = stub;
        send("report429", async () => (await reporting).report429(retryAfterMs, windows));
      }
    },
    async drain() {
      await Promise.all([...pending]);
    },
  };
}

/**
 * `local.acquire`, given up after `maxWaitMs` (when set) with {@link SlotNotTaken}; the in-process
 * limiter cannot say its wait in advance, so the bound is what is waited.
 */
async function boundedLocal(
  local: RateBudget,
  signal: AbortSignal | undefined,
  maxWaitMs: number | undefined,
): Promise<() => void> {
  if (maxWaitMs === undefined) return local.acquire(signal);
  const bound = AbortSignal.timeout(Math.max(1, maxWaitMs));
  try {
    return await local.acquire(signal === undefined ? bound : AbortSignal.any([signal, bound]));
  } catch (error) {
    if (!(error instanceof RateLimitWaitAborted) || signal?.aborted === true) throw error;
    throw new SlotNotTaken(
      "the run's own rate limiter has no slot within the wait a durable step allows",
      maxWaitMs,
    );
  }
}

/**
 * The budget of one run of `collection`: the credential's windows (`RUNNER_RATE_LIMIT`, else
 * Certn's defaults for the collection's API) from the `RATE_LIMITER` binding.
 * @example
 * const budget = runBudget(env, config, collection, log);
 * await runCollection(collection, { client, rateLimiter: budget });
 */
export function runBudget(
  env: Env,
  config: WorkerConfig,
  collection: Collection,
  log: Logger,
  bounds: Pick<CredentialBudgetOptions, "maxWaitMs"> = {},
): CredentialBudget {
  return createCredentialBudget({
    namespace: env.RATE_LIMITER,
    credentials: config.credentials,
    baseUrl: config.baseUrl,
    limits: config.rateLimits ?? collectionRateLimits(collection, config.baseUrl),
    log,
    ...bounds,
  });
}

/** The nearest-rank percentile `p` (0..100) of `values`, or 0 when there are none. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/**
 * What a run's log line says of its budget: where its slots came from, calls to the object and
 * their round trip (p50, p99 in ms).
 * @example
 * log("info", "run finished", { runId, ...budgetLogFields(budget.stats) });
 */
export function budgetLogFields(stats: BudgetStats): LogFields {
  return {
    rateLimiterCalls: stats.calls,
    rateLimiterP50Ms: percentile(stats.callMs, 50),
    rateLimiterP99Ms: percentile(stats.callMs, 99),
    rateLimiter: stats.source,
  };
}
