/**
 * What a run record holds about a result: its status, its progress counts and the stored result
 * text. Results are stored as the runner redacted them; one over {@link MAX_STORED_RESULT_BYTES}
 * (D1 rows are limited to 1 MB) goes to the `RESULTS` KV namespace, the row pointing at it.
 */
import { type Item, isFolder } from "../collection/model.ts";
import type { RunEvent, RunResult, RunSummary } from "../runner/index.ts";
import type { RunProgress, RunStatus } from "./store/runs.ts";

/** Largest result text stored whole, in bytes (under D1's 1 MB row limit). */
export const MAX_STORED_RESULT_BYTES = 900_000;

/** The final status of a finished run. */
export function statusOfSummary(summary: RunSummary): RunStatus {
  if (summary.errored > 0) return "errored";
  if (summary.failed > 0) return "failed";
  return "passed";
}

/** The progress counts of a finished run. */
export function progressOfSummary(summary: RunSummary): RunProgress {
  const done = summary.passed + summary.failed + summary.errored + summary.skipped;
  return {
    items: summary.items,
    done,
    passed: summary.passed,
    failed: summary.failed,
    errored: summary.errored,
    skipped: summary.skipped,
  };
}

/** Items that give a result (request and wait items, folders flattened). */
export function countLeafItems(items: readonly Item[]): number {
  return items.reduce((count, item) => count + (isFolder(item) ? countLeafItems(item.items) : 1), 0);
}

/**
 * Updates progress counts with one event; true when they changed. `leafItems` (the collection's
 * {@link countLeafItems}) sets the total when the run starts: that many per iteration.
 */
export function advanceProgress(progress: RunProgress, event: RunEvent, leafItems?: number): boolean {
  if (event.type === "run-start" && leafItems !== undefined) {
    progress.items = leafItems * event.iterations;
    return true;
  }
  if (event.type !== "item-end") return false;
  progress.done += 1;
  const status = event.item.status;
  if (status === "passed" || status === "failed" || status === "errored" || status === "skipped") {
    progress[status] += 1;
  }
  progress.items = Math.max(progress.items, progress.done);
  return true;
}

/** Where a result too large for its D1 row is kept: the `RESULTS` KV namespace, under this key. */
export function resultKey(runId: string): string {
  return `result:${runId}`;
}

/** What the D1 row holds instead of a result kept in `RESULTS`. */
export interface ResultElsewhere {
  resultIn: "RESULTS";
  key: string;
}

/** True for the row value of a result kept in `RESULTS`. */
export function isResultElsewhere(value: unknown): value is ResultElsewhere {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>).resultIn === "RESULTS" &&
    typeof (value as Record<string, unknown>).key === "string"
  );
}

/** How long a result kept in `RESULTS` lives: 90 days (KV expires it; the row stays). */
export const RESULT_TTL_SECONDS = 90 * 24 * 60 * 60;

/**
 * The result text for the run's row. Up to {@link MAX_STORED_RESULT_BYTES} the whole redacted
 * result; past it, with a `RESULTS` namespace, the result goes there and the row points at it;
 * without one, the row keeps the result with only the items that did not pass and `itemsOmitted`
 * counting the passed ones left out.
 */
export async function storedResultText(
  result: RunResult,
  runId: string,
  results: KVNamespace | undefined,
): Promise<string> {
  const whole = JSON.stringify(result);
  if (new TextEncoder().encode(whole).byteLength <= MAX_STORED_RESULT_BYTES) return whole;
  if (results !== undefined) {
    const key = resultKey(runId);
    await results.put(key, whole, { expirationTtl: RESULT_TTL_SECONDS });
    return JSON.stringify({ resultIn: "RESULTS", key } satisfies ResultElsewhere);
  }
  const kept = result.items.filter((item) => item.status !== "passed");
  const trimmed = JSON.stringify({ ...result, items: kept, itemsOmitted: result.items.length - kept.length });
  if (new TextEncoder().encode(trimmed).byteLength <= MAX_STORED_RESULT_BYTES) return trimmed;
  return JSON.stringify({ ...result, items: [], itemsOmitted: result.items.length });
}

/** The stored result of a run record: from its row, or from `RESULTS` when the row points there. */
export async function loadStoredResult(stored: unknown, results: KVNamespace | undefined): Promise<unknown> {
  if (!isResultElsewhere(stored)) return stored;
  const text = results === undefined ? null : await results.get(stored.key);
  // Expired or the binding removed: say so rather than show the pointer as if it were the result.
  return text === null ? { resultExpired: true } : JSON.parse(text);
}
