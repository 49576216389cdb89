/**
 * One monitor: its settings, its last results as a table and as a chart of duration over time
 * (with pass and fail marks), its recent alert deliveries; refreshed while a run is going. With
 * `monitors:write` it can be edited (the same form as a new one) and deleted, after a confirmation.
 */

import { FINAL_STATUSES } from "../../../store/runs.ts";
import { api, getJson } from "../api.ts";
import { definitions, h, replace, statusBadge } from "../dom.ts";
import { chartLegend, durationChart } from "../duration-chart.ts";
import { type MonitorDetail, type MonitorRunEntry, passRateText, scheduleText } from "../monitor-model.ts";
import { duration, errorBox, startView, type ViewContext, when } from "../page.ts";
import { monitorForm } from "./monitor-form.ts";

/** How often the page reads the monitor again while one of its runs is going. */
const REFRESH_MS = 3_000;

/** The last results as a table: the chart's data, in words. */
function resultsTable(runs: readonly MonitorRunEntry[]): HTMLElement {
  const rows = runs.map((run) =>
    h(
      "tr",
      { "data-run": run.runId, "data-status": run.status },
      h("td", { "data-label": "Status" }, statusBadge(run.status)),
      h("td", { "data-label": "Started" }, when(run.startedAt)),
      h("td", { "data-label": "Duration" }, run.durationMs === null ? "not ended" : duration(run.durationMs)),
      h(
        "td",
        { "data-label": "Run" },
        // A run that could not be started has no record to open: its reason instead.
        run.startError === undefined
          ? h(
              "a",
              { href: `#/runs/${encodeURIComponent(run.runId)}` },
              "Open run ",
              h("code", {}, run.runId.slice(0, 8)),
            )
          : `not started: ${run.startError}`,
      ),
    ),
  );
  return h(
    "div",
    { class: "scroll" },
    h(
      "table",
      { class: "stack results" },
      h("caption", { class: "visually-hidden" }, "Last results, newest first"),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ...["Status", "Started", "Duration", "Run"].map((label) => h("th", { scope: "col" }, label)),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
  );
}

/** The monitor's settings, results and deliveries. */
function detailContent(monitor: MonitorDetail): HTMLElement[] {
  const content: HTMLElement[] = [
    definitions(
      [
        [
          "Collection",
          h("a", { href: `#/collections/${encodeURIComponent(monitor.collection)}` }, monitor.collection),
        ],
        ["Schedule", scheduleText(monitor.schedule)],
        ["Next run", monitor.nextRunAt === null ? "never" : when(monitor.nextRunAt)],
        ["Alert", monitor.alert === null ? "none" : `on ${monitor.alert.on}, to ${monitor.alert.url}`],
        ["Pass rate", h("span", { class: "pass-rate" }, passRateText(monitor.passRate))],
        ["Updated", when(monitor.updatedAt)],
      ],
      { class: "overview" },
    ),
    h("h2", { id: "monitor-results-heading" }, "Last results"),
  ];
  if (monitor.lastRuns.length === 0) {
    content.push(h("p", {}, "No run yet: the first starts at the next run time."));
  } else {
    content.push(
      h(
        "figure",
        { class: "chart-figure" },
        durationChart(monitor.lastRuns, "monitor-chart"),
        h(
          "figcaption",
          {},
          "Duration of each run, oldest on the left; the table below holds the same data. ",
          chartLegend(),
        ),
      ),
      resultsTable(monitor.lastRuns),
    );
  }
  if (monitor.alertDeliveries.length > 0) {
    content.push(
      h("h2", {}, "Alert deliveries"),
      h(
        "ul",
        { class: "deliveries" },
        ...monitor.alertDeliveries.map((delivery) =>
          h(
            "li",
            {},
            `${when(delivery.at)}: attempt ${delivery.attempt}, `,
            h("span", { class: delivery.ok ? "ok" : "bad" }, delivery.ok ? "delivered" : "not delivered"),
            delivery.status === null ? "" : ` (HTTP ${delivery.status})`,
            delivery.errorCode === undefined ? "" : ` ${delivery.errorCode}`,
          ),
        ),
      ),
    );
  }
  return content;
}

/** The delete button and its confirmation, in the page (no browser dialog). */
function deleteControls(id: string): HTMLElement {
  const area = h("div", { class: "danger" });
  const ask = (): void => {
    const start = h("button", { type: "button" }, "Delete monitor");
    start.addEventListener("click", () => {
      const yes = h("button", { type: "button" }, "Yes, delete it");
      const no = h("button", { type: "button", class: "secondary" }, "Keep it");
      const question = h(
        "p",
        { role: "alert" },
        `Delete the monitor ${id}? Its schedule stops; the records of its runs stay.`,
      );
      replace(area, question, yes, " ", no);
      no.addEventListener("click", () => {
        ask();
        area.querySelector("button")?.focus();
      });
      yes.addEventListener("click", () => {
        yes.disabled = true;
        void api(`/monitors/${encodeURIComponent(id)}`, { method: "DELETE" })
          .then(() => {
            location.hash = "#/monitors";
          })
          .catch((error: unknown) => {
            replace(area, errorBox(error));
          });
      });
      no.focus();
    });
    replace(area, start);
  };
  ask();
  return area;
}

/**
 * Draws a monitor.
 * @example
 * await monitorView({ main, signal }, "nightly-smoke");
 */
export async function monitorView(view: ViewContext, id: string): Promise<void> {
  const body = h("div", {}, h("p", { role: "status" }, "Loading the monitor…"));
  const status = h("p", { role: "status", class: "refresh-status" });
  const refresh = h("button", { type: "button" }, "Refresh");
  startView(
    view,
    `Monitor ${id}`,
    h("p", { class: "actions" }, h("a", { href: "#/monitors" }, "All monitors"), " ", refresh, status),
    body,
  );
  const path = `/monitors/${encodeURIComponent(id)}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  view.signal.addEventListener("abort", () => clearTimeout(timer));
  let first: MonitorDetail | undefined;
  const load = async (): Promise<void> => {
    clearTimeout(timer);
    try {
      const monitor = await getJson<MonitorDetail>(path);
      if (view.signal.aborted) return;
      first ??= monitor;
      replace(content, ...detailContent(monitor));
      replace(status, `Read at ${new Date().toLocaleTimeString()}.`);
      // A run still going: read again until it ends (the table and the chart follow it).
      if (monitor.lastRuns.some((run) => !FINAL_STATUSES.has(run.status))) {
        timer = setTimeout(() => void load(), REFRESH_MS);
      }
    } catch (error) {
      replace(content, errorBox(error));
    }
  };
  const content = h("div", {});
  refresh.addEventListener("click", () => void load());
  replace(body, content);
  await load();
  if (first === undefined || view.signal.aborted) return;
  const form = await monitorForm({ existing: first });
  if (view.signal.aborted) return;
  replace(
    body,
    content,
    h("h2", { id: "monitor-edit-heading" }, "Edit"),
    form,
    h("h2", {}, "Delete"),
    deleteControls(id),
  );
}
