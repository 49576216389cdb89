/** `--help`, `--version`, `validate` and `import-postman`, each in its own process. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import type { RunResult } from "../../../src/results/result.ts";
import { runCli, useBuiltCli } from "./helpers/built-cli.ts";

const FIXTURES = "test/fixtures/cli";
const cli = useBuiltCli("certn-cli-commands-");

describe("--version and --help", () => {
  it("--version prints the package version", async () => {
    for (const flag of ["--version", "-V"]) {
      const { code, stdout } = await runCli(cli.main, [flag]);
      expect(code).toBe(0);
      expect(stdout).toBe(`certn-edge ${pkg.version}\n`);
    }
  });

  it("--help lists the commands with examples; no arguments prints it to stderr with exit 2", async () => {
    const help = await runCli(cli.main, ["--help"]);
    expect(help.code).toBe(0);
    for (const text of [
      "run",
      "validate",
      "import-postman",
      "Examples:",
      "certn-edge run certn-smoke --simulator",
    ]) {
      expect(help.stdout).toContain(text);
    }
    const bare = await runCli(cli.main, []);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("Usage: certn-edge <command>");
  });

  it.each([
    [
      "run",
      ["--env-file FILE", "--simulator", "--reporter NAME", "--allow-orders", "Examples:", "CLIENT_ID"],
    ],
    ["validate", ["--json", "Examples:", "JSON Pointer"]],
    ["import-postman", ["-o, --out FILE", "Examples:", "Scripts are never run"]],
  ])("%s --help shows its options and examples", async (command, texts) => {
    for (const args of [
      [command, "--help"],
      [command, "-h"],
      ["help", command],
    ]) {
      const { code, stdout } = await runCli(cli.main, args);
      expect(code).toBe(0);
      for (const text of texts) expect(stdout).toContain(text);
    }
  });

  it("unknown flags are errors that name the flag, for every command", async () => {
    for (const command of ["run", "validate", "import-postman"]) {
      const { code, stderr } = await runCli(cli.main, [command, "x.json", "--nope"]);
      expect(code).toBe(2);
      expect(stderr).toContain(`unknown option --nope for certn-edge ${command}`);
    }
    const top = await runCli(cli.main, ["--nope"]);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain("unknown option --nope");
  });
});

describe("validate", () => {
  it("prints every issue of a broken collection with its JSON Pointer and exits 1", async () => {
    const { code, stdout } = await runCli(cli.main, ["validate", `${FIXTURES}/broken.json`, "certn-smoke"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^invalid {2}test\/fixtures\/cli\/broken\.json: \d+ issues/m);
    expect(stdout).toMatch(/^ {2}\/formatVersion: /m);
    expect(stdout).toMatch(/^ {2}\/name: /m);
    expect(stdout).toMatch(/^ {2}\/items\/0\/request\/method: /m);
    expect(stdout).toMatch(/^ {2}\/items\/1\/request\/headers\/Authorization: /m);
    expect(stdout).toMatch(/^ok {7}bundled certn-smoke: "Certn smoke test"/m);
  });

  it('tells the whole document\'s pointer from the member named ""', async () => {
    const dir = mkdtempSync(join(tmpdir(), "certn-edge-validate-"));
    writeFileSync(join(dir, "syntax.json"), '{ "formatVersion": 1,');
    writeFileSync(join(dir, "empty-key.json"), '{ "formatVersion": 1, "name": "c", "items": [], "": 1 }');
    const { stdout } = await runCli(cli.main, [
      "validate",
      join(dir, "syntax.json"),
      join(dir, "empty-key.json"),
    ]);
    // RFC 6901: "" is the document, "/" its member named "".
    expect(stdout).toMatch(/^ {2}\(document\): invalid JSON/m);
    expect(stdout).toMatch(/^ {2}\/: unknown field ""/m);
  });

  it("--json gives the issues as data", async () => {
    const { code, stdout } = await runCli(cli.main, ["validate", `${FIXTURES}/broken.json`, "--json"]);
    expect(code).toBe(1);
    const issues = JSON.parse(stdout) as { file: string; path: string; message: string }[];
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(["/formatVersion", "/items/0/request/method"]),
    );
    expect(
      issues.every((issue) => issue.file === `${FIXTURES}/broken.json` && issue.message.length > 0),
    ).toBe(true);
  });

  it("exits 0 for valid collections, globs included, and 2 for a file that is not there", async () => {
    const ok = await runCli(cli.main, ["validate", "collections/*.json", `${FIXTURES}/passing.json`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('collections/hr-quick-screen.json: "HR quick screen"');
    expect(ok.stdout).not.toContain("collection.schema");
    const missing = await runCli(cli.main, ["validate", "nowhere.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nowhere.json: no such file");
  });

  it("shows control characters of a collection's name and keys escaped, never as they are", async () => {
    const evil = "evil\x1b]0;pwned\x07\u202e";
    const valid = join(cli.work, "evil-name.json");
    writeFileSync(
      valid,
      JSON.stringify({
        formatVersion: 1,
        name: evil,
        items: [{ name: "a", request: { method: "GET", url: "/status" } }],
      }),
    );
    const invalid = join(cli.work, "evil-key.json");
    writeFileSync(invalid, JSON.stringify({ formatVersion: 1, name: "n", items: [], [`x${evil}`]: 1 }));
    const { code, stdout } = await runCli(cli.main, ["validate", valid, invalid]);
    expect(code).toBe(1);
    expect(stdout).toContain('evil-name.json: "evil\\x1b]0;pwned\\x07\\u{202e}"');
    expect(stdout).toContain("xevil\\x1b]0;pwned\\x07\\u{202e}");
    expect(stdout.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
    // `run` refuses the invalid one with the same issues, escaped too.
    const refused = await runCli(cli.main, ["run", invalid, "--simulator"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("xevil\\x1b]0;pwned\\x07\\u{202e}");
    expect(refused.stderr.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
    const run = await runCli(cli.main, ["run", valid, "--simulator"]);
    expect(run.stdout).toContain('Running "evil\\x1b]0;pwned\\x07\\u{202e}"');
    expect(run.stdout.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
  });
});

describe("import-postman", () => {
  it("writes the converted collection and prints the warnings", async () => {
    const out = join(cli.work, "imported.json");
    const { code, stdout, stderr } = await runCli(cli.main, [
      "import-postman",
      `${FIXTURES}/postman.json`,
      "-o",
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^warning: /m);
    expect(stderr).toContain(`Wrote ${out}`);
    const collection = JSON.parse(readFileSync(out, "utf8")) as { name: string; formatVersion: number };
    expect(collection).toMatchObject({ name: "Certn from Postman", formatVersion: 1 });
    const validated = await runCli(cli.main, ["validate", out]);
    expect(validated.code).toBe(0);
  });

  it("prints to stdout without -o, and the result runs against the simulator", async () => {
    const { code, stdout } = await runCli(cli.main, ["import-postman", `${FIXTURES}/postman.json`]);
    expect(code).toBe(0);
    const file = join(cli.work, "from-stdout.json");
    writeFileSync(file, stdout);
    const run = await runCli(cli.main, [
      "run",
      file,
      "--simulator",
      "--var",
      "baseUrl=https://demo-api.certn.co",
      "--reporter",
      "json",
    ]);
    const result = JSON.parse(run.stdout) as RunResult;
    expect(result.items[0]?.request?.url).toBe("https://demo-api.certn.co/api/v1/users/?page_size=5");
    expect(result.items[0]?.status).toBe("passed");
    expect(
      result.items[0]?.assertions.some((assertion) => assertion.that === "status" && assertion.passed),
    ).toBe(true);
    expect(run.code).toBe(0);
  });

  it("keeps every valid item however many others the format refuses, and exits 0", async () => {
    const deep = `${"[".repeat(150)}${"]".repeat(150)}`;
    const file = join(cli.work, "many-refused.postman.json");
    writeFileSync(
      file,
      JSON.stringify({
        info: {
          name: "many",
          schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        item: [
          ...Array.from({ length: 120 }, (_, index) =>
            index % 2 === 0
              ? { name: `ok ${index}`, request: { method: "GET", url: `/ok/${index}` } }
              : {
                  name: `deep ${index}`,
                  request: { method: "POST", url: "/b", body: { mode: "raw", raw: deep } },
                },
          ),
          { name: "evil\x1b]0;pwned\x07\u202e", disabled: true, request: { method: "GET", url: "/e" } },
        ],
      }),
    );
    const { code, stdout, stderr } = await runCli(cli.main, ["import-postman", file]);
    expect(code).toBe(0);
    const collection = JSON.parse(stdout) as { items: { name: string }[] };
    expect(collection.items.filter((item) => item.name.startsWith("ok "))).toHaveLength(60);
    expect(stderr.match(/^warning: an imported item was replaced/gm)).toHaveLength(60);
    // Warnings quote the file's names: their control characters are shown, never sent as they are.
    expect(stderr).toContain('warning: "evil\\x1b]0;pwned\\x07\\u{202e}" is disabled in Postman');
    expect(stderr.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
  });

  it("exits 2 and writes nothing when nothing can be imported, saying why", async () => {
    const file = join(cli.work, "v1.postman.json");
    writeFileSync(file, JSON.stringify({ name: "old", requests: [], order: [] }));
    const out = join(cli.work, "v1-imported.json");
    const { code, stdout, stderr } = await runCli(cli.main, ["import-postman", file, "-o", out]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain(`certn-edge: ${file}: nothing was imported, so no collection was written`);
    expect(stderr).toContain("warning: this is a Postman v1 collection, which is not supported");
    expect(existsSync(out)).toBe(false);
  });

  it("exits 2 for a missing or non-JSON input", async () => {
    expect((await runCli(cli.main, ["import-postman", "missing.json"])).code).toBe(2);
    const notJson = await runCli(cli.main, ["import-postman", "README.md"]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("README.md: not valid JSON");
  });
});
