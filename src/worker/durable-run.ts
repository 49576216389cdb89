/**
 * A durable run, as the `CollectionRun` Workflow executes it. The runner drives the run through
 * Workflows steps (see src/runner/durable-steps.ts): each upstream exchange is one `step.do`
 * (POST/PUT/PATCH never retried by the engine), each poll interval a `step.sleep`, each webhook
 * wait a take step plus `step.waitForEvent`. The engine replays the code from the start after
 * every pause, so everything outside steps is deterministic: the clock is a cursor read from step
 * outputs, events are numbered in emission order and written once, and the run record is updated
 * with idempotent writes.
 */
import type { WorkflowEvent, WorkflowStep, WorkflowStepConfig } from "cloudflare:workers";
import type { Collection, WebhookSource } from "../collection/model.ts";
import type { JsonValue } from "../core/json.ts";
import { createSecretMasker } from "../core/mask-secrets.ts";
import { MAX_RATE_LIMIT_WINDOW_MS } from "../core/rate-windows.ts";
import {
  type RecordedExchange,
  type RunEvent,
  RunnerErrorCode,
  runCollection,
  secretTexts,
  toNdjsonLine,
  type WebhookWait,
} from "../runner/index.ts";
import { createRequestClient, type TokenStoreSeams } from "./certn-client.ts";
import { type CertnCredentials, readWorkerConfig, type WorkerConfig } from "./config.ts";
import { runSealer } from "./durable-seal.ts";
import { INPUTS_PURPOSE, type StoredRunRequest } from "./durable-start.ts";
import type { DurableRunParams, Env } from "./env.ts";
import { afterChildEnded, executeFanOut } from "./fan-out.ts";
import { consoleLogger, errorKind, type Logger } from "./log.ts";
import { attemptAlert } from "./monitor-alert.ts";
import { runBudget, slotWaitOf, untilSendTime } from "./rate-budget.ts";
import type { WebhookEventPayload } from "./routes/webhooks.ts";
import type { WorkerRunInputs } from "./run-inputs.ts";
import {
  advanceProgress,
  countLeafItems,
  progressOfSummary,
  statusOfSummary,
  storedResultText,
} from "./run-records.ts";
import { appendEvents, maxEventSeq } from "./store/run-events.ts";
import {
  getRunRequest,
  isCancelRequested,
  NO_PROGRESS,
  type RunProgress,
  type RunStatus,
  updateRun,
} from "./store/runs.ts";
import { closeUnansweredWait, closeWait, openWait } from "./store/waits.ts";
import { untakenEvents } from "./store/webhook-events.ts";
import { takeForWait } from "./store/webhook-takes.ts";
import { EventComparison, matchKey, storedMatch } from "./wait-match.ts";
import { instanceStatus } from "./workflow-instance.ts";

/** What a durable run needs beyond its bindings; the entries' defaults reach Certn for real. */
export interface DurableRunDeps {
  certnFetch?: typeof fetch;
  credentials?: CertnCredentials | ((collection: Collection) => CertnCredentials);
  tokenStore?: TokenStoreSeams;
  log?: Logger;
  /** The `fetch` monitor alerts are sent with (default: the platform's). */
  alertFetch?: typeof fetch;
  /** Accept alert URLs on 127.0.0.1 (the development entry and tests only). */
  allowLoopbackAlerts?: boolean;
}

/** Default wall-clock limit of a durable run: 30 days. */
export const DEFAULT_DURABLE_DEADLINE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Largest recorded exchange a durable step keeps, as JSON bytes. A step's output is limited to
 * 1 MiB; sealing adds a third (base64), so 700 KB of JSON leaves room.
 */
export const MAX_DURABLE_EXCHANGE_BYTES = 700 * 1024;

/** Longest step name the engine accepts is 256 characters; ours stay well under it. */
const MAX_STEP_NAME = 200;

/** FNV-1a of a string, as 8 hex digits (deterministic, synchronous). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * The engine's name for a runner step: control characters become spaces (the engine refuses
 * them) and a long name keeps its start plus a hash of the whole, so names stay unique and stable.
 */
export function engineStepName(name: string, suffix = ""): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the engine refuses these characters
  const clean = name.replace(/[\x00-\x1f\x7f]/g, " ");
  const room = MAX_STEP_NAME - suffix.length;
  const fitted = clean.length <= room ? clean : `${clean.slice(0, room - 10)} #${fnv1a(name)}`;
  return `${fitted}${suffix}`;
}

