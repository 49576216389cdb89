/**
 * JUnit XML: one `<testcase>` per item per iteration, `classname` the folder path, failures with
 * the assertions' expected and actual values, `<error>` for errored items, `<skipped/>` for skipped
 * ones. A pure function of the (already redacted) run result.
 */
import type { ItemResult, RunResult } from "../results/result.ts";
import { describeFailure, iterationCount } from "./describe.ts";
import { escapeXml, escapeXmlAttribute } from "./xml.ts";

function seconds(ms: number | undefined): string {
  return ((ms ?? 0) / 1000).toFixed(3);
}

/**
 * One item's `<testcase>` element, indented for its place in the document: what a report written
 * as the run goes appends for each item. `iterations` is the run's count (names carry
 * `[iteration N]` when it is over 1).
 *
 * @example
 * ```ts
 * onEvent: (event) => {
 *   if (event.type === "item-end") file.write(`${junitTestcase(event.item, "my collection", 1)}\n`);
 * };
 * ```
 */
export function junitTestcase(item: ItemResult, collection: string, iterations: number): string {
  const folders = item.path.slice(0, -1);
  const classname = folders.length > 0 ? folders.join(".") : collection;
  const name = iterations > 1 ? `${item.name} [iteration ${item.iteration}]` : item.name;
  const open = `    <testcase name="${escapeXmlAttribute(name)}" classname="${escapeXmlAttribute(classname)}" time="${seconds(item.durationMs)}"`;
  const body: string[] = [];
  if (item.status === "failed") {
    const failed = item.assertions.filter((assertion) => !assertion.passed);
    const lines = failed.map(describeFailure);
    if (item.error) lines.push(`${item.error.code}: ${item.error.message}`);
    const message = lines[0] ?? "failed";
    body.push(
      `      <failure message="${escapeXmlAttribute(message)}" type="assertion">${escapeXml(lines.join("\n"))}</failure>`,
    );
  } else if (item.status === "errored") {
    const code = item.error?.code ?? "CERTN_UNEXPECTED";
    const message = item.error?.message ?? "errored";
    body.push(
      `      <error message="${escapeXmlAttribute(message)}" type="${escapeXmlAttribute(code)}">${escapeXml(`${code}: ${message}`)}</error>`,
    );
  } else if (item.status === "skipped") {
    body.push(
      item.skipReason === undefined
        ? "      <skipped/>"
        : `      <skipped message="${escapeXmlAttribute(item.skipReason)}"/>`,
    );
  }
  if (item.request) {
    const request = `${item.request.method} ${item.request.url}`;
    const status = item.response ? ` -> ${item.response.status}` : "";
    body.push(`      <system-out>${escapeXml(`${request}${status}`)}</system-out>`);
  }
  return body.length === 0 ? `${open}/>` : `${open}>\n${body.join("\n")}\n    </testcase>`;
}

/**
 * The document around the test cases: its head (totals, from the finished run) and its tail.
 *
 * @example
 * ```ts
 * const { head, tail } = junitFrame(result);
 * const xml = `${head}${cases.join("\n")}\n${tail}`;
 * ```
 */
export function junitFrame(result: RunResult): { head: string; tail: string } {
  const { summary } = result;
  const counts = `tests="${summary.items}" failures="${summary.failed}" errors="${summary.errored}"`;
  const time = `time="${seconds(result.durationMs)}"`;
  const name = escapeXmlAttribute(result.collection);
  // `skipped` on the suite only: the JUnit schema CI plugins validate against (Jenkins xunit's
  // junit-10.xsd) refuses it on <testsuites>.
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${name}" ${counts} ${time}>`,
    `  <testsuite name="${name}" ${counts} skipped="${summary.skipped}" ${time} timestamp="${escapeXmlAttribute(result.startedAt)}">`,
    "",
  ].join("\n");
  return { head, tail: "  </testsuite>\n</testsuites>\n" };
}

/**
 * Renders a run result as a JUnit XML document: the test cases of the items it kept, and for the
 * items it left out (`itemsOmitted`) one case per outcome, so a CI that reads only the cases
 * still fails on a failure no longer kept.
 */
export function toJUnit(result: RunResult): string {
  const iterations = iterationCount(result.items);
  const { head, tail } = junitFrame(result);
  const cases = result.items.map((item) => `${junitTestcase(item, result.collection, iterations)}\n`);
  return `${head}${cases.join("")}${omittedCases(result)}${tail}`;
}

const OMITTED_NOTE = escapeXmlAttribute(
  "the stored result keeps only some of its items; see the run's events for each one",
);

/** What the case standing for the omitted items of each outcome holds, failures first. */
const OMITTED_CASE_BODIES = {
  failed: `<failure message="${OMITTED_NOTE}" type="assertion"/>`,
  errored: `<error message="${OMITTED_NOTE}" type="CERTN_ITEMS_OMITTED"/>`,
  skipped: "<skipped/>",
  passed: `<system-out>${OMITTED_NOTE}</system-out>`,
};

/** The cases standing for the items a result left out, by outcome (the summary minus what it kept). */
function omittedCases(result: RunResult): string {
  if (!result.itemsOmitted) return "";
  const kept = { passed: 0, failed: 0, errored: 0, skipped: 0 };
  for (const item of result.items) kept[item.status] += 1;
  const classname = escapeXmlAttribute(result.collection);
  let out = "";
  for (const [status, inner] of Object.entries(OMITTED_CASE_BODIES) as Array<[keyof typeof kept, string]>) {
    const count = result.summary[status] - kept[status];
    if (count <= 0) continue;
    const name = escapeXmlAttribute(
      `${count} ${status} item${count === 1 ? "" : "s"} not kept in the result`,
    );
    out += `    <testcase name="${name}" classname="${classname}" time="0.000">\n      ${inner}\n    </testcase>\n`;
  }
  return out;
}
