/**
 * Every example in README.md, CONTRIBUTING.md and docs/*.md is tested, as Deno and Rust test
 * theirs. TypeScript blocks are typechecked against the published types (package.json "exports"
 * to dist/*.d.ts) in one program and run with Node against the simulator served on 127.0.0.1;
 * shell blocks run the built `certn-edge` command offline; collection JSON is validated with
 * `parseCollection` and run against the embedded simulator. A block the test cannot handle needs a
 * marker saying why (see markdown-blocks.ts), and the markers are listed in the output.
 *
 * The examples read the simulator's address and credentials from CERTN_BASE_URL,
 * CERTN_CLIENT_ID, CERTN_CLIENT_SECRET and CERTN_API_KEY, as they would read a real account's.
 * Uses dist/: `npm test` builds first (or run `npm run build`).
 */
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCollection } from "../../../dist/runner/index.js";
import { type ServedCertnSimulator, serveCertnSimulator } from "../../../dist/simulator/node.js";
import { collectionOf, describeFailures, runOnSimulator } from "./collection-examples.ts";
import { brokenLinks } from "./links.ts";
import {
  type DocBlock,
  documentationFiles,
  type MarkerProblem,
  markerOf,
  readBlocks,
  where,
} from "./markdown-blocks.ts";
import {
  createPool,
  normalizeOutput,
  type ProcessResult,
  runProcess,
  shellCommands,
  whyNotRunnable,
  writeShims,
} from "./shell-examples.ts";
import {
  checkExamples,
  type ExampleDiagnostic,
  groupExamples,
  prepareProject,
  type TsExample,
} from "./typescript-examples.ts";

const ROOT = resolve(import.meta.dirname, "../../..");
const README_MAX_BYTES = 12_000;

const pages = documentationFiles(ROOT).map((file) => ({ file, ...readBlocks(ROOT, file) }));
const typescript = pages.map((page) => groupExamples(page.blocks));
const examples = typescript.flatMap((group) => group.examples);

/** How the test treats one block, or why it cannot. */
type Plan =
  | { check: "typescript" }
  | { check: "shell"; commands: string[]; exit: number; output: DocBlock | undefined }
  | { check: "json"; collection: unknown; run: boolean; invalid: boolean }
  | { check: "with the block above" }
  | { check: "skip"; reason: string }
  | { check: "problem"; message: string };

function planFor(block: DocBlock, previous: DocBlock | undefined, next: DocBlock | undefined): Plan {
  const skip = markerOf(block, "skip");
  if (skip) return { check: "skip", reason: skip.reason };
  if (block.lang === "ts") return { check: "typescript" };
  if (markerOf(block, "output")) {
    return previous?.lang === "sh" && planFor(previous, undefined, block).check === "shell"
      ? { check: "with the block above" }
      : { check: "problem", message: "an output block must follow the shell block that prints it" };
  }
  if (block.lang === "sh") {
    const commands = shellCommands(block.code);
    const refused = commands.map(whyNotRunnable).filter((why) => why !== undefined);
    if (commands.length === 0) return { check: "problem", message: "an empty shell block" };
    if (refused.length > 0) {
      return {
        check: "problem",
        message: `cannot run ${refused.join("; ")}: mark the block (skip, with why)`,
      };
    }
    const exit = Number(markerOf(block, "exit")?.argument ?? 0);
    return { check: "shell", commands, exit, output: next && markerOf(next, "output") ? next : undefined };
  }
  if (block.lang === "json") {
    const found = collectionOf(block);
    if ("problem" in found) return { check: "problem", message: found.problem };
    const whole = !markerOf(block, "item") && !markerOf(block, "assertions");
    const invalid = markerOf(block, "invalid") !== undefined;
    return {
      check: "json",
      collection: found.collection,
      run: whole && !invalid && !markerOf(block, "validate-only"),
      invalid,
    };
  }
  return {
    check: "problem",
    message: `a "${block.lang || "(no language)"}" block is never checked: mark it (skip, with why)`,
  };
}

const plans = new Map<DocBlock, Plan>();
for (const page of pages) {
  page.blocks.forEach((block, i) => {
    plans.set(block, planFor(block, page.blocks[i - 1], page.blocks[i + 1]));
  });
}

let scratch = "";
let work = "";
let binDir = "";
let server: ServedCertnSimulator | undefined;
let diagnostics: ExampleDiagnostic[] = [];
let exampleEnv: Record<string, string> = {};
/** Example processes, started together once the scratch project and the simulator are ready. */
const tsRuns = new Map<TsExample, Promise<ProcessResult>>();
const shellRuns = new Map<DocBlock, Promise<ProcessResult[]>>();

