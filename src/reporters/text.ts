/**
 * A human summary: one line per item with its status and duration, then the failures and errors
 * in detail, then the totals. A pure function of the (already redacted) run result. Control
 * characters in names, values and messages are shown as escapes, never written as they are.
 */
import { printable } from "../core/printable.ts";
import type { ItemResult, RunResult } from "../results/result.ts";
import { describeFailure, itemLabel, iterationCount } from "./describe.ts";

const MARKS: Record<ItemResult["status"], string> = {
  passed: "PASS ",
  failed: "FAIL ",
  errored: "ERROR",
  skipped: "SKIP ",
};

function itemLine(item: ItemResult, iterations: number): string {
  const status = item.response ? `  ${item.response.status}` : "";
  const duration = item.durationMs === undefined ? "" : `  ${Math.round(item.durationMs)} ms`;
  const request = item.request ? `  ${item.request.method} ${item.request.url}` : "";
  return `${MARKS[item.status]}  ${itemLabel(item, iterations)}${status}${duration}${request}`;
}

function details(item: ItemResult, iterations: number): string[] {
  const lines = [`${itemLabel(item, iterations)} (${item.status})`];
  for (const assertion of item.assertions)
    if (!assertion.passed) lines.push(`    - ${describeFailure(assertion)}`);
  if (item.error) lines.push(`    - ${item.error.code}: ${item.error.message}`);
  return lines;
}

/** Renders a run result as plain text. */
export function toText(result: RunResult): string {
  const iterations = iterationCount(result.items);
  const { summary } = result;
  const lines = [`${result.collection}${result.dryRun ? " (dry run: nothing was sent)" : ""}`, ""];
  for (const item of result.items) lines.push(itemLine(item, iterations));
  if (result.itemsOmitted) {
    lines.push(`(${result.itemsOmitted} more items not kept in the result: it holds the failures only)`);
  }
  const problems = result.items.filter((item) => item.status === "failed" || item.status === "errored");
  if (problems.length > 0) {
    lines.push("", "Failures and errors:");
    problems.forEach((item, index) => {
      const [first = "", ...rest] = details(item, iterations);
      lines.push(`  ${index + 1}) ${first}`, ...rest.map((line) => `  ${line}`));
    });
  }
  lines.push(
    "",
    `${summary.items} items: ${summary.passed} passed, ${summary.failed} failed, ${summary.errored} errored, ` +
      `${summary.skipped} skipped; assertions ${summary.assertions.passed} passed, ` +
      `${summary.assertions.failed} failed; ${summary.requests} requests; ${Math.round(result.durationMs)} ms`,
    "",
  );
  return lines.map(printable).join("\n");
}
