import { describe, expect, it } from "vitest";
import { type FlagSpec, formatFlags, parseArgs } from "../../../src/cli/args.ts";
import { UsageError } from "../../../src/cli/usage-error.ts";

const SPECS: FlagSpec[] = [
  { name: "env-file", kind: "string", value: "FILE", description: "env" },
  { name: "var", kind: "list", value: "NAME=VALUE", description: "variable" },
  { name: "bail", kind: "boolean", description: "bail" },
  { name: "out", short: "o", kind: "string", value: "DIR", description: "out" },
];

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("parseArgs", () => {
  it("reads --name value, --name=value, -x value, -xvalue, lists, booleans and positionals", () => {
    const args = parseArgs(
      ["a.json", "--env-file", ".env", "--var=x=1", "--var", "y=2", "--bail", "-o", "out", "b.json"],
      SPECS,
      "cmd",
    );
    expect(args.positionals).toEqual(["a.json", "b.json"]);
    expect(args.string("env-file")).toBe(".env");
    expect(args.list("var")).toEqual(["x=1", "y=2"]);
    expect(args.flag("bail")).toBe(true);
    expect(args.string("out")).toBe("out");
    expect(parseArgs(["-oreports"], SPECS, "cmd").string("out")).toBe("reports");
    expect(args.has("var")).toBe(true);
    expect(parseArgs([], SPECS, "cmd").has("var")).toBe(false);
  });

  it("treats everything after -- as positional", () => {
    expect(parseArgs(["--", "--bail", "-o"], SPECS, "cmd").positionals).toEqual(["--bail", "-o"]);
  });

  it("names an unknown flag, suggests a close one and points at --help", () => {
    const message = usageMessage(() => parseArgs(["--env-fil", "x"], SPECS, "certn-edge run"));
    expect(message).toContain("unknown option --env-fil");
    expect(message).toContain("did you mean --env-file?");
    expect(message).toContain("certn-edge run --help");
    expect(usageMessage(() => parseArgs(["-z"], SPECS, "cmd"))).toContain("unknown option -z");
    expect(usageMessage(() => parseArgs(["--completely-different"], SPECS, "cmd"))).not.toContain(
      "did you mean",
    );
  });

  it("refuses a missing value, a value on a boolean and a repeated single-value flag", () => {
    expect(usageMessage(() => parseArgs(["--env-file"], SPECS, "cmd"))).toContain(
      "--env-file needs a value (FILE)",
    );
    expect(usageMessage(() => parseArgs(["--env-file", "--bail"], SPECS, "cmd"))).toContain("needs a value");
    expect(usageMessage(() => parseArgs(["--bail=yes"], SPECS, "cmd"))).toContain("--bail takes no value");
    expect(usageMessage(() => parseArgs(["-o", "a", "--out", "b"], SPECS, "cmd"))).toContain(
      "--out was given more than once",
    );
  });

  it("formats the option list with placeholders and repeatable markers", () => {
    const text = formatFlags(SPECS);
    expect(text).toContain("--env-file FILE");
    expect(text).toContain("-o, --out DIR");
    expect(text).toMatch(/--var NAME=VALUE\s+variable \(repeatable\)/);
  });
});
