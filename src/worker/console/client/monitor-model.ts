/**
 * Monitors as `GET /monitors` and `GET /monitors/:id` answer them (dates as ISO strings), and the
 * words the console shows for their schedule and pass rate.
 */
import type { RunStatus } from "../../store/runs.ts";
import { h } from "./dom.ts";
import { scheduleInWords } from "./schedule-words.ts";

/** A monitor of `GET /monitors` (its alert URL redacted by the Worker). */
export interface MonitorSummary {
  id: string;
  collection: string;
  schedule: string;
  nextRunAt: string | null;
  alert: { url: string; on: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** One of a monitor's last runs; `startError` when its run could not be started (no run record). */
export interface MonitorRunEntry {
  runId: string;
  status: RunStatus;
  slot: string;
  startedAt: string;
  durationMs: number | null;
  startError?: string;
}

/** One attempt to deliver an alert. */
export interface AlertDelivery {
  runId: string;
  attempt: number;
  at: string;
  ok: boolean;
  status: number | null;
  errorCode?: string;
}

/** `GET /monitors/:id`. */
export interface MonitorDetail extends MonitorSummary {
  lastRuns: MonitorRunEntry[];
  passRate: number | null;
  alertDeliveries: AlertDelivery[];
}

/**
 * The schedule in words (when it has a common shape) and as written.
 * @example
 * scheduleText("*\/5 * * * *"); // <span>every 5 minutes (<code>*\/5 * * * *</code>, UTC)</span>
 */
export function scheduleText(schedule: string): HTMLElement {
  const words = scheduleInWords(schedule);
  return h(
    "span",
    { class: "schedule" },
    words === undefined ? "" : `${words} (`,
    h("code", {}, schedule),
    words === undefined ? ", UTC" : ")",
  );
}

/**
 * The pass rate in words.
 * @example
 * passRateText(0.75); // "75% passed"
 */
export function passRateText(rate: number | null): string {
  return rate === null ? "no finished run yet" : `${Math.round(rate * 100)}% passed`;
}