beforeAll(async () => {
  for (const built of ["dist/index.d.ts", "dist/runner/index.d.ts", "dist/cli/main.js"]) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
  }
  scratch = mkdtempSync(join(tmpdir(), "certn-edge-docs-"));
  prepareProject(scratch, ROOT);
  diagnostics = checkExamples(scratch, examples);
  work = join(scratch, "work");
  mkdirSync(work);
  cpSync(join(ROOT, "collections"), join(work, "collections"), { recursive: true });
  for (const block of pages.flatMap((page) => page.blocks)) {
    const name = markerOf(block, "file")?.argument;
    if (name) writeFileSync(join(work, name), block.code);
  }
  binDir = join(scratch, "bin");
  writeShims(binDir, ROOT);
  server = await serveCertnSimulator({
    realTime: true,
    rateLimit: false,
    progress: { submitMs: 500, analysisMs: 500 },
    centric: { rateLimit: false, reportReadyMs: 500 },
  });
  exampleEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? tmpdir(),
    CERTN_BASE_URL: server.url,
    CERTN_CLIENT_ID: server.simulator.credentials.clientId,
    CERTN_CLIENT_SECRET: server.simulator.credentials.clientSecret,
    CERTN_API_KEY: server.simulator.centric.apiKeys[0] ?? "",
    RUNNER_JWT_SECRET: randomBytes(32).toString("base64url"),
  };
  // Two processes at a time: each is mostly Node's start-up, and the machine has two cores.
  const pool = createPool(2);
  const shellEnv = { PATH: `${binDir}:${exampleEnv.PATH}`, HOME: exampleEnv.HOME ?? tmpdir() };
  for (const example of examples.filter((e) => e.runnable)) {
    const run = pool(() => runProcess(process.execPath, [example.jsFile], { cwd: work, env: exampleEnv }));
    tsRuns.set(example, run);
    run.catch(() => {});
  }
  for (const [block, plan] of plans) {
    if (plan.check !== "shell") continue;
    const run = pool(async () => {
      const results: ProcessResult[] = [];
      for (const command of plan.commands) {
        results.push(await runProcess("sh", ["-c", command], { cwd: work, env: shellEnv }));
      }
      return results;
    });
    shellRuns.set(block, run);
    run.catch(() => {});
  }
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("documentation examples", () => {
  it("every code block is checked, or marked with why it is not", () => {
    const problems: MarkerProblem[] = pages.flatMap((page) => page.problems);
    for (const orphan of typescript.flatMap((group) => group.orphans)) {
      problems.push({ ...orphan, message: "a `continues` block needs a TypeScript block above it" });
    }
    for (const [block, plan] of plans) {
      if (plan.check === "problem")
        problems.push({ file: block.file, line: block.line, message: plan.message });
    }
    const marked = [...plans.keys()].flatMap((block) =>
      block.markers
        .filter((m) => ["skip", "typecheck-only", "validate-only", "exit"].includes(m.kind))
        .map(
          (m) =>
            `${where(block)} ${block.lang || "-"}: ${m.kind}${m.argument ? ` ${m.argument}` : ""} (${m.reason})`,
        ),
    );
    console.info(`Documentation blocks not run as they are (${marked.length}):\n${marked.join("\n")}`);
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual([]);
    expect(plans.size).toBeGreaterThan(0);
  });

  it("the TypeScript examples compile as one program", () => {
    const outside = diagnostics.filter((d) => !d.file.endsWith(".md"));
    expect(outside.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    expect(examples.every((example) => existsSync(example.jsFile))).toBe(true);
  });

  it("relative links lead to pages and headings that exist", () => {
    expect(pages.flatMap((page) => brokenLinks(ROOT, page.file))).toEqual([]);
  });

  it(`README.md is a front page (at most ${README_MAX_BYTES} bytes) opening with the two commands`, () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(README_MAX_BYTES);
    const first = pages
      .find((page) => page.file === "README.md")
      ?.blocks.find((block) => block.lang === "sh");
    expect(first && shellCommands(first.code).slice(0, 2)).toEqual(["npm ci && npm start", "npm test"]);
    expect(readme.indexOf("```sh")).toBeLessThan(readme.indexOf("\n## "));
  });
});

for (const page of pages) {
  const pageExamples = examples.filter((example) => example.blocks[0]?.file === page.file);
  const pagePlans = page.blocks.map((block) => [block, plans.get(block)] as const);
  if (pageExamples.length === 0 && !pagePlans.some(([, plan]) => plan && /shell|json/.test(plan.check)))
    continue;

  describe(page.file, () => {
    if (pageExamples.length > 0) {
      it("TypeScript examples typecheck against the published types", () => {
        const own = diagnostics.filter((d) => d.file === page.file);
        expect(own.map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
      });
    }

    for (const example of pageExamples.filter((e) => e.runnable)) {
      const lines = example.blocks.map((block) => block.line).join(", ");
      it(`TypeScript at line ${lines} runs against the simulator`, async () => {
        const result = await tsRuns.get(example);
        expect(result?.code, result && report(result)).toBe(0);
      });
    }

    for (const [block, plan] of pagePlans) {
      if (plan?.check === "shell") {
        it(`shell at line ${block.line} runs (exit ${plan.exit})`, async () => {
          const results = (await shellRuns.get(block)) ?? [];
          expect(results).toHaveLength(plan.commands.length);
          plan.commands.forEach((command, i) => {
            expect(results[i]?.code, `${command}\n${results[i] && report(results[i])}`).toBe(plan.exit);
          });
          const stdout = results.map((result) => result.stdout).join("");
          if (plan.output) {
            expect(normalizeOutput(stdout), `the output shown at ${where(plan.output)}`).toBe(
              normalizeOutput(plan.output.code),
            );
          }
        });
      }
      if (plan?.check === "json") {
        const what = plan.run
          ? "is a valid collection that passes on the simulator"
          : "is checked by parseCollection";
        it(`JSON at line ${block.line} ${what}`, async () => {
          const parsed = parseCollection(plan.collection);
          if (plan.invalid) {
            expect(parsed.ok, "a collection marked invalid must be refused").toBe(false);
            return;
          }
          expect(parsed.ok ? [] : parsed.issues).toEqual([]);
          if (!parsed.ok || !plan.run) return;
          const result = await runOnSimulator(parsed.collection);
          expect(describeFailures(result)).toBe("");
          expect(result.summary.passed).toBeGreaterThan(0);
        });
      }
    }
  });
}

/** A process's output for a failure message (the simulator's demo credentials only, never real ones). */
function report(result: ProcessResult): string {
  return `exit ${result.code}\n--- stdout\n${result.stdout.slice(-4000)}\n--- stderr\n${result.stderr.slice(-4000)}`;
}
