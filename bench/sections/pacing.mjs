// 6. Rate-limit pacing. The simulator's only window is a rolling minute, so the run takes at
// least two minutes of mostly waiting; it runs in its own process (lib/pacing-run.mjs) with its
// own simulator, in the background while the other sections run (it sends three bursts of N
// requests in all, and its result is dominated by the windows, not by CPU).
import { fileURLToPath } from "node:url";
import { runTimed } from "../lib/proc.mjs";
import { round } from "../lib/stats.mjs";

const entry = fileURLToPath(new URL("../lib/pacing-run.mjs", import.meta.url));

/** Starts the pacing run; the returned promise resolves with the section's figures and targets. */
export function startPacing({ perWindow = 20, concurrency = 1 } = {}) {
  return runTimed(process.execPath, [entry, String(perWindow), String(concurrency)]).then((outcome) => {
    const line = outcome.tail.trim().split("\n").at(-1) ?? "";
    let figures;
    try {
      figures = JSON.parse(line);
    } catch {
      throw new Error(`pacing run failed (exit ${outcome.code}): ${outcome.tail.slice(-800)}`);
    }
    const over = figures.ms / figures.minimumMs - 1;
    figures.overMinimum = round(over * 100, 1);
    return {
      figures,
      targets: [
        {
          id: "6",
          name: `pacing: ${figures.iterations} requests at ${figures.perWindow}/min (server and runner), 429 responses`,
          measured: String(figures.tooMany),
          goal: "0",
          met: figures.tooMany === 0,
        },
        {
          id: "6",
          name: "pacing: finish time over the theoretical minimum (2 windows = 120 s)",
          measured: `${(figures.ms / 1000).toFixed(1)} s (${figures.overMinimum >= 0 ? "+" : ""}${figures.overMinimum}%)`,
          goal: "≤ +5%",
          met: over <= 0.05 && over >= 0,
        },
      ],
    };
  });
}
