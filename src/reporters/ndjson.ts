/** NDJSON lines for the event stream; events are already redacted by the runner. */
import type { RunEvent, RunResult } from "../results/result.ts";

/** One event (or the closing `{type: "result"}`) as one NDJSON line, newline included. */
export function toNdjsonLine(event: RunEvent | { type: "result"; result: RunResult }): string {
  return `${JSON.stringify(event)}\n`;
}
