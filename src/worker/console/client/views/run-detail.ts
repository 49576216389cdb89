/**
 * One run: status, summary, every item with its assertions (expected beside actual, the failing
 * items open), captures, request and response; a durable run's timeline (steps, sleeps, webhook
 * waits), followed live until it ends; the result as JSON or JUnit (the runner's own `toJUnit`).
 */
import { type ItemResult, type RunResult, toJUnit } from "../../../../runner/index.ts";
import { api, getJson, readNdjson } from "../api.ts";
import { append, definitions, download, h, replace, showValue, statusBadge } from "../dom.ts";
import { duration, errorBox, startView, type ViewContext, when } from "../page.ts";
import { summaryText } from "./run.ts";

/** `GET /runs/:runId`. */
interface RunRecordView {
  runId: string;
  collection: string;
  mode: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  progress?: unknown;
  waitingFor?: unknown;
  result?: RunResult;
}

const FINAL = new Set(["passed", "failed", "errored", "cancelled"]);

/** A value cell: JSON as preformatted text. */
function valueCell(label: string, value: unknown): HTMLElement {
  return h("td", { "data-label": label }, h("pre", {}, showValue(value)));
}

/** One item of the result, as a disclosure open when it did not pass. */
function itemDetails(item: ItemResult): HTMLElement {
  const summary = h("summary", {}, statusBadge(item.status), " ", [...item.path, item.name].join(" / "));
  if (item.iteration > 0) append(summary, ` (iteration ${item.iteration + 1})`);
  const details = h("details", { class: `item ${item.status}`, "data-status": item.status }, summary);
  details.open = item.status === "failed" || item.status === "errored";
  append(
    details,
    definitions([
      ["Request", item.request === undefined ? undefined : `${item.request.method} ${item.request.url}`],
      [
        "Response",
        item.response === undefined
          ? undefined
          : `HTTP ${item.response.status} in ${duration(item.response.durationMs)}`,
      ],
      ["Attempts", item.attempts],
      ["Duration", item.durationMs === undefined ? undefined : duration(item.durationMs)],
      ["Skipped because", item.skipReason],
      ["Error", item.error === null ? undefined : `${item.error.code}: ${item.error.message}`],
    ]),
  );
  if (item.assertions.length > 0) {
    append(
      details,
      h(
        "div",
        { class: "scroll" },
        h(
          "table",
          { class: "assertions stack" },
          h("caption", {}, "Assertions"),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...["Result", "Assertion", "Expected", "Actual"].map((label) =>
                h("th", { scope: "col" }, label),
              ),
            ),
          ),
          h(
            "tbody",
            {},
            ...item.assertions.map((assertion) =>
              h(
                "tr",
                { class: assertion.passed ? "passed" : "failed" },
                h("td", { "data-label": "Result" }, statusBadge(assertion.passed ? "passed" : "failed")),
                h(
                  "td",
                  { "data-label": "Assertion" },
                  `${assertion.name === undefined ? "" : `${assertion.name}: `}${assertion.that} ${assertion.op}`,
                  assertion.message === undefined ? null : h("br"),
                  assertion.message ?? null,
                ),
                valueCell("Expected", assertion.expected),
                valueCell("Actual", assertion.actual),
              ),
            ),
          ),
        ),
      ),
    );
  }
  if (item.captures !== undefined && Object.keys(item.captures).length > 0) {
    append(
      details,
      h("h4", {}, "Captures"),
      definitions(
        Object.entries(item.captures).map(
          ([name, value]) => [name, h("code", {}, showValue(value))] as const,
        ),
      ),
    );
  }
  if (item.response?.body !== undefined) {
    append(details, h("h4", {}, "Response body"), h("pre", {}, showValue(item.response.body)));
  }
  return details;
}

