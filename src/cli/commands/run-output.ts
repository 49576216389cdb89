/**
 * What `certn-edge run` leaves behind once the runs are over: the totals of several collections,
 * the reports (files under `--out`, or one machine-readable report on stdout) and the captured
 * variables of `--export-captures`.
 */
import type { Variables } from "../../collection/model.ts";
import type { RunResult } from "../../runner/index.ts";
import { type Reporters, renderCombined, renderReport, reportPath, runPassed } from "../reports.ts";
import type { Output, Runtime } from "../runtime.ts";
import { isStreamed } from "../streamed-reports.ts";
import type { CollectionRun } from "./run-loop.ts";
import type { RunFlags } from "./run-options.ts";

/** Captured values that can be variables again (strings, numbers, booleans), last one wins. */
export function capturedVariables(runs: readonly CollectionRun[]): Variables {
  const captured: Variables = {};
  for (const run of runs) Object.assign(captured, run.captured);
  return captured;
}

/** `2 collections: 1 passed, 1 failed`, for a run of several collections. */
function writeTotals(results: readonly RunResult[], out: Output): void {
  if (results.length < 2) return;
  const passed = results.filter(runPassed).length;
  out.write(`\n${results.length} collections: ${passed} passed, ${results.length - passed} failed\n`);
}

/** Writes the reports: one file per collection and reporter under `--out`, else to stdout. */
async function writeReports(
  flags: RunFlags,
  runs: readonly CollectionRun[],
  runtime: Runtime,
  reporters: Reporters,
): Promise<void> {
  const results = runs.map(({ result }) => result);
  if (flags.out === undefined) {
    // Even when nothing ran, a machine-readable stdout stays parseable (an empty list).
    for (const name of flags.reporters) {
      if (name !== "text") runtime.stdout.write(renderCombined(name, results, reporters));
    }
    return;
  }
  const out = flags.out;
  const written: string[] = [];
  for (const run of runs) {
    for (const name of flags.reporters) {
      const path = reportPath(out, run.baseName, name);
      // JSON and JUnit files were written as the run went (streamed-reports.ts).
      if (isStreamed(name)) {
        if (run.written.includes(runtime.resolvePath(path))) written.push(path);
        continue;
      }
      await runtime.writeText(path, renderReport(name, run.result, reporters));
      written.push(path);
    }
  }
  runtime.stdout.write(`Reports: ${written.join(", ")}\n`);
}

/**
 * The captures `--export-captures` leaves out, by name: those reported masked (`masked`: a secret
 * or personal value, in a string or inside an object or array), and the other objects, arrays and
 * nulls (`other`: no variable can hold one). Objects are read from the items the results kept.
 */
function leftOutCaptures(
  runs: readonly CollectionRun[],
  captured: Variables,
  showsMasked: (text: string) => boolean,
): { masked: string[]; other: string[] } {
  const masked = new Set(runs.flatMap((run) => run.masked));
  const other = new Set<string>();
  for (const { result } of runs) {
    for (const item of result.items) {
      for (const [name, value] of Object.entries(item.captures ?? {})) {
        if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") continue;
        if (showsMasked(JSON.stringify(value))) masked.add(name);
        else other.add(name);
      }
    }
  }
  const absent = (name: string): boolean => !Object.hasOwn(captured, name);
  return {
    masked: [...masked].filter(absent),
    other: [...other].filter((name) => absent(name) && !masked.has(name)),
  };
}

/** Writes `--export-captures`, when asked for, and names on `out` every capture it leaves out. */
async function exportCaptures(
  flags: RunFlags,
  runs: readonly CollectionRun[],
  runtime: Runtime,
  out: Output,
  showsMasked: (text: string) => boolean,
) {
  const file = flags.exportCaptures;
  if (file === undefined) return;
  const captured = capturedVariables(runs);
  await runtime.writeText(file, `${JSON.stringify(captured, null, 2)}\n`);
  out.write(`Captured variables written to ${file}\n`);
  const { masked, other } = leftOutCaptures(runs, captured, showsMasked);
  if (masked.length > 0) {
    out.write(
      `Left out of ${file} (a secret or personal value, which is never written): ${masked.join(", ")}\n`,
    );
  }
  if (other.length > 0) {
    out.write(
      `Left out of ${file} (an object, array or null, which no variable holds): ${other.join(", ")}\n`,
    );
  }
}

/** Everything written after the runs: totals (to `out`, with the progress), reports, captures. */
export async function writeRunOutput(
  flags: RunFlags,
  runs: readonly CollectionRun[],
  runtime: Runtime,
  out: Output,
): Promise<void> {
  const results = runs.map(({ result }) => result);
  writeTotals(results, out);
  const runner = await import("../../runner/index.ts");
  await writeReports(flags, runs, runtime, runner);
  await exportCaptures(flags, runs, runtime, out, runner.showsMasked);
}
