/**
 * The same TypeScript entry under Deno and Bun (`npx deno run -A src/cli/main.ts`,
 * `npx bun src/cli/main.ts`): --version, and a run against the embedded simulator.
 */
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { type CliResult, cleanEnv, ROOT, runProcess } from "./helpers/built-cli.ts";

// Each test starts real processes, which takes a while on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const RUNTIMES = {
  deno: [join(ROOT, "node_modules/.bin/deno"), "run", "-A", "src/cli/main.ts"],
  bun: [join(ROOT, "node_modules/.bin/bun"), "src/cli/main.ts"],
} as const;

function run(command: readonly string[], args: readonly string[]): Promise<CliResult> {
  const [bin, ...rest] = command;
  return runProcess(bin!, [...rest, ...args], {
    cwd: ROOT,
    // Deno keeps its cache under DENO_DIR (default ~/.cache/deno); NO_COLOR keeps its own output plain.
    env: cleanEnv({ NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" }),
  });
}

describe.each(Object.entries(RUNTIMES))("under %s", (name, command) => {
  it("--version", async () => {
    const { code, stdout, stderr } = await run(command, ["--version"]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe(`certn-edge ${pkg.version}`);
  }, 120_000);

  it("run --simulator: a passing and a failing run, with their exit codes", async () => {
    const passing = await run(command, [
      "run",
      "certn-smoke",
      "hr-quick-screen",
      "--simulator",
      "--reporter",
      "json",
    ]);
    expect(passing.code, passing.stderr).toBe(0);
    const results = JSON.parse(passing.stdout) as { summary: { passed: number; items: number } }[];
    expect(results.map((result) => result.summary.passed === result.summary.items)).toEqual([true, true]);
    const failing = await run(command, ["run", "test/fixtures/cli/failing.json", "--simulator"]);
    expect(failing.code, `${name}: ${failing.stderr}`).toBe(1);
    expect(failing.stdout).toContain("status equals 418, got 200");
  }, 120_000);
});