/** The `waitForEvent` type of a wait: `w-` and a hash of its name (letters, digits and `-` only). */
export function waitEventType(runnerName: string): string {
  return `w-${fnv1a(runnerName)}${fnv1a(`${runnerName}\u0000`)}`;
}

/**
 * An exchange too large for a step's output becomes an item error (refused, not truncated: a cut
 * body would make assertions and captures lie). Measured as the JSON the step records, so
 * escaping and headers count too.
 */
function capExchange(recorded: RecordedExchange): RecordedExchange {
  if (!recorded.ok) return recorded;
  const bytes = new TextEncoder().encode(JSON.stringify(recorded)).byteLength;
  if (bytes <= MAX_DURABLE_EXCHANGE_BYTES) return recorded;
  return {
    ok: false,
    attempts: recorded.attempts,
    error: {
      code: RunnerErrorCode.RESPONSE_TOO_LARGE,
      message: `the response (status ${recorded.status}) takes ${bytes} bytes, over the ${MAX_DURABLE_EXCHANGE_BYTES} a durable run keeps per request; run this collection immediately instead`,
    },
  };
}

function deadlineOf(env: Env): number {
  const value = Number(env.RUNNER_DURABLE_DEADLINE_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_DURABLE_DEADLINE_MS;
}

/**
 * The longest an exchange step waits in place for a slot of the credential's budget; a longer
 * wait (a spent window, a 429's pause) ends the step unsent and is slept with `step.sleep`.
 */
export const MAX_SLOT_WAIT_IN_STEP_MS = 30_000;
/** The shortest durable sleep before asking the budget again. */
const MIN_SLOT_SLEEP_MS = 1_000;

/**
 * Most rounds of one exchange (each a step and a sleep): a Certn that keeps answering 429 with a
 * long Retry-After errors the item after this many, within the steps workflow-steps.ts keeps for
 * such waits.
 */
const MAX_EXCHANGE_ROUNDS = 25;

/**
 * How long to sleep before an exchange that ended unanswered may be sent again, else undefined
 * (its output stands). Two cases, both of which sent nothing Certn processed: no rate-limit slot
 * was taken for an attempt (the first, or a retry the client's policy wanted: any method after a
 * 429, an idempotent one after a 5xx or a timeout), or Certn's last answer was a 429 whose
 * `Retry-After` is longer than the step may wait (Certn answers 429 before processing, so even a
 * POST that orders may be sent again).
 */
function waitToSendAgain(output: Extract<RecordedExchange, { ok: false }>): number | undefined {
  const slotWait = slotWaitOf(output.error);
  if (slotWait !== undefined) return slotWait;
  const last = output.attempts[output.attempts.length - 1];
  if (output.error.code !== RunnerErrorCode.RATE_LIMITED || last?.status !== 429) return undefined;
  return last.retryAfterMs !== undefined && last.retryAfterMs > 0 ? last.retryAfterMs : undefined;
}
/** An exchange step's timeout, set explicitly (it is the engine's default too). */
export const EXCHANGE_STEP_TIMEOUT_MS = 10 * 60_000;
/**
 * No attempt of an exchange step starts later than this after the step began, so the last one
 * (30 s by default, `timeoutMs`) ends within the step's timeout, and code still running after the
 * engine gave up on its step (which does not stop it) never sends.
 */
export const EXCHANGE_SEND_WINDOW_MS = 5 * 60_000;

const WRITE_CONFIG: WorkflowStepConfig = {
  retries: { limit: 0, delay: 0 },
  timeout: EXCHANGE_STEP_TIMEOUT_MS,
};
const READ_CONFIG: WorkflowStepConfig = {
  retries: { limit: 2, delay: "5 seconds", backoff: "exponential" },
  timeout: EXCHANGE_STEP_TIMEOUT_MS,
};
/** A monitor's alert: 5 attempts over about 8 minutes (30 s, 1, 2 and 4 min apart). */
const ALERT_CONFIG: WorkflowStepConfig = {
  retries: { limit: 4, delay: "30 seconds", backoff: "exponential" },
  timeout: "1 minute",
};

/** What a step records besides its output: when it ended (the replay clock). */
interface Timed<T> {
  at: number;
  value: T;
}

/** What the failure handler of a durable run knows of it so far. */
interface RunSoFar {
  progress: RunProgress;
  parent?: StoredRunRequest["parent"];
  config?: Pick<WorkerConfig, "baseUrl" | "credentials">;
  /** The failure was handled where it happened (a fan-out parent's). */
  handled?: boolean;
}

/**
 * Runs durable run `event.payload.runId` to its end; returns its final status and summary. A run
 * that fails, its set-up included (a record that cannot be read, a Certn secret rotated since the
 * start, so the sealed inputs no longer open), ends its record `errored`, frees its fan-out place
 * and alerts its monitor: the instance ends errored too, so nothing is going on any more.
 */
export async function executeDurableRun(
  env: Env,
  event: Readonly<WorkflowEvent<DurableRunParams>>,
  step: WorkflowStep,
  deps: DurableRunDeps,
): Promise<{ status: string }> {
  const { runId } = event.payload;
  const log = deps.log ?? consoleLogger;
  const db = env.DB;
  if (db === undefined) throw new Error("the DB binding (D1) is missing");
  const soFar: RunSoFar = { progress: { ...NO_PROGRESS } };
  try {
    return await runDurable(env, db, event, step, deps, log, soFar);
  } catch (error) {
    if (soFar.handled === true || (await suspended(env, runId, error))) throw error;
    log("error", "durable run failed", { runId, error: errorKind(error) });
    await updateRun(db, runId, { status: "errored", waitingFor: null, now: Date.now() }).catch(
      () => undefined,
    );
    // A child that failed still frees its place; the parent's poll covers a failure here too.
    if (soFar.parent !== undefined && env.RUNS !== undefined) {
      await afterChildEnded(db, env.RUNS, soFar.parent, log).catch(() => undefined);
    }
    if (soFar.config !== undefined) {
      await alertMonitor(step, db, soFar.config, event.payload, "errored", soFar.progress, deps);
    } else if (event.payload.monitor !== undefined) {
      log("warn", "monitor alert not sent: the run's configuration could not be read", { runId });
    }
    throw error;
  }
}

async function runDurable(
  env: Env,
  db: D1Database,
  event: Readonly<WorkflowEvent<DurableRunParams>>,
  step: WorkflowStep,
  deps: DurableRunDeps,
  log: Logger,
  soFar: RunSoFar,
): Promise<{ status: string }> {
  const { runId } = event.payload;
  const requestText = await getRunRequest(db, runId);
  if (requestText === undefined) throw new Error("the run's record has no request");
  const request = JSON.parse(requestText) as StoredRunRequest;
  if (request.parent !== undefined) soFar.parent = request.parent;
  const collection = request.collection;
  const credentials =
    typeof deps.credentials === "function" ? deps.credentials(collection) : deps.credentials;
  const config = readWorkerConfig(env, credentials);
  soFar.config = config;
  const sealer = await runSealer(config.credentials, runId);
  const inputs = await sealer.open<WorkerRunInputs>(INPUTS_PURPOSE, request.inputs);
  const runs = env.RUNS;
  if (inputs.fanOut === true || request.parent !== undefined) {
    if (runs === undefined) throw new Error("the RUNS binding (Workflow) is missing");
  }
  if (inputs.fanOut === true && runs !== undefined) {
    try {
      return await executeFanOut({ db, runs, runId, request, inputs, credentials: config.credentials, step });
    } catch (error) {
      soFar.handled = true;
      if (await suspended(env, runId, error)) throw error;
      log("error", "fan-out parent failed", { runId, error: errorKind(error) });
      await updateRun(db, runId, { status: "errored", now: Date.now() }).catch(() => undefined);
      throw error;
    }
  }
  const requestClient = createRequestClient(config, {
    env,
    certnFetch: deps.certnFetch ?? ((input, init) => fetch(input, init)),
    tokenStore: deps.tokenStore ?? {},
    log,
  });
  // A wait for a slot longer than a moment is slept as a step (see `exchange` below).
  const budget = runBudget(env, config, collection, log, { maxWaitMs: MAX_SLOT_WAIT_IN_STEP_MS });
  // The exchange steps running now, by when each began: none sends past its send window.
  const sending = new Set<{ startedAt: number }>();
  const sendUntil = (): number => {
    let earliest = Number.POSITIVE_INFINITY;
    for (const running of sending) earliest = Math.min(earliest, running.startedAt);
    return earliest + EXCHANGE_SEND_WINDOW_MS;
  };

  // The replay clock: the instance's creation, then each step's end, advanced by each sleep.
  let cursor = event.timestamp.getTime();
  const now = (): number => cursor;
  const stop = new AbortController();
  let cancelled = false;

  // Events numbered in emission order (the same on every replay with concurrency 1); only those
  // above the stored maximum are written, and INSERT OR IGNORE covers a race.
  let seq = -1;
  let storedMax: number | undefined;
  const pending: Array<{ seq: number; at: number; json: string }> = [];
  const progress: RunProgress = soFar.progress;
  const leafItems = countLeafItems(collection.items);
  const flush = async (status?: { status: "running" | "waiting"; waitingFor: unknown }): Promise<void> => {
    storedMax ??= await maxEventSeq(db, runId);
    const fresh = pending.splice(0).filter((entry) => entry.seq > (storedMax ?? -1));
    if (fresh.length > 0) {
      await appendEvents(db, runId, fresh);
      storedMax = fresh[fresh.length - 1]?.seq ?? storedMax;
    }
    // A replay emits the stored events again: until it passes them, the record already shows more.
    const replaying = seq < (storedMax ?? -1) || (status === undefined && seq === storedMax);
    if (fresh.length === 0 && replaying) return;
    await updateRun(db, runId, {
      progress,
      now: Date.now(),
      ...(status === undefined ? {} : { status: status.status, waitingFor: status.waitingFor }),
    });
  };
  const onEvent = (runEvent: RunEvent): void => {
    seq += 1;
    advanceProgress(progress, runEvent, leafItems);
    pending.push({ seq, at: cursor, json: toNdjsonLine(runEvent).trimEnd() });
  };
  // The engine pauses an instance by throwing into its code from a step call. Inside the runner
  // that would become an item error and the run would end, so the run stops and rethrows it.
  let engineStop: { error: unknown } | undefined;
  const engineCall = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      if (engineStop === undefined && (await suspended(env, runId, error))) {
        engineStop = { error };
        stop.abort(error);
      }
      throw error;
    }
  };
  const timed = async <T>(name: string, config: WorkflowStepConfig, work: () => Promise<T>): Promise<T> => {
    const sealed = await engineCall(() =>
      step.do(name, config, async () =>
        sealer.seal(name, { at: Date.now(), value: await work() } satisfies Timed<T>),
      ),
    );
    const opened = await sealer.open<Timed<T>>(name, sealed);
    cursor = Math.max(cursor, opened.at);
    return opened.value;
  };
  // The runner's step names hold item names, which may hold a secret's value: the engine's names
  // stay as they are (a replay must find its steps), the record shows them masked.
  const maskShown = createSecretMasker(secretTexts(inputs.secrets ?? {}));
  /** A durable sleep of `ms` as step `name`, shown on the record as `waitingFor`. */
  const sleepStep = async (name: string, ms: number, waitingFor: Record<string, unknown>): Promise<void> => {
    const shownStep = typeof waitingFor.step === "string" ? { step: maskShown(waitingFor.step) } : {};
    await flush({
      status: "waiting",
      waitingFor: { ...waitingFor, ...shownStep, until: new Date(cursor + ms).toISOString() },
    });
    await engineCall(() => step.sleep(name, ms));
    cursor += ms;
    await flush({ status: "running", waitingFor: null });
  };
  /** One exchange step: the deadline and a cancel first, then the runner's send, within its window. */
  const exchangeStep = (
    stepName: string,
    writes: boolean,
    deadlineAt: number,
    exchange: () => Promise<RecordedExchange>,
  ): Promise<RecordedExchange> =>
    timed(stepName, writes ? WRITE_CONFIG : READ_CONFIG, async () => {
      if (cursor >= deadlineAt) {
        const late: RecordedExchange = {
          ok: false,
          attempts: [],
          error: {
            code: RunnerErrorCode.DEADLINE,
            message: "the durable run's deadline (RUNNER_DURABLE_DEADLINE_MS) passed",
          },
        };
        return late;
      }
      // Cancellation takes effect between steps: this one sends nothing.
      if (await isCancelRequested(db, runId)) {
        const cancelledExchange: RecordedExchange = {
          ok: false,
          attempts: [],
          error: {
            code: RunnerErrorCode.CANCELLED,
            message: "the run was cancelled before this request",
          },
        };
        return cancelledExchange;
      }
      const running = { startedAt: Date.now() };
      sending.add(running);
      try {
        return capExchange(await exchange());
      } finally {
        sending.delete(running);
      }
    });

  await flush({ status: "running", waitingFor: null });
  // The runner's own deadline stops at one day (MAX_DEADLINE_MS), so the durable deadline is
  // enforced here, on the replay clock, before each step.
  const deadlineAt = event.timestamp.getTime() + deadlineOf(env);
  const result = await runCollection(collection, {
    client: requestClient.client,
    ...inputs,
    // Every attempt takes a slot from the credential's shared budget, waiting at most
    // MAX_SLOT_WAIT_IN_STEP_MS in its step, and none starts past its step's send window.
    rateLimiter: untilSendTime(budget, sendUntil),
    // The run record holds every item (the Worker caps a run at MAX_ITEM_RESULTS).
    keepItems: "all",
    signal: stop.signal,
    now,
    onEvent,
    steps: {
      async exchange(name, options, exchange) {
        await flush();
        // A wait longer than a step may wait in place (no slot for an attempt; a 429's long
        // Retry-After) is slept as a step, then a step of the next round sends again (names stay
        // the same on every replay).
        for (let round = 1; ; round++) {
          const stepName = engineStepName(name, round === 1 ? "" : ` (slot ${round})`);
          const output = await exchangeStep(stepName, options.writes, deadlineAt, exchange);
          const wanted = output.ok || round >= MAX_EXCHANGE_ROUNDS ? undefined : waitToSendAgain(output);
          // A wait that would end past the run's deadline is not slept: the item's error stands.
          const slotWait = wanted !== undefined && cursor + wanted < deadlineAt ? wanted : undefined;
          if (slotWait === undefined) {
            if (!output.ok && output.error.code === RunnerErrorCode.CANCELLED) {
              cancelled = true;
              stop.abort(new Error("cancelled"));
            }
            if (!output.ok && output.error.code === RunnerErrorCode.DEADLINE)
              stop.abort(new Error("deadline"));
            return output;
          }
          // At most a day a round, as the credential's budget pauses for a 429 at most.
          const ms = Math.min(MAX_RATE_LIMIT_WINDOW_MS, Math.max(MIN_SLOT_SLEEP_MS, slotWait));
          await sleepStep(engineStepName(name, ` (slot wait ${round})`), ms, {
            kind: "rate-limit",
            step: name,
          });
        }
      },
      async sleep(name, ms) {
        await sleepStep(engineStepName(name), ms, { kind: "poll", step: name });
      },
    },
    webhooks: {
      async next(wait, timeoutMs, _signal, name) {
        await flush();
        const bounded = Math.max(0, Math.min(timeoutMs, deadlineAt - cursor));
        return waitForWebhook(db, runId, step, timed, wait, bounded, name, {
          advance: (ms) => {
            cursor = Math.max(cursor, ms);
          },
          waiting: (waitingFor) => flush({ status: "waiting", waitingFor }),
          running: () => flush({ status: "running", waitingFor: null }),
          cancel: () => {
            cancelled = true;
            stop.abort(new Error("cancelled"));
          },
          now,
          engineCall,
          engineStopped: () => engineStop !== undefined,
          matchKey: (source) => matchKey(env, source),
        });
      },
    },
  });
  await budget.drain();
  if (engineStop !== undefined) throw engineStop.error;
  await flush();
  const status = cancelled ? "cancelled" : statusOfSummary(result.summary);
  await step.do("finish", async () => {
    await updateRun(db, runId, {
      status,
      progress: progressOfSummary(result.summary),
      waitingFor: null,
      result: await storedResultText(result, runId, env.RESULTS),
      now: Date.now(),
    });
    return status;
  });
  if (request.parent !== undefined && runs !== undefined) {
    const parent = request.parent;
    await step.do("fan-out next", READ_CONFIG, () => afterChildEnded(db, runs, parent, log));
  }
  await alertMonitor(step, db, config, event.payload, status, progressOfSummary(result.summary), deps);
  return { status };
}

