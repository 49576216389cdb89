/**
 * Run results and events, as fixed by the format page ("Results", "Events").
 * Reporters are pure functions of a `RunResult`; they import only these types.
 */
import type { AssertionOperator, JsonValue } from "../collection/model.ts";

export type { JsonValue };

/** Outcome of one item. */
export type ItemStatus = "passed" | "failed" | "errored" | "skipped";

/** One assertion's outcome; `expected` and `actual` are already redacted and truncated. */
export interface AssertionResult {
  that: string;
  op: AssertionOperator | "implicit-status";
  name?: string;
  expected?: JsonValue;
  actual?: JsonValue;
  passed: boolean;
  /** Why it failed, when the reason is not just "values differ" (for example invalid JSON). */
  message?: string;
}

/**
 * `{ code, message }` of an errored (or failed) item, or of a skipped one whose skip has a code:
 * `CERTN_DEADLINE` / `CERTN_ABORTED` when the run stopped.
 */
export interface ItemError {
  code: string;
  message: string;
}

/** The result of one item in one iteration. */
export interface ItemResult {
  name: string;
  /** Folder names, then the item's own name. */
  path: string[];
  iteration: number;
  status: ItemStatus;
  /** The request as sent (URL redacted); absent when nothing could be resolved. */
  request?: { method: string; url: string; headers?: Record<string, string>; body?: JsonValue };
  response?: { status: number; durationMs: number; headers?: Record<string, string>; body?: JsonValue };
  /** HTTP requests sent for this item, retries and poll attempts included. */
  attempts: number;
  assertions: AssertionResult[];
  error: ItemError | null;
  /** Variables captured by this item (secret values redacted). */
  captures?: Record<string, JsonValue>;
  durationMs?: number;
  /** Why a `skipped` item was skipped (`skip: true`, skipIf, bail, the deadline, a dry run, a missing capture). */
  skipReason?: string;
  /** In a dry run, true when the request would order a paid check. */
  wouldOrder?: boolean;
}

/** Totals of a run. */
export interface RunSummary {
  items: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  assertions: { passed: number; failed: number };
  /** HTTP requests sent to the API, retries and poll attempts included, token requests excluded. */
  requests: number;
}

/** A whole run's result. */
export interface RunResult {
  collection: string;
  startedAt: string;
  durationMs: number;
  summary: RunSummary;
  /** The item results kept (all, or the failures: see `RunOptions.keepItems`), in iteration order. */
  items: ItemResult[];
  /** How many item results `items` leaves out; set when the run kept only failures. */
  itemsOmitted?: number;
  dryRun?: boolean;
}

/** Events sent to `onEvent` and streamed as NDJSON by the Worker. */
export type RunEvent =
  | { type: "run-start"; collection: string; iterations: number }
  | { type: "item-start"; name: string; path: string[]; iteration: number }
  | {
      type: "attempt";
      name: string;
      path: string[];
      iteration: number;
      attempt: number;
      status?: number;
      errorCode?: string;
      retryInMs?: number;
      /** For polled items: the poll attempt and its maximum. */
      poll?: { attempt: number; maxAttempts: number };
    }
  | { type: "item-end"; item: ItemResult }
  | { type: "run-end"; summary: RunSummary };
