/**
 * Writing a run's reports: to files under `--out DIR` (one per collection and reporter), or to
 * stdout when a single machine-readable reporter is asked for without `--out`.
 */
import { join } from "node:path";
import type { RunResult, RunSummary } from "../runner/index.ts";
import type { ReporterName } from "./commands/run-options.ts";
import { formatDuration } from "./format.ts";
import { renderHtmlReport } from "./html-report.ts";

/** The pure reporters this module needs from the runner. */
export interface Reporters {
  toJUnit(result: RunResult): string;
  toText(result: RunResult): string;
}

/** File extension of each reporter. */
export const REPORT_EXTENSIONS: Readonly<Record<ReporterName, string>> = {
  text: ".txt",
  json: ".json",
  junit: ".junit.xml",
  html: ".html",
};

/** One report of one collection, as text. */
export function renderReport(name: ReporterName, result: RunResult, reporters: Reporters): string {
  switch (name) {
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "junit":
      return reporters.toJUnit(result);
    case "html":
      return renderHtmlReport(result);
    case "text":
      return reporters.toText(result);
  }
}

/**
 * One report for several collections, for stdout: JSON becomes an array, JUnit one
 * `<testsuites>` document holding every suite, HTML one page per collection one after another
 * is not a document, so HTML takes the first form only for a single collection.
 */
export function renderCombined(
  name: ReporterName,
  results: readonly RunResult[],
  reporters: Reporters,
): string {
  const [only] = results;
  if (results.length === 1 && only) return renderReport(name, only, reporters);
  switch (name) {
    case "json":
      return `${JSON.stringify(results, null, 2)}\n`;
    case "junit":
      return mergeJUnit(results.map((result) => reporters.toJUnit(result)));
    case "html":
      return renderHtmlReport(results);
    case "text":
      return results.map((result) => reporters.toText(result)).join("\n");
  }
}

/** Adds up the `<testsuites>` totals of several JUnit documents and nests all their suites in one. */
export function mergeJUnit(documents: readonly string[]): string {
  const totals = { tests: 0, failures: 0, errors: 0, time: 0 };
  const suites: string[] = [];
  for (const xml of documents) {
    const head = /<testsuites\b([^>]*)>/.exec(xml)?.[1] ?? "";
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) {
      const value = Number(new RegExp(`\\b${key}="([0-9.]+)"`).exec(head)?.[1] ?? 0);
      totals[key] += Number.isFinite(value) ? value : 0;
    }
    // Text inside the suites is escaped, so "</testsuite>" only ever closes an element.
    suites.push(...(xml.match(/<testsuite\b[\s\S]*?<\/testsuite>|<testsuite\b[^>]*\/>/g) ?? []));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="certn-edge" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" time="${totals.time.toFixed(3)}">
${suites.map((suite) => `  ${suite}`).join("\n")}
</testsuites>
`;
}

/** Report file paths for each collection id, made unique when two collections share a name. */
export function reportBaseNames(ids: readonly string[]): string[] {
  const used = new Map<string, number>();
  return ids.map((id) => {
    const safe = id.replace(/[^A-Za-z0-9._-]/g, "_") || "collection";
    const count = (used.get(safe) ?? 0) + 1;
    used.set(safe, count);
    return count === 1 ? safe : `${safe}-${count}`;
  });
}

/** The path of one report file. */
export function reportPath(out: string, baseName: string, name: ReporterName): string {
  return join(out, `${baseName}${REPORT_EXTENSIONS[name]}`);
}

/** `3 items: 3 passed, 0 failed, 0 errored, 0 skipped; assertions 9 passed, 0 failed; 3 requests; 272 ms`. */
export function summaryLine(summary: RunSummary, durationMs: number): string {
  return (
    `${summary.items} items: ${summary.passed} passed, ${summary.failed} failed, ${summary.errored} errored, ` +
    `${summary.skipped} skipped; assertions ${summary.assertions.passed} passed, ${summary.assertions.failed} failed; ` +
    `${summary.requests} requests; ${formatDuration(durationMs)}`
  );
}

/** Whether a run counts as passed (nothing failed or errored). */
export function runPassed(result: RunResult): boolean {
  return result.summary.failed === 0 && result.summary.errored === 0;
}