/** How the engine's own stop of an invocation (to pause or restart its instance) is worded. */
const ENGINE_SUSPENDS = /^Aborting engine: User called (pause|restart)/;

/**
 * True when the engine is pausing (or restarting) this run's instance: it stops the invocation by
 * throwing into the run's code from the step it was at, and the run goes on afterwards, so its
 * record must not end. Told by the error the engine throws, or by the instance's status (a resume
 * may already have come, so the status alone is not enough). Anything else is a failure.
 */
async function suspended(env: Env, runId: string, error: unknown): Promise<boolean> {
  if (error instanceof Error && ENGINE_SUSPENDS.test(error.message)) return true;
  const status = env.RUNS === undefined ? "unknown" : await instanceStatus(env.RUNS, runId);
  return status === "paused" || status === "waitingForPause";
}

/**
 * The alert of a run a monitor started, as a step of its own: the engine retries a failed
 * attempt with backoff (ALERT_CONFIG) and, once it ends, never sends it again on a replay. An
 * alert that could not be delivered is logged (each attempt is recorded) and never fails the run.
 */
async function alertMonitor(
  step: WorkflowStep,
  db: D1Database,
  { baseUrl: certnOrigin, credentials }: Pick<WorkerConfig, "baseUrl" | "credentials">,
  params: DurableRunParams,
  status: RunStatus,
  summary: RunProgress,
  deps: DurableRunDeps,
): Promise<void> {
  const { runId, monitor } = params;
  if (monitor === undefined) return;
  const policy = { certnOrigin, allowLoopback: deps.allowLoopbackAlerts === true };
  const send = deps.alertFetch ?? ((input, init) => fetch(input, init));
  try {
    await step.do("monitor alert", ALERT_CONFIG, () =>
      attemptAlert(db, { runId, monitor, status, summary: { ...summary } }, policy, send, [credentials]),
    );
  } catch (error) {
    (deps.log ?? consoleLogger)("warn", "monitor alert not delivered", { runId, error: errorKind(error) });
  }
}

