// 6. Rate-limit pacing. The simulator's only window is a rolling minute, so a run takes at least
// two minutes of mostly waiting. Each run has its own process (lib/pacing-run.mjs) and simulator,
// at concurrency 1 and 6 side by side, in the background while the other sections run: each
// sends three bursts of N requests in all, and its result is dominated by the windows, not CPU.
import { fileURLToPath } from "node:url";
import { runTimed } from "../lib/proc.mjs";
import { round } from "../lib/stats.mjs";

const entry = fileURLToPath(new URL("../lib/pacing-run.mjs", import.meta.url));

/** One pacing run in its own process; resolves with its JSON figures. */
function pacingRun(perWindow, concurrency) {
  return runTimed(process.execPath, [entry, String(perWindow), String(concurrency)]).then((outcome) => {
    const line = outcome.tail.trim().split("\n").at(-1) ?? "";
    try {
      return JSON.parse(line);
    } catch {
      throw new Error(`pacing run failed (exit ${outcome.code}): ${outcome.tail.slice(-800)}`);
    }
  });
}

/**
 * Starts the pacing runs at concurrency 1 and 6 side by side (each with its own simulator); the
 * returned promise resolves with the section's figures and targets.
 */
export function startPacing({ perWindow = 20 } = {}) {
  return Promise.all([pacingRun(perWindow, 1), pacingRun(perWindow, 6)]).then((runs) => {
    const figures = {};
    const targets = [];
    for (const run of runs) {
      const over = run.ms / run.minimumMs - 1;
      run.overMinimum = round(over * 100, 1);
      figures[`c${run.concurrency}`] = run;
      const label = `pacing, ${run.iterations} requests at ${run.perWindow}/min (server and runner), concurrency ${run.concurrency}`;
      targets.push(
        {
          id: "6",
          name: `${label}: 429 responses`,
          measured: String(run.tooMany),
          goal: "0",
          met: run.tooMany === 0,
        },
        {
          id: "6",
          name: `${label}: finish over the minimum (2 windows, 120 s)`,
          measured: `${(run.ms / 1000).toFixed(1)} s (${run.overMinimum >= 0 ? "+" : ""}${run.overMinimum}%; ${run.attempts} attempts)`,
          goal: "≤ +5%",
          met: over <= 0.05 && over >= 0,
        },
      );
    }
    return { figures, targets };
  });
}
