/** Totals of a run, computed from its item results. */
import type { ItemResult, RunSummary } from "../results/result.ts";

/** Counts items by status and assertions by outcome; `requests` is counted while sending. */
export function summarize(items: readonly ItemResult[], requests: number): RunSummary {
  const summary: RunSummary = {
    items: items.length,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    assertions: { passed: 0, failed: 0 },
    requests,
  };
  for (const item of items) {
    summary[item.status] += 1;
    for (const assertion of item.assertions) {
      if (assertion.passed) summary.assertions.passed += 1;
      else summary.assertions.failed += 1;
    }
  }
  return summary;
}