/** What a wait's take step found: a stored matching event, nothing yet, or a cancelled run. */
interface TakeOutcome {
  found: JsonValue | null;
  cancelled?: boolean;
}

/** Hooks of {@link waitForWebhook} into the run's clock and record. */
interface WaitHooks {
  advance(at: number): void;
  waiting(waitingFor: unknown): Promise<void>;
  running(): Promise<void>;
  /** The run was cancelled while it waited (`POST /runs/:id/cancel` woke the wait). */
  cancel(): void;
  now(): number;
  /** Runs a step call, stopping the run when the engine pauses the instance through it. */
  engineCall<T>(call: () => Promise<T>): Promise<T>;
  /** True once the engine paused the instance through a step call. */
  engineStopped(): boolean;
  /** The key a wait's secret and personal match values are digested under in D1. */
  matchKey(source: WebhookSource): Promise<CryptoKey>;
}

/** The first slice of a wait's `waitForEvent`: a minute. */
export const FIRST_WAIT_SLICE_MS = 60_000;
/** The longest slice: 6 hours, so a wait of days looks at stored events four times a day. */
export const LONGEST_WAIT_SLICE_MS = 6 * 60 * 60_000;

/**
 * How long slice `index` (from 1) of a wait's `waitForEvent` lasts at most: a minute, doubling up
 * to 6 hours. Between slices the wait looks at stored events again, so an event whose hand-off
 * failed after its delivery was answered is still taken; the steps grow with the log of a short
 * wait (9 slices cover the first 8.5 hours) and by four a day beyond.
 * @example
 * waitSliceMs(1); // 60_000
 * waitSliceMs(20); // 21_600_000
 */
