/**
 * The console's static assets (assets/console/, assets/_headers) and src/worker/console/assets.ts
 * (committed, generated) must be what scripts/bundle-console.mjs makes from the client's
 * TypeScript, style sheet and headers today, and the script must hold nothing that builds code
 * from strings or parses HTML from strings.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CONSOLE_SCRIPT_PATH } from "../../../src/worker/console/assets.ts";

const root = resolve(import.meta.dirname, "../../..");
const CONSOLE_SCRIPT = readFileSync(join(root, "assets", CONSOLE_SCRIPT_PATH), "utf8");

describe("scripts/bundle-console.mjs", () => {
  it("finds the generated console assets up to date (run the script after changing the client)", () => {
    const result = spawnSync(process.execPath, [join(root, "scripts/bundle-console.mjs"), "--check"], {
      encoding: "utf8",
    });
    expect(`${result.stdout}${result.stderr}`).toContain("up to date");
    expect(result.status).toBe(0);
  });

  // (eval itself is refused by the page's CSP, which has no 'unsafe-eval'; re2js names a method "eval".)
  it("bundles a script without Function, innerHTML or document.write", () => {
    expect(CONSOLE_SCRIPT.length).toBeGreaterThan(1000);
    for (const sink of [
      /new Function\(/,
      /\.innerHTML\s*=/,
      /\.outerHTML\s*=/,
      /insertAdjacentHTML/,
      /document\.write/,
    ]) {
      expect(CONSOLE_SCRIPT).not.toMatch(sink);
    }
  });
});
