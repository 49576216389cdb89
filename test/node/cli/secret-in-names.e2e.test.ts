/**
 * A collection's name that holds a secret's value is printed masked, as every result shows it:
 * the built CLI in its own process, against the embedded simulator.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, useBuiltCli } from "./helpers/built-cli.ts";

const cli = useBuiltCli("certn-cli-secret-names-");
const SECRET = "tk-SUPERSECRET-42";

describe("certn-edge run with a secret in the collection's name", () => {
  it("prints the name with the secret masked", async () => {
    const file = join(cli.work, "named.json");
    const collection = {
      formatVersion: 1,
      name: `Smoke ${SECRET}`,
      items: [{ name: "List users", request: { method: "GET", url: "/api/v1/users/" } }],
    };
    writeFileSync(file, JSON.stringify(collection));
    const { code, stdout, stderr } = await runCli(cli.main, [
      "run",
      file,
      "--simulator",
      "--secret",
      `token=${SECRET}`,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Running "Smoke [secret]"');
    expect(stdout + stderr).not.toContain(SECRET);
  });
});