export function waitSliceMs(index: number): number {
  return Math.min(FIRST_WAIT_SLICE_MS * 2 ** Math.min(index - 1, 30), LONGEST_WAIT_SLICE_MS);
}

/**
 * One webhook wait: a step that takes a matching stored event this run has not taken (one that
 * came before the wait, or whose hand-off failed) or opens the wait; then, if none was there,
 * `waitForEvent` until the receiver sends one or the timeout passes, in slices
 * ({@link waitSliceMs}) with the take step again between them (an event sent meanwhile stays
 * queued in the engine under the wait's type, for the next slice); then a step that closes the
 * wait.
 */
async function waitForWebhook(
  db: D1Database,
  runId: string,
  step: WorkflowStep,
  timed: <T>(name: string, config: WorkflowStepConfig, work: () => Promise<T>) => Promise<T>,
  wait: WebhookWait,
  timeoutMs: number,
  name: string,
  hooks: WaitHooks,
): Promise<JsonValue | undefined> {
  const type = waitEventType(name);
  const source: WebhookSource = wait.webhook;
  const expiresAt = hooks.now() + timeoutMs;
  let payload: WebhookEventPayload | undefined;
  // Names and slices follow from the timeout and the steps' outputs alone, the same on every replay.
  for (let slice = 1, waited = 0; ; slice += 1) {
    const suffix = slice === 1 ? "" : ` ${slice}`;
    const remaining = timeoutMs - waited;
    const taken = await timed(engineStepName(name, ` take${suffix}`), READ_CONFIG, () =>
      takeStoredEvent(db, runId, wait, { name, type, expiresAt, remaining }, hooks),
    );
    if (taken.cancelled === true) {
      hooks.cancel();
      return undefined;
    }
    if (taken.found !== null) return taken.found;
    const sliceMs = Math.min(waitSliceMs(slice), remaining);
    if (sliceMs <= 0) break;
    // The record is shown to callers and pages: the match as the runner masked it.
    await hooks.waiting({ kind: "webhook", webhook: source, match: wait.shown ?? {} });
    try {
      const received = await hooks.engineCall(() =>
        step.waitForEvent<WebhookEventPayload>(engineStepName(name, ` event${suffix}`), {
          type,
          timeout: sliceMs,
        }),
      );
      hooks.advance(new Date(received.timestamp).getTime());
      if (received.payload.cancel === true) hooks.cancel();
      else payload = { eventId: received.payload.eventId, json: received.payload.json };
      break;
    } catch (error) {
      // The engine pausing the instance is no timeout.
      if (hooks.engineStopped()) throw error;
      // The slice's timeout: the wait goes on, or (the last) the runner reports CERTN_WAIT_TIMEOUT.
      hooks.advance(hooks.now() + sliceMs);
      waited += sliceMs;
    }
  }
  await timed(engineStepName(name, " done"), READ_CONFIG, async () => {
    if (payload === undefined) await closeUnansweredWait(db, runId, name, source);
    else await closeWait(db, runId, name);
    return null;
  });
  await hooks.running();
  return payload === undefined ? undefined : (JSON.parse(payload.json) as JsonValue);
}

