/**
 * The seam a durable engine (Cloudflare Workflows) drives a run through. A durable engine runs a
 * run's code again from the start after every pause, and hands back what each step returned the
 * first time instead of running it again. So the runner puts every upstream exchange into one
 * step whose output is plain JSON ({@link RecordedExchange}), and everything else (assertions,
 * captures, variables, results) is worked out from those outputs, identically on every replay.
 * Without steps (the default) a run calls the transport directly and nothing is serialized.
 */
import type { ResponseView } from "../assert/response-view.ts";
import type { JsonValue } from "../core/json.ts";
import type { ItemError } from "../results/result.ts";
import { viewResponseBody } from "./read-body.ts";

/** What one attempt of an exchange reported (for attempt events and counts). */
export interface RecordedAttempt {
  status?: number;
  errorCode?: string;
  retryInMs?: number;
  /**
   * The response's `Retry-After` in ms, when it carried one: a durable run sleeps a 429's wait
   * longer than its step may wait as a step of its own, then sends again.
   */
  retryAfterMs?: number;
}

/**
 * One upstream exchange as a step records it: the response (headers and body as received, under
 * the body cap) or the item error, and the attempts the transport made.
 */
export type RecordedExchange = {
  attempts: RecordedAttempt[];
} & (
  | { ok: true; status: number; durationMs: number; headers: Array<[string, string]>; body: string }
  | { ok: false; error: ItemError }
);

/** How a step may be re-run by the engine after it failed. */
export interface StepOptions {
  /**
   * True for a request that may order a paid check (POST, PUT, PATCH): the engine must never run
   * it a second time, whatever happened (an ambiguous failure may have ordered).
   */
  writes: boolean;
}

/** A durable engine's steps, as the runner uses them. */
export interface DurableSteps {
  /**
   * Runs `exchange` once as the step `name` (unique and the same on every replay) and returns its
   * output; on a replay, returns the recorded output without running it. `exchange` never throws:
   * failures are part of its output.
   */
  exchange(
    name: string,
    options: StepOptions,
    exchange: () => Promise<RecordedExchange>,
  ): Promise<RecordedExchange>;
  /** Pauses the run for `ms` (a poll interval) as the step `name`, using no CPU meanwhile. */
  sleep(name: string, ms: number): Promise<void>;
}

/** The JSON a step records for `view`. */
export function recordResponse(view: ResponseView, attempts: RecordedAttempt[]): RecordedExchange {
  return {
    ok: true,
    attempts,
    status: view.status,
    durationMs: view.durationMs,
    headers: [...view.headers],
    body: view.body.text,
  };
}

/** The response a recorded exchange holds, as selectors see it. */
export function replayResponse(recorded: RecordedExchange & { ok: true }): ResponseView {
  return {
    status: recorded.status,
    durationMs: recorded.durationMs,
    headers: new Headers(recorded.headers),
    body: viewResponseBody(recorded.body),
  };
}

/** True for a value shaped like a recorded exchange (a step output read back from storage). */
export function isRecordedExchange(value: JsonValue): boolean {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && Array.isArray(value.attempts)
  );
}
