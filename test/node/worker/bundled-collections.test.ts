/** src/worker/bundled-collections.ts must list exactly the collections in collections/. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const script = join(root, "scripts/bundle-collections.mjs");
const generated = join(root, "src/worker/bundled-collections.ts");
const scratch = mkdtempSync(join(tmpdir(), "bundle-collections-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("scripts/bundle-collections.mjs", () => {
  it("finds the generated module up to date (run the script after changing collections/)", () => {
    const result = run("--check");
    expect(result.output).toContain("up to date");
    expect(result.status).toBe(0);
  });

  it("reports a new collection as out of date, then writes an explicit JSON import for it", () => {
    const dir = join(scratch, "collections");
    const src = join(scratch, "src/worker");
    mkdirSync(dir, { recursive: true });
    mkdirSync(src, { recursive: true });
    const output = join(src, "bundled-collections.ts");
    copyFileSync(generated, output);
    copyFileSync(join(root, "collections/certn-smoke.json"), join(dir, "certn-smoke.json"));
    writeFileSync(
      join(dir, "hr.quick-screen.json"),
      JSON.stringify({ formatVersion: 1, name: "x", items: [] }),
    );
    writeFileSync(join(dir, "collection.schema.json"), "{}");

    const stale = run("--check", "--collections", dir, "--output", output);
    expect(stale.status).toBe(1);
    expect(stale.output).toContain("out of date");

    expect(run("--collections", dir, "--output", output).status).toBe(0);
    const text = readFileSync(output, "utf8");
    expect(text).toContain(
      'import hrQuickScreen from "../../collections/hr.quick-screen.json" with { type: "json" };',
    );
    expect(text).toContain('"hr.quick-screen": hrQuickScreen,');
    expect(text).not.toContain("collection.schema");
    expect(run("--check", "--collections", dir, "--output", output).status).toBe(0);
  });

  it("refuses a file whose name is not a valid id", () => {
    const dir = join(scratch, "bad");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Bad Name.json"), "{}");
    const result = run("--check", "--collections", dir, "--output", join(scratch, "out.ts"));
    expect(result.status).toBe(1);
    expect(result.output).toContain('"Bad Name" must match');
  });
});
