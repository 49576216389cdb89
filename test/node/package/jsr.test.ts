/** jsr.json mirrors the npm exports onto the TypeScript sources, and Deno accepts it for publishing. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import jsr from "../../../jsr.json" with { type: "json" };
import pkg from "../../../package.json" with { type: "json" };

const root = join(import.meta.dirname, "../../..");

describe("jsr.json", () => {
  it("exports every npm entry point, pointing at its TypeScript source", () => {
    const npmEntries = Object.keys(pkg.exports).filter((entry) => entry !== "./package.json");
    expect(Object.keys(jsr.exports).sort()).toEqual(npmEntries.sort());
    for (const [entry, source] of Object.entries(jsr.exports)) {
      const target: unknown = (pkg.exports as Record<string, unknown>)[entry];
      const built =
        typeof target === "object" && target !== null ? (target as { default: string }).default : undefined;
      expect(source, entry).toBe(built?.replace("./dist/", "./src/").replace(/\.js$/, ".ts"));
    }
    expect(jsr.version).toBe(pkg.version);
  });

  it("passes `deno publish --dry-run` (type check and slow-types check, offline)", () => {
    const result = spawnSync(
      join(root, "node_modules/.bin/deno"),
      ["publish", "--dry-run", "--allow-dirty"],
      {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      },
    );
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain("Checking for slow types in the public API");
    expect(output).toContain("Dry run complete");
    expect(output).not.toMatch(/^(error|warning)\b/im);
    expect(result.status).toBe(0);
  }, 180_000);
});