/**
 * A wait's take step: opens the wait (or keeps it open), then takes the oldest matching stored
 * event the run has not taken, received since the run was created, unless a receiver claimed the
 * wait for an event first (the engine then delivers that one to the next slice).
 */
async function takeStoredEvent(
  db: D1Database,
  runId: string,
  wait: WebhookWait,
  open: { name: string; type: string; expiresAt: number; remaining: number },
  hooks: WaitHooks,
): Promise<TakeOutcome> {
  const { name } = open;
  const source = wait.webhook;
  const now = Date.now();
  const key = await hooks.matchKey(source);
  // The wait opens before the looks, so an event stored (or a cancel asked) in between is seen
  // by this step or by the receiver (or the cancel route), which wakes open waits.
  const { claimedEvent } = await openWait(db, {
    runId,
    name,
    source,
    match: await storedMatch(wait, key),
    eventType: open.type,
    createdAt: now,
    expiresAt: Math.max(open.expiresAt, now + open.remaining),
  });
  if (await isCancelRequested(db, runId)) {
    await closeWait(db, runId, name);
    return { found: null, cancelled: true };
  }
  if (claimedEvent !== null) return { found: null };
  // Events received before the run was created are other runs': only later ones are looked at.
  for await (const stored of untakenEvents(db, source, runId, now)) {
    // Personal values are masked in the stored body: they are compared by their digests.
    if (!(await new EventComparison(stored.body, key, stored.digests).matchesWait(wait.match))) continue;
    const took = await takeForWait(db, { runId, name }, source, stored.eventId, now);
    if (took === "taken") return { found: stored.body as JsonValue };
    if (took === "claimed") return { found: null };
  }
  return { found: null };
}
