/**
 * One run: status, summary, every item with its assertions (expected beside actual, the failing
 * items open), captures, request and response; a durable run's timeline (steps, sleeps, webhook
 * waits), followed live until it ends; the result as JSON or JUnit (the runner's own `toJUnit`).
 */
import { type ItemResult, type RunEvent, type RunResult, toJUnit } from "../../../../runner/index.ts";
import { FINAL_STATUSES } from "../../../store/runs.ts";
import { api, getJson, readNdjson } from "../api.ts";
import { append, type Child, definitions, download, h, replace, showValue, statusBadge } from "../dom.ts";
import { duration, errorBox, startView, type ViewContext, when } from "../page.ts";
import { summaryText } from "./run.ts";
import type { RunListEntry } from "./runs.ts";

/** `GET /runs/:runId`. */
interface RunRecordView extends RunListEntry {
  progress?: unknown;
  waitingFor?: unknown;
  result?: RunResult;
}

/** How often a followed run's record is read again (its status and what it waits for). */
const REFRESH_MS = 2_000;

/** A value cell: JSON as preformatted text. */
function valueCell(label: string, value: unknown): HTMLElement {
  return h("td", { "data-label": label }, h("pre", {}, showValue(value)));
}

/** One item of the result, as a disclosure open when it did not pass. */
function itemDetails(item: ItemResult): HTMLElement {
  // `path` is the folder names, then the item's own name.
  const summary = h("summary", {}, statusBadge(item.status), " ", item.path.join(" / ") || item.name);
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

/** What a durable run waits for (`waitingFor` of its record), in words. */
export function waitingText(waitingFor: unknown): string | undefined {
  if (typeof waitingFor !== "object" || waitingFor === null) return undefined;
  const wait = waitingFor as {
    kind?: unknown;
    step?: unknown;
    until?: unknown;
    webhook?: unknown;
    match?: unknown;
  };
  if (wait.kind === "poll") {
    return `sleeping before the next poll of ${String(wait.step)}, until ${when(String(wait.until))}`;
  }
  if (wait.kind === "webhook") {
    return `waiting for a ${String(wait.webhook)} webhook matching ${JSON.stringify(wait.match ?? {})}`;
  }
  return showValue(waitingFor);
}

/** One event of a durable run as a line of its timeline, in words. */
function timelineEntry(line: Record<string, unknown>): HTMLElement {
  // Lines of other types (none today) fall to the default branch, shown as their JSON.
  const event = line as RunEvent;
  const entry = (type: string, ...children: Child[]): HTMLElement =>
    h("li", { "data-event": type }, ...children);
  switch (event.type) {
    case "run-start":
      return entry(event.type, `Run started: ${event.collection}, ${event.iterations} iteration(s)`);
    case "item-start":
      return entry(event.type, `${event.name}: started`);
    case "attempt": {
      const parts = [`attempt ${event.attempt}`];
      if (event.poll !== undefined) parts.push(`poll ${event.poll.attempt} of ${event.poll.maxAttempts}`);
      if (event.status !== undefined) parts.push(`HTTP ${event.status}`);
      if (event.errorCode !== undefined) parts.push(event.errorCode);
      if (event.retryInMs !== undefined) parts.push(`next try in ${duration(event.retryInMs)}`);
      return entry(event.type, `${event.name}: ${parts.join(", ")}`);
    }
    case "item-end":
      return entry(event.type, `${event.item.name}: `, statusBadge(event.item.status));
    case "run-end":
      return entry(event.type, `Run ended: ${summaryText(event.summary)}`);
    default:
      return entry(String(line.type), `${String(line.type)}: ${showValue(line)}`);
  }
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
          ["Waiting", waitingText(record.waitingFor)],
        ],
        { class: "overview" },
      ),
    );
    if (result === undefined) {
      replace(
        results,
        FINAL_STATUSES.has(record.status) ? h("p", {}, "This run has no stored result.") : null,
      );
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
  const follow = !FINAL_STATUSES.has(run.status);
  const controls = h("div", { class: "actions" });
  if (follow) {
    const cancel = h("button", { type: "button" }, "Cancel run");
    cancel.addEventListener("click", () => {
      cancel.disabled = true;
      api(`/runs/${encodeURIComponent(runId)}/cancel`, { method: "POST" })
        .then(() =>
          replace(controls, h("p", { role: "status" }, "Cancel requested: the run stops at its next step.")),
        )
        .catch((error: unknown) => {
          cancel.disabled = false;
          append(controls, errorBox(error));
        });
    });
    append(controls, cancel);
  }
  replace(body, overview, controls, h("h2", {}, "Timeline"), timeline, results);
  // While the run goes on, its record says what it waits for (a poll's sleep, a webhook): each
  // new wait joins the timeline, and the overview follows its status.
  let lastWait = JSON.stringify(run.waitingFor ?? null);
  const refresh = async (): Promise<void> => {
    const record = await getJson<RunRecordView>(`/runs/${encodeURIComponent(runId)}`);
    if (view.signal.aborted) return;
    const wait = JSON.stringify(record.waitingFor ?? null);
    const text = waitingText(record.waitingFor);
    if (wait !== lastWait && text !== undefined) {
      append(timeline, h("li", { "data-event": "waiting" }, `Waiting: ${text}`));
    }
    lastWait = wait;
    if (!FINAL_STATUSES.has(record.status)) draw(record);
  };
  const ticker = follow ? setInterval(() => void refresh().catch(() => undefined), REFRESH_MS) : undefined;
  view.signal.addEventListener("abort", () => clearInterval(ticker));
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
    if (follow && !view.signal.aborted) {
      replace(controls);
      draw(await getJson<RunRecordView>(`/runs/${encodeURIComponent(runId)}`));
    }
  } catch (error) {
    if (!view.signal.aborted) append(body, errorBox(error));
  } finally {
    clearInterval(ticker);
  }
}
