/**
 * A monitor's run durations over time as a small inline SVG, drawn here from the data (no chart
 * library, nothing loaded). Each run is one mark whose shape says its outcome (a filled dot passed,
 * a cross failed or errored, a ring anything else) as well as its colour, with a `<title>` in
 * words; the chart has a title and a description, and the same data is in the table beside it.
 */
import { type Child, h, svg } from "./dom.ts";
import { duration, when } from "./page.ts";

/** One run as the chart needs it. */
export interface ChartRun {
  runId: string;
  status: string;
  startedAt: string;
  durationMs: number | null;
}

const WIDTH = 640;
const HEIGHT = 200;
const LEFT = 64;
const RIGHT = 16;
const TOP = 16;
const BOTTOM = 40;
const MARK = 5;

/** The shape of a mark: its outcome in form as well as colour. */
function markOf(run: ChartRun, x: number, y: number): SVGElement {
  const label = `${run.status.toUpperCase()}, started ${when(run.startedAt)}, ${
    run.durationMs === null ? "no duration yet" : duration(run.durationMs)
  }`;
  const common = { "data-status": run.status, "data-run": run.runId };
  const title = svg("title", {}, label);
  if (run.status === "passed") {
    return svg("circle", { ...common, class: "mark mark-passed", cx: x, cy: y, r: MARK }, title);
  }
  if (run.status === "failed" || run.status === "errored") {
    const d = `M${x - MARK} ${y - MARK}L${x + MARK} ${y + MARK}M${x - MARK} ${y + MARK}L${x + MARK} ${y - MARK}`;
    return svg("path", { ...common, class: "mark mark-failed", d }, title);
  }
  return svg("circle", { ...common, class: "mark mark-other", cx: x, cy: y, r: MARK - 1 }, title);
}

/**
 * The chart of `runs` (newest first, as `GET /monitors/:id` lists them), drawn oldest to newest.
 * @example
 * append(section, durationChart(detail.lastRuns, "monitor-chart"));
 */
export function durationChart(newestFirst: readonly ChartRun[], id: string): SVGElement {
  const runs = [...newestFirst].reverse();
  const timed = runs.filter((run) => run.durationMs !== null);
  const longest = Math.max(1, ...timed.map((run) => run.durationMs ?? 0));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  // Placed by start time, so gaps (a paused or changed schedule) show as gaps.
  const times = runs.map((run) => Date.parse(run.startedAt));
  const earliest = Math.min(...times);
  const span = Math.max(...times) - earliest;
  const xOf = (index: number): number =>
    Math.round(
      LEFT + (span > 0 ? (((times[index] ?? earliest) - earliest) / span) * plotWidth : plotWidth / 2),
    );
  // A run with no duration yet sits on the baseline.
  const yOf = (ms: number | null): number =>
    Math.round(TOP + plotHeight - ((ms ?? 0) / longest) * plotHeight);
  const passed = runs.filter((run) => run.status === "passed").length;
  const failed = runs.filter((run) => run.status === "failed" || run.status === "errored").length;
  const description =
    runs.length === 0
      ? "No run yet."
      : `${runs.length} run(s), oldest first, from ${when(runs[0]?.startedAt ?? "")} to ${when(
          runs[runs.length - 1]?.startedAt ?? "",
        )}: ${passed} passed, ${failed} failed or errored; the longest took ${duration(longest)}.`;
  const points = runs
    .map((run, index) => (run.durationMs === null ? null : `${xOf(index)},${yOf(run.durationMs)}`))
    .filter((point) => point !== null);
  const axes: Child[] = [
    svg("line", { class: "axis", x1: LEFT, y1: TOP + plotHeight, x2: WIDTH - RIGHT, y2: TOP + plotHeight }),
    svg("line", { class: "grid", x1: LEFT, y1: TOP, x2: WIDTH - RIGHT, y2: TOP }),
    svg("text", { x: LEFT - 6, y: TOP + 4, "text-anchor": "end" }, duration(longest)),
    svg("text", { x: LEFT - 6, y: TOP + plotHeight + 4, "text-anchor": "end" }, "0"),
  ];
  if (runs.length > 0) {
    axes.push(
      svg("text", { x: LEFT, y: HEIGHT - 12, "text-anchor": "start" }, when(runs[0]?.startedAt ?? "")),
    );
  }
  if (runs.length > 1) {
    axes.push(
      svg(
        "text",
        { x: WIDTH - RIGHT, y: HEIGHT - 12, "text-anchor": "end" },
        when(runs[runs.length - 1]?.startedAt ?? ""),
      ),
    );
  }
  return svg(
    "svg",
    {
      id,
      class: "chart",
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: "img",
      "aria-labelledby": `${id}-title ${id}-desc`,
    },
    svg("title", { id: `${id}-title` }, "Run duration over time, with pass and fail marks"),
    svg("desc", { id: `${id}-desc` }, description),
    ...axes,
    points.length > 1 ? svg("polyline", { class: "line", points: points.join(" ") }) : null,
    svg("g", { class: "marks" }, ...runs.map((run, index) => markOf(run, xOf(index), yOf(run.durationMs)))),
  );
}

/**
 * The chart's key: each mark's shape drawn as in the chart, with its meaning in words.
 * @example
 * append(figure, chartLegend());
 */
export function chartLegend(): HTMLElement {
  const entry = (status: string, words: string): HTMLElement => {
    const mark = markOf({ runId: "", status, startedAt: "", durationMs: null }, 7, 7);
    // The key's marks stand for no run: no tooltip.
    mark.querySelector("title")?.remove();
    return h(
      "span",
      { class: "legend-entry" },
      svg(
        "svg",
        { class: "legend-mark", viewBox: "0 0 14 14", width: 14, height: 14, "aria-hidden": "true" },
        mark,
      ),
      ` ${words}`,
    );
  };
  return h(
    "p",
    { class: "legend" },
    "Marks: ",
    entry("passed", "passed"),
    entry("failed", "failed or errored"),
    entry("running", "not ended or cancelled"),
  );
}
