/**
 * Progress while a run goes: one line per item as it finishes (status, name, duration) and, on a
 * terminal, a live line redrawn in place while an item waits (polls, retries). Off a terminal, or
 * with colours off, it writes plain lines with no escape codes at all. Control characters in names
 * and messages (a collection's, a response's) are shown as escapes, never sent to the terminal.
 */
import { printable } from "../core/printable.ts";
import type { ItemResult, RunEvent } from "../runner/index.ts";
import { formatDuration } from "./format.ts";
import type { Output } from "./runtime.ts";

/** How progress is drawn. */
export interface ProgressOptions {
  /** Redraw a live status line with `\r` and erase-line (only on a terminal). */
  live: boolean;
  /** ANSI colours (only on a terminal without NO_COLOR). */
  color: boolean;
}

/** Receives run events and draws them. */
export interface Progress {
  onEvent(event: RunEvent): void;
  /** Clears the live line, if one is drawn. */
  close(): void;
}

const ERASE_LINE = "\r\x1b[2K";
const COLORS = { passed: "32", failed: "31", errored: "33", skipped: "2" } as const;
const LABELS = { passed: "PASS ", failed: "FAIL ", errored: "ERROR", skipped: "SKIP " } as const;

/** Decides {@link ProgressOptions} for a stream and environment. */
export function progressOptions(
  out: Output,
  env: Readonly<Record<string, string | undefined>>,
): ProgressOptions {
  const live = out.isTTY && env.TERM !== "dumb";
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return { live, color: live && !noColor };
}

/** Creates a progress renderer writing to `out`. */
export function createProgress(out: Output, options: ProgressOptions): Progress {
  let liveShown = false;
  let iterations = 1;
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const clearLive = () => {
    if (liveShown) out.write(ERASE_LINE);
    liveShown = false;
  };
  const drawLive = (text: string) => {
    if (!options.live) return;
    // A pseudo-terminal without a size reports 0 columns.
    const width = Math.max(20, (out.columns && out.columns > 0 ? out.columns : 80) - 1);
    out.write(`${ERASE_LINE}${paint("2", truncate(text, width))}`);
    liveShown = true;
  };
  const label = (name: string, path: readonly string[], iteration: number) =>
    `${iterations > 1 ? `[${iteration + 1}] ` : ""}${printable(path.length > 0 ? path.join(" / ") : name)}`;

  return {
    onEvent(event) {
      switch (event.type) {
        case "run-start":
          iterations = event.iterations;
          break;
        case "item-start":
          drawLive(`  ...   ${label(event.name, event.path, event.iteration)}`);
          break;
        case "attempt": {
          const name = label(event.name, event.path, event.iteration);
          const status = event.status !== undefined ? `status ${event.status}` : (event.errorCode ?? "");
          if (event.poll) {
            const wait = event.retryInMs !== undefined ? `, next in ${formatDuration(event.retryInMs)}` : "";
            drawLive(
              `  ...   ${name}: poll attempt ${event.poll.attempt} of ${event.poll.maxAttempts} (${status}${wait})`,
            );
          } else if (event.retryInMs !== undefined) {
            drawLive(
              `  ...   ${name}: attempt ${event.attempt} got ${status}, retrying in ${formatDuration(event.retryInMs)}`,
            );
          }
          break;
        }
        case "item-end": {
          clearLive();
          const { item } = event;
          const duration =
            item.durationMs !== undefined && item.status !== "skipped"
              ? `  ${formatDuration(item.durationMs)}`
              : "";
          out.write(
            `  ${paint(COLORS[item.status], LABELS[item.status])} ${label(item.name, item.path, item.iteration)}${paint("2", duration)}\n`,
          );
          for (const line of describeProblems(item)) out.write(`          ${paint("2", line)}\n`);
          break;
        }
        case "run-end":
          clearLive();
          break;
      }
    },
    close: clearLive,
  };
}

/**
 * The detail lines under an item: why it failed or errored (already-redacted values), or, for a
 * skipped one, why it was skipped and what a dry run would have sent. Printable: control
 * characters are shown as escapes.
 */
export function describeProblems(item: ItemResult): string[] {
  return problemLines(item).map(printable);
}

function problemLines(item: ItemResult): string[] {
  const lines: string[] = [];
  if (item.status === "skipped") {
    if (item.request) {
      lines.push(
        `${item.request.method} ${item.request.url}${item.wouldOrder ? "  (orders a paid check)" : ""}`,
      );
    }
    // The run header already says "Dry run"; repeating it under every item is noise.
    if (item.skipReason && !item.skipReason.startsWith("dry run")) lines.push(item.skipReason);
    return lines;
  }
  if (item.error) lines.push(`${item.error.code}: ${item.error.message}`);
  for (const assertion of item.assertions) {
    if (assertion.passed) continue;
    const expected =
      assertion.expected === undefined ? "" : ` ${truncate(JSON.stringify(assertion.expected), 120)}`;
    const actual =
      assertion.actual === undefined ? "nothing" : truncate(JSON.stringify(assertion.actual), 120);
    const name = assertion.name ? `${assertion.name}: ` : "";
    const why = assertion.message ? ` (${assertion.message})` : "";
    lines.push(`${name}${assertion.that} ${assertion.op}${expected}, got ${actual}${why}`);
  }
  return lines;
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}
