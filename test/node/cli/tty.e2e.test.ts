/**
 * Progress on a terminal versus a pipe. `script` (util-linux) gives the CLI a pseudo-terminal,
 * so stdout.isTTY is true there exactly as in a user's shell.
 */
import { spawn, spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { buildCli, cleanEnv, ROOT, runCli } from "./helpers/built-cli.ts";

// Each test starts real processes, which takes a while on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let main: string;
const hasScript = spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
if (!hasScript && process.env.CI !== "true") {
  console.warn("SKIPPING the terminal progress tests: script(1) from util-linux is not installed");
}

beforeAll(() => {
  main = buildCli();
}, 300_000);

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Runs the CLI inside a pseudo-terminal and returns everything it drew, escape codes included. */
function runOnTerminal(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, main, ...args].map(shellQuote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: ROOT,
      env: cleanEnv({ TERM: "xterm-256color", COLUMNS: "120", ...env }),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
    child.stdin.end();
  });
}

describe.skipIf(!hasScript && process.env.CI !== "true")("progress output", () => {
  it("on a terminal: colours, a live poll line redrawn with \\r and erase-line, then the summary", async () => {
    const { code, output } = await runOnTerminal(["run", "hr-quick-screen", "--simulator"]);
    expect(code).toBe(0);
    expect(output).toContain("\r\x1b[2K\x1b[2m  ...   Wait for the report: poll attempt 1 of 25 (status 200");
    expect(output).toContain("poll attempt 2 of 25");
    expect(output).toContain("\x1b[32mPASS \x1b[0m Wait for the report");
    expect(output).toContain("4 items: 4 passed, 0 failed");
  });

  it("on a terminal with NO_COLOR: the live line stays, the colours go", async () => {
    const { code, output } = await runOnTerminal(["run", "certn-smoke", "--simulator"], { NO_COLOR: "1" });
    expect(code).toBe(0);
    expect(output).toContain("\r\x1b[2K");
    expect(output).not.toMatch(new RegExp(`${"\u001b"}\\[\\d+m`));
    expect(output).toContain("  PASS  List users");
  });

  it("through a pipe: plain lines, not one escape code", async () => {
    const { code, stdout } = await runCli(main, ["run", "hr-quick-screen", "--simulator"]);
    expect(code).toBe(0);
    expect(stdout).not.toContain("\x1b");
    expect(stdout).not.toContain("\r");
    expect(stdout).not.toContain("poll attempt");
    expect(stdout).toMatch(/^ {2}PASS {2}Wait for the report {2}[\d.]+ m?s$/m);
  });

  it("fails loudly when script(1) is missing on CI", () => {
    expect(hasScript).toBe(true);
  });
});
