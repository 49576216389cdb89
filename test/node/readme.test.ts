/** The README is what a new user reads first: it must open with the two commands and match docs/. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");
const readme = readFileSync(join(root, "README.md"), "utf8");

describe("README.md", () => {
  it("opens with the two commands that do everything on a fresh machine", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = firstBlock.split("\n").map((line) => line.replace(/#.*$/, "").trim());
    expect(commands.slice(0, 2)).toEqual(["npm ci && npm start", "npm test"]);
    expect(readme.indexOf("```sh")).toBeLessThan(readme.indexOf("\n## "));
  });

  it("is assembled from the pages in docs/ (run `npm run readme` after editing them)", () => {
    const check = spawnSync("node", ["scripts/build-readme.mjs", "--check"], { cwd: root, encoding: "utf8" });
    expect(check.stdout + check.stderr).toContain("README.md is up to date");
    expect(check.status).toBe(0);
  });

  it("shows the measured bundle sizes", () => {
    expect(readme).toMatch(
      /<!-- bundle-sizes:start -->\n\| import[\s\S]*certn-edge\/runner[\s\S]*<!-- bundle-sizes:end -->/,
    );
  });
});
