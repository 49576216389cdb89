/** Validation issues as callers see them: a JSON Pointer to the deepest offending field, and a message. */
import type * as v from "valibot";
import { toJsonPointer } from "../core/json.ts";

/** One problem found in a collection. */
export interface CollectionIssue {
  /** JSON Pointer (RFC 6901) to the offending field; "" is the whole document. */
  path: string;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Most issues reported for one document; the rest are summarised in a last issue. */
export const MAX_ISSUES = 100;

/**
 * Converts valibot issues, dropping duplicates and capping their number.
 * @internal Its parameter is valibot's type, which certn-edge does not install.
 */
export function fromValibotIssues(
  issues: readonly v.BaseIssue<unknown>[],
  stopped = false,
): CollectionIssue[] {
  const result: CollectionIssue[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const segments = (issue.path ?? []).map((item) => pathKey(item.key));
    const converted = { path: toJsonPointer(segments), message: issue.message };
    const id = `${converted.path}\n${converted.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(converted);
  }
  return capIssues(result, stopped);
}

/**
 * Keeps at most {@link MAX_ISSUES}, saying how many more there were; or, when the validation
 * `stopped` looking after that many (issue-budget.ts), that there may be more.
 */
export function capIssues(issues: CollectionIssue[], stopped = false): CollectionIssue[] {
  if (stopped) {
    return [
      ...issues.slice(0, MAX_ISSUES),
      {
        path: "",
        message: `validation stopped after ${MAX_ISSUES} issues, and there may be more; fix the ones above first`,
      },
    ];
  }
  if (issues.length <= MAX_ISSUES) return issues;
  const more = issues.length - MAX_ISSUES;
  return [
    ...issues.slice(0, MAX_ISSUES),
    { path: "", message: `${more} more issue${more === 1 ? "" : "s"} not shown; fix the ones above first` },
  ];
}

function pathKey(key: unknown): string | number {
  return typeof key === "number" ? key : String(key);
}
