// A description of the machine the figures were measured on.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";

function tryText(read, trim = true) {
  try {
    return trim ? read().trim() : read();
  } catch {
    return "unknown";
  }
}

/** nproc, CPU model, memory (free -h), Node version and the load average right now. */
export function describeMachine() {
  const cpu = tryText(
    () => /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown",
  );
  return {
    nproc: tryText(() => execFileSync("nproc", { encoding: "utf8" })),
    cpu,
    // Not trimmed at the start: the header line of `free -h` is aligned with leading spaces.
    memory: tryText(() => execFileSync("free", ["-h"], { encoding: "utf8" }).trimEnd(), false),
    node: process.version,
    load: loadavg()
      .map((n) => n.toFixed(2))
      .join(" "),
  };
}

/** The 1-minute load average, to note how busy the shared machine was. */
export const load1 = () => loadavg()[0].toFixed(2);
