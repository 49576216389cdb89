// Timed child processes.
import { spawn } from "node:child_process";

/**
 * Runs a command to completion and measures its wall-clock time from spawn to exit (start-up
 * included). stdout is drained (its size and last lines kept) so a chatty tool is not slowed by
 * a full pipe.
 * @returns {Promise<{ ms: number, code: number | null, stdoutBytes: number, tail: string }>}
 */
export function runTimed(command, args, { env = process.env, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdoutBytes = 0;
    let tail = "";
    const keep = (chunk) => {
      tail = (tail + chunk).slice(-4000);
    };
    child.stdout.on("data", (chunk) => {
      stdoutBytes += chunk.length;
      keep(chunk);
    });
    child.stderr.on("data", keep);
    child.once("error", reject);
    child.once("close", (code) => resolve({ ms: performance.now() - started, code, stdoutBytes, tail }));
  });
}
