/** The packed tarball passes the two linters package consumers' tools rely on. */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { type PackedPackage, packedPackage, ROOT } from "./helpers/packed.ts";

const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
let packed: PackedPackage;

function run(command: string, args: string[]): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync(command, args, { cwd: ROOT, encoding: "utf8", stdio: "pipe" }) };
  } catch (error) {
    const failure = error as { status: number; stdout: string; stderr: string };
    return { status: failure.status, output: `${failure.stdout}${failure.stderr}` };
  }
}

beforeAll(() => {
  packed = packedPackage();
}, 300_000);

describe("package linters", () => {
  it("publint reports nothing", () => {
    const { status, output } = run(bin("publint"), ["run", packed.tarball, "--strict"]);
    expect(output).toContain("All good!");
    expect(output).not.toMatch(/error|warning|suggestion/i);
    expect(status).toBe(0);
  }, 120_000);

  it("are-the-types-wrong reports nothing for an ESM-only package", () => {
    const { status, output } = run(bin("attw"), [
      packed.tarball,
      "--profile",
      "esm-only",
      "--format",
      "json",
    ]);
    const report = JSON.parse(output.slice(output.indexOf("{"))) as {
      analysis: { entrypoints: Record<string, unknown> };
      problems: Record<string, { entrypoint: string; resolutionKind?: string }[]>;
    };
    // The esm-only profile ignores CommonJS resolution (node10, node16 from CJS): this package is ESM only.
    const ignored = new Set(["node10", "node16-cjs"]);
    const problems = Object.values(report.problems)
      .flat()
      .filter((problem) => !ignored.has(problem.resolutionKind ?? ""));
    expect(problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(Object.keys(pkg.exports).sort());
    expect(status).toBe(0);
  }, 180_000);
});