/** One event of a durable run as a line of its timeline. */
function timelineEntry(event: Record<string, unknown>): HTMLElement {
  const type = typeof event.type === "string" ? event.type : "event";
  const facts = Object.entries(event)
    .filter(([key, value]) => key !== "type" && (typeof value !== "object" || value === null))
    .map(([key, value]) => `${key}: ${String(value)}`);
  const item = event.item as ItemResult | undefined;
  if (item !== undefined && typeof item === "object") facts.unshift(`${item.name}: ${item.status}`);
  return h(
    "li",
    { "data-event": type },
    h("strong", {}, type),
    facts.length > 0 ? ` ${facts.join(", ")}` : "",
  );
}

/**
 * Draws a run; a durable run still going is followed through `/runs/:id/events?follow=1`.
 * @example
 * await runDetailView({ main, signal }, "1b4e28ba-2fa1-11d2-883f-0016d3cca427");
 */
export async function runDetailView(view: ViewContext, runId: string): Promise<void> {
  const body = h("div", {}, h("p", { role: "status" }, "Loading the run…"));
  startView(view, `Run ${runId}`, body);
  let run: RunRecordView;
  try {
    run = await getJson<RunRecordView>(`/runs/${encodeURIComponent(runId)}`);
  } catch (error) {
    replace(body, errorBox(error));
    return;
  }
  const overview = h("div", {});
  const timeline = h("ol", { class: "timeline", "aria-label": "Timeline" });
  const results = h("div", {});
  const draw = (record: RunRecordView): void => {
    const result = record.result;
    replace(
      overview,
      definitions(
        [
          ["Status", statusBadge(record.status)],
          [
            "Collection",
            h("a", { href: `#/collections/${encodeURIComponent(record.collection)}` }, record.collection),
          ],
          ["Mode", record.mode],
          ["Started", when(record.createdAt)],
          ["Updated", when(record.updatedAt)],
          ["Duration", result === undefined ? undefined : duration(result.durationMs)],
          ["Summary", result === undefined ? undefined : summaryText(result.summary)],
          ["Waiting for", record.waitingFor === undefined ? undefined : showValue(record.waitingFor)],
        ],
        { class: "overview" },
      ),
    );
    if (result === undefined) {
      replace(results, FINAL.has(record.status) ? h("p", {}, "This run has no stored result.") : null);
      return;
    }
    const json = h("button", { type: "button" }, "Download JSON");
    json.addEventListener("click", () =>
      download(`run-${record.runId}.json`, "application/json", `${JSON.stringify(result, null, 2)}\n`),
    );
    const junit = h("button", { type: "button" }, "Download JUnit");
    junit.addEventListener("click", () =>
      download(`run-${record.runId}.junit.xml`, "application/xml", toJUnit(result)),
    );
    replace(
      results,
      h("p", { class: "actions" }, json, " ", junit),
      h("h2", {}, "Items"),
      ...result.items.map(itemDetails),
    );
  };
  draw(run);
  if (run.mode !== "durable") {
    // An immediate run's events went to its caller as they happened; only durable runs keep them.
    replace(body, overview, results);
    return;
  }
  replace(body, overview, h("h2", {}, "Timeline"), timeline, results);
  const follow = !FINAL.has(run.status);
  try {
    const events = await api(`/runs/${encodeURIComponent(runId)}/events${follow ? "?follow=1" : ""}`, {
      headers: { accept: "application/x-ndjson" },
      signal: view.signal,
    });
    await readNdjson(events, (line) => {
      if (typeof line !== "object" || line === null) return;
      const event = line as Record<string, unknown>;
      if (event.type === "heartbeat") return;
      append(timeline, timelineEntry(event));
    });
    if (timeline.childElementCount === 0) append(timeline, h("li", {}, "No event recorded."));
    if (follow && !view.signal.aborted)
      draw(await getJson<RunRecordView>(`/runs/${encodeURIComponent(runId)}`));
  } catch (error) {
    if (!view.signal.aborted) append(body, errorBox(error));
  }
}
