/**
 * `certn-edge run` end to end, as a user runs it: the built CLI in its own process, against the
 * embedded simulator (--simulator). Exit codes, every reporter, data files, subsets, captures.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/results/result.ts";
import { cleanEnv, ROOT, runCli, useBuiltCli } from "./helpers/built-cli.ts";
import { findAll, parseXml } from "./helpers/xml.ts";

const FIXTURES = "test/fixtures/cli";
const cli = useBuiltCli("certn-cli-run-");

describe("certn-edge run --simulator", () => {
  it("exits 0 for a passing run and prints a line per item and the summary", async () => {
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/passing.json`,
      "--simulator",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain("Target: the embedded Certn simulator");
    expect(stdout).toMatch(/^ {2}PASS {2}List users {2}\d/m);
    expect(stdout).toMatch(/^ {2}PASS {2}Teams \/ List teams/m);
    expect(stdout).toContain("2 items: 2 passed, 0 failed, 0 errored, 0 skipped");
    expect(stdout).not.toContain("\x1b");
  });

  it("prints every item's line once and in order, however many (the output is written in batches)", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/passing.json`,
      "--simulator",
      "--iterations",
      "300",
    ]);
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter((line) => /^ {2}PASS /.test(line));
    expect(lines).toHaveLength(600);
    const iterations = lines.map((line) => Number(/\[(\d+)\]/.exec(line)?.[1]));
    expect(iterations).toEqual(Array.from({ length: 600 }, (_, i) => (i >> 1) + 1));
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(/^600 items: 600 passed/);
  });

  it("runs to the end when its reader goes away (`| head -1`): no crash, reports written, the run's exit code", async () => {
    const out = join(cli.work, "closed-pipe");
    // Enough items that their lines outlast the first batches (64 KB or 50 ms each).
    const args = ["run", `${FIXTURES}/passing.json`, "--simulator", "--iterations", "3000"];
    const child = spawn(
      process.execPath,
      [cli.main, ...args, "--reporter", "text", "--reporter", "json", "--out", out],
      {
        cwd: ROOT,
        env: cleanEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    // The first batch of output read, the pipe is closed, as `head -1` does: the item lines still
    // to come are written to nobody.
    await new Promise<void>((resolve) =>
      child.stdout.once("data", () => {
        child.stdout.destroy();
        resolve();
      }),
    );
    const code = await closed;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "passing.json"), "utf8")) as RunResult;
    expect(report.summary).toMatchObject({ items: 6000, passed: 6000, requests: 6000 });
  });

  it("runs a bundled collection by name", async () => {
    const { code, stdout } = await runCli(cli.main, ["run", "certn-smoke", "--simulator"]);
    expect(code).toBe(0);
    expect(stdout).toContain('Running "Certn smoke test" (bundled certn-smoke)');
    expect(stdout).toContain("5 items: 5 passed");
  });

  it("exits 1 for a failing run and says why each item failed or errored", async () => {
    const { code, stdout } = await runCli(cli.main, ["run", `${FIXTURES}/failing.json`, "--simulator"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL {2}Expects the wrong status/);
    expect(stdout).toContain("status equals 418, got 200");
    expect(stdout).toMatch(/ERROR Unknown variable/);
    expect(stdout).toMatch(/missingTeamId/);
    expect(stdout).toMatch(/PASS {2}Still runs/);
    expect(stdout).toContain("3 items: 1 passed, 1 failed, 1 errored");
  });

  it("an item that needs a capture an earlier item did not make errors, naming the variable and that item", async () => {
    const path = join(cli.work, "capture-missing.json");
    writeFileSync(
      path,
      JSON.stringify({
        formatVersion: 1,
        name: "CLI capture missing",
        items: [
          {
            name: "List users",
            request: { method: "GET", url: "/api/v1/users/" },
            capture: { userId: "$.results[0].no_such_field" },
          },
          { name: "Read the user", request: { method: "GET", url: "/api/v1/users/{{userId}}/" } },
          { name: "Misspelt", request: { method: "GET", url: "/api/v1/users/{{userid}}/" } },
        ],
      }),
    );
    const { code, stdout } = await runCli(cli.main, ["run", path, "--simulator", "--reporter", "json"]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.items.map((item) => [item.status, item.error?.code])).toEqual([
      ["failed", "CERTN_CAPTURE_FAILED"],
      ["errored", "CERTN_UNKNOWN_VARIABLE"],
      ["errored", "CERTN_UNKNOWN_VARIABLE"],
    ]);
    expect(result.items[1]?.error?.message).toBe(
      'unknown variable "userId": "List users" was to capture it and did not (it failed)',
    );
    expect(result.summary.requests).toBe(1);
  });

  it("--bail stops at the first failure and skips the rest (exit 1)", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/failing.json`,
      `${FIXTURES}/passing.json`,
      "--simulator",
      "--bail",
      "--reporter",
      "json",
    ]);
    expect(code).toBe(1);
    const results = JSON.parse(stdout) as RunResult[] | RunResult;
    const list = Array.isArray(results) ? results : [results];
    expect(list).toHaveLength(1);
    expect(list[0]!.items.map((item) => item.status)).toEqual(["failed", "skipped", "skipped"]);
  });

  it("--reporter json prints only the result on stdout (progress goes to stderr)", async () => {
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/passing.json`,
      "--simulator",
      "--reporter",
      "json",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.collection).toBe("CLI passing");
    expect(result.summary).toMatchObject({ items: 2, passed: 2, requests: 2 });
    expect(result.items[0]?.captures?.ownerId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stderr).toContain("PASS  List users");
  });

  it("--reporter junit prints well-formed JUnit XML with a failure and an error", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/failing.json`,
      "--simulator",
      "--reporter",
      "junit",
    ]);
    expect(code).toBe(1);
    const root = parseXml(stdout);
    expect(root.name).toBe("testsuites");
    expect(root.attributes).toMatchObject({ tests: "3", failures: "1", errors: "1" });
    const cases = findAll(root, "testcase");
    expect(cases.map((c) => c.attributes.name)).toEqual([
      "Expects the wrong status",
      "Unknown variable",
      "Still runs",
    ]);
    expect(findAll(cases[0]!, "failure")).toHaveLength(1);
    expect(findAll(cases[1]!, "error")).toHaveLength(1);
    expect(findAll(cases[2]!, "failure").length + findAll(cases[2]!, "error").length).toBe(0);
  });

  it("merges several collections into one JUnit document on stdout", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/passing.json`,
      "certn-smoke",
      "--simulator",
      "--reporter",
      "junit",
    ]);
    expect(code).toBe(0);
    const root = parseXml(stdout);
    expect(findAll(root, "testsuite").map((s) => s.attributes.name)).toEqual([
      "CLI passing",
      "Certn smoke test",
    ]);
    expect(root.attributes.tests).toBe("7");
  });

  it("--out writes every reporter's file per collection", async () => {
    const out = join(cli.work, "reports");
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/passing.json`,
      `${FIXTURES}/failing.json`,
      "--simulator",
      "--reporter",
      "json,junit",
      "--reporter",
      "html",
      "--reporter",
      "text",
      "--out",
      out,
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(`Reports: ${join(out, "passing.json")}`);
    const json = JSON.parse(readFileSync(join(out, "failing.json"), "utf8")) as RunResult;
    expect(json.summary.failed).toBe(1);
    const junit = parseXml(readFileSync(join(out, "passing.junit.xml"), "utf8"));
    expect(junit.attributes.failures).toBe("0");
    const html = readFileSync(join(out, "failing.html"), "utf8");
    expect(html).toContain('<details class="item failed" data-status="failed" open>');
    const text = readFileSync(join(out, "passing.txt"), "utf8");
    expect(text).toContain("CLI passing");
    expect(stdout).toContain("2 collections: 1 passed, 1 failed");
  });

  it("--data with JSON rows runs one iteration per row", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/screen-rows.json`,
      "--simulator",
      "--data",
      `${FIXTURES}/rows.json`,
      "--reporter",
      "json",
    ]);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.items.map((item) => [item.iteration, item.status])).toEqual([
      [0, "passed"],
      [0, "passed"],
      [1, "passed"],
      [1, "passed"],
    ]);
    expect(code).toBe(0);
  });

  it("--data with an RFC 4180 CSV (quotes, commas, line breaks in fields) runs each row", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/screen-rows.json`,
      "--simulator",
      "--data",
      `${FIXTURES}/rows.csv`,
      "--reporter",
      "json",
    ]);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.summary).toMatchObject({ items: 6, passed: 6, failed: 0 });
    expect(code).toBe(0);
  });

  it("a malformed CSV exits 2 naming its line; data rows win over --var", async () => {
    const rows = join(cli.work, "extra-column.csv");
    writeFileSync(rows, "firstName,lastName,extra\nTesty,McTestface,1\n");
    writeFileSync(join(cli.work, "split.csv"), 'firstName,lastName\nTesty,"McTestface\n');
    const broken = await runCli(cli.main, [
      "run",
      `${FIXTURES}/screen-rows.json`,
      "--simulator",
      "--data",
      join(cli.work, "split.csv"),
    ]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("split.csv:2: unterminated quoted field");
    const ok = await runCli(cli.main, [
      "run",
      `${FIXTURES}/screen-rows.json`,
      "--simulator",
      "--data",
      rows,
      "--var",
      "lastName=Wrong",
    ]);
    // Row values win over --var, so the run still passes: precedence is data row > run variables.
    expect(ok.code).toBe(0);
  });

  it("--iterations repeats, --folder and --grep pick a subset", async () => {
    const repeated = JSON.parse(
      (
        await runCli(cli.main, [
          "run",
          `${FIXTURES}/passing.json`,
          "--simulator",
          "--iterations",
          "3",
          "--reporter",
          "json",
        ])
      ).stdout,
    ) as RunResult;
    expect(repeated.items).toHaveLength(6);
    const folder = JSON.parse(
      (
        await runCli(cli.main, [
          "run",
          `${FIXTURES}/passing.json`,
          "--simulator",
          "--folder",
          "Teams",
          "--reporter",
          "json",
        ])
      ).stdout,
    ) as RunResult;
    expect(folder.items.map((item) => item.name)).toEqual(["List teams"]);
    const grep = JSON.parse(
      (await runCli(cli.main, ["run", "certn-smoke", "--simulator", "--grep", "first", "--reporter", "json"]))
        .stdout,
    ) as RunResult;
    expect(grep.items.map((item) => item.name)).toEqual(["Read the first superteam", "Read the first team"]);
    expect(grep.items.every((item) => item.status === "errored")).toBe(true);
  });

  it("--export-captures writes the captured variables, usable as --vars-file", async () => {
    const file = join(cli.work, "captures.json");
    const first = await runCli(cli.main, [
      "run",
      "hr-quick-screen",
      "--simulator",
      "--export-captures",
      file,
    ]);
    expect(first.code).toBe(0);
    const captures = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    expect(Object.keys(captures).sort()).toEqual(["applicantId", "applicationId", "ownerId"]);
    // A new --simulator process has a fresh simulator, so the applicant is unknown there: 404.
    const second = await runCli(cli.main, [
      "run",
      "reports",
      "--simulator",
      "--vars-file",
      file,
      "--reporter",
      "json",
    ]);
    const result = JSON.parse(second.stdout) as RunResult;
    expect(result.items[0]?.status).toBe("skipped");
    expect(
      result.items.find((item) => item.name === "Wait until the applicant is Returned")?.response?.status,
    ).toBe(404);
    expect(second.code).toBe(1);
  });

  it("--vars-file takes a Postman environment; its secret values stay out of every output", async () => {
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/env-leak.json`,
      "--simulator",
      "--grep",
      "secret variable",
      "--vars-file",
      `${FIXTURES}/postman-env.json`,
      "--reporter",
      "json",
      "--include-bodies",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.items[0]?.request?.url).toContain("token=[secret]");
    expect(stdout + stderr).not.toContain("postman-secret-value-123");
  });

  it("--secret values never appear in any reporter's output", async () => {
    const out = join(cli.work, "secret-reports");
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/env-leak.json`,
      "--simulator",
      "--grep",
      "secret variable",
      "--secret",
      "apiToken=very-secret-token-456",
      "--reporter",
      "json,junit,html,text",
      "--out",
      out,
      "--include-bodies",
    ]);
    expect(code).toBe(0);
    const all = ["json", "junit.xml", "html", "txt"]
      .map((ext) => readFileSync(join(out, `env-leak.${ext}`), "utf8"))
      .join("\n");
    expect(all).toContain("[secret]");
    expect(all + stdout + stderr).not.toContain("very-secret-token-456");
  });

  it("--rate-limit spaces requests out (in the simulator's time, so nothing really waits)", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--simulator",
      "--rate-limit",
      "1/60000",
      "--reporter",
      "json",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as RunResult;
    // Five requests, one a minute: at least four minutes of simulated time.
    expect(result.durationMs).toBeGreaterThanOrEqual(4 * 60_000);
    const unlimited = JSON.parse(
      (
        await runCli(cli.main, [
          "run",
          "certn-smoke",
          "--simulator",
          "--rate-limit",
          "off",
          "--reporter",
          "json",
        ])
      ).stdout,
    ) as RunResult;
    expect(unlimited.durationMs).toBeLessThan(60_000);
  });

  it("--rate-limit takes several windows with units; the tightest one paces the run", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--simulator",
      "--rate-limit",
      "100/1m,2/1h",
      "--reporter",
      "json",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as RunResult;
    // Five requests, two an hour: the fifth waits for two hours of simulated time.
    expect(result.durationMs).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(result.durationMs).toBeLessThan(3 * 3_600_000);
  });

  it("--deadline stops the run when it passes: what is left does not run and the exit code is 1", async () => {
    // A 1 ms limit passes long before a quick screen (dozens of requests and checks) can finish.
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      "hr-quick-screen",
      "certn-smoke",
      "--simulator",
      "--deadline",
      "1",
      "--reporter",
      "json",
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain("The --deadline of 1 ms passed before everything ran.");
    expect(stderr).toContain("Not run: bundled certn-smoke (deadline passed)");
    // Depending on how far it got, the quick screen was cut short or never started.
    const parsed = JSON.parse(stdout) as RunResult | RunResult[];
    const results = Array.isArray(parsed) ? parsed : [parsed];
    expect(results.map((result) => result.collection)).not.toContain("Certn smoke test");
    for (const result of results) expect(result.summary.passed).toBeLessThan(result.summary.items);
  });

  it("--dry-run resolves everything and sends nothing", async () => {
    const { code, stdout } = await runCli(cli.main, [
      "run",
      "hr-quick-screen",
      "--simulator",
      "--dry-run",
      "--reporter",
      "json",
    ]);
    const result = JSON.parse(stdout) as RunResult;
    expect(result.dryRun).toBe(true);
    expect(result.summary.requests).toBe(0);
    expect(result.items.find((item) => item.request?.method === "POST")?.wouldOrder).toBe(true);
    expect(code).toBe(0);
  });
});

describe("certn-edge run: invalid input exits 2 before sending anything", () => {
  it.each([
    [["run", "certn-smoke", "--simulator", "--colour"], "unknown option --colour for certn-edge run"],
    [
      ["run", "certn-smoke", "--simulator", "--iterations", "0"],
      "--iterations must be a whole number from 1 to 10000 (got 0)",
    ],
    [
      ["run", "certn-smoke", "--simulator", "--iterations", "two"],
      '--iterations must be a whole number, got "two"',
    ],
    [
      ["run", "certn-smoke", "--simulator", "--timeout", "0"],
      "--timeout must be a whole number from 1 to 600000 (got 0)",
    ],
    [
      ["run", "certn-smoke", "--simulator", "--deadline", "99999999999"],
      "--deadline must be a whole number from 1 to 86400000",
    ],
    [
      ["run", "certn-smoke", "--simulator", "--rate-limit", "0/1000"],
      '--rate-limit: the count of "0/1000" must be a whole number from 1 to 100000 (got 0)',
    ],
    [
      ["run", "certn-smoke", "--simulator", "--concurrency", "9"],
      "--concurrency must be a whole number from 1 to 6",
    ],
    [
      ["run", "certn-smoke", "--simulator", "--rate-limit", "fast"],
      '--rate-limit must be comma-separated <count>/<window> with the window in ms, s, m, h or d (for example 240/60s,14400/1d), got "fast"',
    ],
    [
      ["run", "certn-smoke", "--simulator", "--rate-limit", "240/60s,1/2d"],
      '--rate-limit: the window of "1/2d" must be from 1ms to 1d (got 172800000 ms)',
    ],
    [
      ["run", "certn-smoke", "--simulator", "--reporter", "xml"],
      "--reporter must be one of text, json, junit, html",
    ],
    [["run", "certn-smoke", "--simulator", "--reporter", "json", "--reporter", "junit"], "add --out DIR"],
    [
      ["run", "certn-smoke", "--simulator", "--base-url", "http://127.0.0.1:1"],
      "--simulator and --base-url cannot be used together",
    ],
    [["run", "certn-smoke", "--simulator", "--var", "novalue"], '--var expects NAME=VALUE, got "novalue"'],
    [
      ["run", "no-such-collection", "--simulator"],
      "no-such-collection: no such file, and no bundled collection",
    ],
    [["run", `${FIXTURES}/broken.json`, "--simulator"], "invalid collection (nothing was run)"],
    [["run", "certn-smoke", "--simulator", "--data", "missing.csv"], "--data missing.csv: no such file"],
    [["run", "certn-smoke", "--simulator", "--folder", "Nope"], 'no folder named "Nope"'],
    [["run", "certn-smoke"], "no Certn credentials: set CERTN_CLIENT_ID and CERTN_CLIENT_SECRET"],
    [["frobnicate"], 'unknown command "frobnicate"'],
  ])("%j", async (args, message) => {
    const { code, stderr, stdout } = await runCli(cli.main, args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).not.toMatch(/PASS|FAIL/);
  });

  it("--data and --vars-file values are checked as run inputs, naming the file and the place", async () => {
    const rows = join(cli.work, "nested-rows.json");
    writeFileSync(rows, JSON.stringify([{ firstName: "Testy" }, { firstName: { nested: true } }]));
    const nested = await runCli(cli.main, ["run", "certn-smoke", "--simulator", "--data", rows]);
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain(`--data ${rows} at /1/firstName: a variable must be a string`);
    const three = join(cli.work, "three-rows.json");
    writeFileSync(three, JSON.stringify([{ a: 1 }, { a: 2 }, { a: 3 }]));
    const tooMany = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--simulator",
      "--data",
      three,
      "--iterations",
      "5000",
    ]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toContain(
      "--iterations × data rows is 15000; at most 10000 iterations are allowed",
    );
    expect(tooMany.stdout).not.toMatch(/PASS|FAIL/);
    const vars = join(cli.work, "braces.json");
    writeFileSync(vars, JSON.stringify({ "{owner}": "x" }));
    const badNames = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--simulator",
      "--vars-file",
      vars,
      "--var",
      "team}=1",
    ]);
    expect(badNames.code).toBe(2);
    expect(badNames.stderr).toContain(`--vars-file ${vars} at /{owner}: "{owner}" cannot be a variable name`);
    expect(badNames.stderr).toContain('--var team}: "team}" cannot be a variable name');
  });

  it("an input file over 32 MB, one that never ends, or a folder is refused without reading it all", async () => {
    const big = join(cli.work, "big-rows.csv");
    // 33 MB of rows: over the cap, and far more rows than a run takes.
    writeFileSync(big, `email\n${"applicant@example.com\n".repeat(1_600_000)}`);
    const cases: [string[], string][] = [
      [["--data", big], `--data ${big}: larger than 32 MB, the most the CLI reads`],
      [["--vars-file", "/dev/zero"], "--vars-file /dev/zero: larger than 32 MB, the most the CLI reads"],
      [["--vars-file", cli.work], `--vars-file ${cli.work}: a folder, not a file`],
    ];
    for (const [flags, message] of cases) {
      const { code, stderr, stdout } = await runCli(cli.main, [
        "run",
        "certn-smoke",
        "--simulator",
        ...flags,
      ]);
      expect(code).toBe(2);
      expect(stderr).toBe(`certn-edge: ${message}\n`);
      expect(stdout).not.toMatch(/PASS|FAIL/);
    }
    const validate = await runCli(cli.main, ["validate", big]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`${big}: larger than 32 MB`);
  });

  it("a --secret without = does not echo what was given", async () => {
    const { code, stderr } = await runCli(cli.main, [
      "run",
      "certn-smoke",
      "--simulator",
      "--secret",
      "hunter2-no-equals",
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain("--secret expects NAME=VALUE");
    expect(stderr).not.toContain("hunter2");
  });
});
