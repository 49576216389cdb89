/**
 * The Monitors page: the caller's monitors (`GET /monitors`) with their schedule in words, next
 * run, last run's outcome and pass rate (each monitor's `GET /monitors/:id`, a few at a time,
 * filled in as they answer), and a form creating one.
 */
import { getJson } from "../api.ts";
import { h, replace, statusBadge } from "../dom.ts";
import { type MonitorDetail, type MonitorSummary, passRateText, scheduleText } from "../monitor-model.ts";
import { errorBox, startView, type ViewContext, when } from "../page.ts";
import { monitorForm } from "./monitor-form.ts";

/** Details asked for at once: a caller may have 200 monitors. */
const DETAIL_CONCURRENCY = 4;

/** One monitor's row; its last run and pass rate cells are filled once its details answer. */
function monitorRow(monitor: MonitorSummary): { row: HTMLElement; last: HTMLElement; rate: HTMLElement } {
  const last = h("td", { "data-label": "Last run", class: "last-run" }, "loading…");
  const rate = h("td", { "data-label": "Pass rate", class: "pass-rate" }, "loading…");
  const row = h(
    "tr",
    { "data-monitor": monitor.id },
    h("th", { scope: "row" }, h("a", { href: `#/monitors/${encodeURIComponent(monitor.id)}` }, monitor.id)),
    h("td", { "data-label": "Collection" }, monitor.collection),
    h("td", { "data-label": "Schedule" }, scheduleText(monitor.schedule)),
    h("td", { "data-label": "Next run" }, monitor.nextRunAt === null ? "never" : when(monitor.nextRunAt)),
    last,
    rate,
  );
  return { row, last, rate };
}

/** Fills the rows' last run and pass rate, a few monitors at a time, until the view ends. */
async function fillDetails(
  rows: ReturnType<typeof monitorRow>[],
  monitors: MonitorSummary[],
  signal: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < monitors.length && !signal.aborted) {
      const index = next++;
      const cells = rows[index];
      const monitor = monitors[index];
      if (cells === undefined || monitor === undefined) return;
      try {
        const detail = await getJson<MonitorDetail>(`/monitors/${encodeURIComponent(monitor.id)}`);
        const latest = detail.lastRuns[0];
        replace(
          cells.last,
          latest === undefined ? "no run yet" : statusBadge(latest.status),
          latest === undefined ? null : ` ${when(latest.startedAt)}`,
        );
        replace(cells.rate, passRateText(detail.passRate));
      } catch {
        replace(cells.last, "could not be read");
        replace(cells.rate, "");
      }
    }
  };
  await Promise.all(Array.from({ length: DETAIL_CONCURRENCY }, worker));
}

/**
 * Draws the monitors and the form creating one.
 * @example
 * await monitorsView({ main, signal });
 */
export async function monitorsView(view: ViewContext): Promise<void> {
  const body = h("div", {}, h("p", { role: "status" }, "Loading monitors…"));
  const create = h("section", { "aria-labelledby": "monitor-new-heading" });
  startView(view, "Monitors", body, create);
  let monitors: MonitorSummary[];
  try {
    monitors = (await getJson<{ monitors: MonitorSummary[] }>("/monitors")).monitors;
  } catch (error) {
    replace(body, errorBox(error));
    return;
  }
  const rows = monitors.map(monitorRow);
  replace(
    body,
    h(
      "p",
      {},
      `${monitors.length} monitor(s). Each runs a saved collection on its UTC schedule as a durable run.`,
    ),
    monitors.length === 0
      ? null
      : h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { class: "stack monitors" },
            h("caption", { class: "visually-hidden" }, "Monitors, by id"),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                ...["Monitor", "Collection", "Schedule", "Next run", "Last run", "Pass rate"].map((label) =>
                  h("th", { scope: "col" }, label),
                ),
              ),
            ),
            h("tbody", {}, ...rows.map((cells) => cells.row)),
          ),
        ),
  );
  replace(
    create,
    h("h2", { id: "monitor-new-heading" }, "New monitor"),
    await monitorForm({ taken: new Set(monitors.map((monitor) => monitor.id)) }),
  );
  await fillDetails(rows, monitors, view.signal);
}
