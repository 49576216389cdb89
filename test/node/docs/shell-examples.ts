/**
 * Shell examples: the commands of a block, and whether the test can run them. It runs
 * `certn-edge` (or `npx certn-edge`) commands that need no account and no network: those with
 * `--simulator` or `--dry-run`, `validate`, `import-postman`, `--help` and `--version`. Every other
 * command (npm, wrangler, curl...) needs a `skip` marker saying why.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The commands of a shell block: continuation lines joined, comments and blank lines removed. */
export function shellCommands(code: string): string[] {
  const joined = code.replace(/\\\n/g, " ");
  return joined
    .split("\n")
    .map((line) => stripComment(line).trim())
    .filter((line) => line !== "");
}

/** The line without a `#` comment (a `#` at the start or after a space, outside quotes). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"') i++;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === "#" && (i === 0 || /\s/.test(line[i - 1] ?? ""))) {
      return line.slice(0, i);
    }
  }
  return line;
}

const CERTN_EDGE = /^(?:npx\s+)?certn-edge(?:\s|$)/;

/** Why the test cannot run this command, or undefined when it can. */
export function whyNotRunnable(command: string): string | undefined {
  if (!CERTN_EDGE.test(command)) return `not a certn-edge command: ${command}`;
  const words = command.split(/\s+/);
  const offline =
    words.includes("--simulator") ||
    words.includes("--dry-run") ||
    words.includes("--help") ||
    words.includes("--version") ||
    ["validate", "import-postman"].includes(words.find((word, i) => i > 0 && word !== "certn-edge") ?? "");
  return offline ? undefined : `needs Certn credentials or the network: ${command}`;
}

/**
 * Writes `certn-edge` and `npx` stand-ins into `binDir`: both run the built CLI of `root`
 * (dist/cli/main.js) with this Node; `npx` refuses anything else.
 */
export function writeShims(binDir: string, root: string): void {
  mkdirSync(binDir, { recursive: true });
  const cli = join(root, "dist", "cli", "main.js");
  const shims = {
    "certn-edge": `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`,
    npx: `#!/bin/sh\nif [ "$1" = certn-edge ]; then shift; exec "${process.execPath}" "${cli}" "$@"; fi\necho "docs examples: npx $1 is not available here" >&2\nexit 127\n`,
  };
  for (const [name, text] of Object.entries(shims)) {
    writeFileSync(join(binDir, name), text);
    chmodSync(join(binDir, name), 0o755);
  }
}

/** Timings in the CLI's output ("31 ms", "8.0 s") vary from run to run. */
export function normalizeOutput(text: string): string {
  return text
    .replace(/\b\d+(?:\.\d+)? m?s\b/g, "<time>")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

/** The outcome of one process. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a process and collects its output, asynchronously (the simulator serving the examples
 * lives in this process and must keep answering). Killed after `timeoutMs`.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs?: number },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs tasks at most `size` at a time, in the order they were queued. */
export function createPool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
