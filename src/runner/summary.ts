/** Totals of a run, counted item by item as results are made. */
import type { ItemResult, RunSummary } from "../results/result.ts";

/**
 * A summary with nothing counted yet.
 *
 * @example
 * ```ts
 * const summary = emptySummary();
 * countItem(summary, item); // summary.items === 1
 * ```
 */
export function emptySummary(): RunSummary {
  return {
    items: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    assertions: { passed: 0, failed: 0 },
    requests: 0,
  };
}

/**
 * Counts one item result into `summary` (its status and its assertions' outcomes).
 *
 * @example
 * ```ts
 * onEvent: (event) => event.type === "item-end" && countItem(summary, event.item);
 * ```
 */
export function countItem(summary: RunSummary, item: ItemResult): void {
  summary.items += 1;
  summary[item.status] += 1;
  for (const assertion of item.assertions) {
    if (assertion.passed) summary.assertions.passed += 1;
    else summary.assertions.failed += 1;
  }
}

/** Counts items by status and assertions by outcome; `requests` is counted while sending. */
export function summarize(items: readonly ItemResult[], requests: number): RunSummary {
  const summary = emptySummary();
  for (const item of items) countItem(summary, item);
  summary.requests = requests;
  return summary;
}
