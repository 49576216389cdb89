import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledNames, resolveCollectionFiles } from "../../../src/cli/collection-files.ts";
import { BUNDLED_NAMES } from "../../../src/cli/commands/run-help.ts";
import { expandGlob } from "../../../src/cli/glob.ts";
import { hostRuntime, type Runtime } from "../../../src/cli/runtime.ts";

let dir: string;
let runtime: Runtime;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "certn-cli-files-"));
  for (const path of [
    "a.json",
    "b.json",
    "notes.txt",
    "nested/c.json",
    "nested/deeper/d.json",
    ".hidden/e.json",
    "x.schema.json",
    // The docs' `--out reports` report folder, beside the bundled `reports` collection.
    "reports/certn-smoke.json",
  ]) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), "{}");
  }
  // The host runtime, but with relative paths resolved in the temporary folder.
  const host = hostRuntime();
  runtime = {
    ...host,
    cwd: dir,
    readText: (path) => host.readText(join(dir, path)),
    kind: (path) => host.kind(path.startsWith("/") ? path : join(dir, path)),
    listDir: (path) => host.listDir(path.startsWith("/") ? path : join(dir, path)),
    resolvePath: (path) => (path.startsWith("/") ? path : join(dir, path)),
  };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("expandGlob", () => {
  it("matches *, ? and [] within a segment and ** across folders, skipping hidden entries", async () => {
    expect(await expandGlob("*.json", runtime)).toEqual(["a.json", "b.json", "x.schema.json"]);
    expect(await expandGlob("?.json", runtime)).toEqual(["a.json", "b.json"]);
    expect(await expandGlob("[b].json", runtime)).toEqual(["b.json"]);
    expect(await expandGlob("**/*.json", runtime)).toEqual([
      "a.json",
      "b.json",
      "nested/c.json",
      "nested/deeper/d.json",
      "reports/certn-smoke.json",
      "x.schema.json",
    ]);
    expect(await expandGlob("nested/*/d.json", runtime)).toEqual(["nested/deeper/d.json"]);
    expect(await expandGlob(".hidden/*.json", runtime)).toEqual([".hidden/e.json"]);
    expect(await expandGlob("none/*.json", runtime)).toEqual([]);
  });
});

describe("resolveCollectionFiles", () => {
  it("takes a bare bundled name as the bundled collection even where a folder has that name", async () => {
    const [bundled] = await resolveCollectionFiles(["reports"], runtime);
    expect(bundled?.shown).toBe("bundled reports");
    expect(bundled?.path.endsWith(join("collections", "reports.json"))).toBe(true);
    // Written as a path, the folder is the folder.
    expect((await resolveCollectionFiles(["./reports"], runtime)).map((file) => file.shown)).toEqual([
      join("reports", "certn-smoke.json"),
    ]);
  });

  it("takes files, folders and globs in order, leaving schema files and duplicates out", async () => {
    const files = await resolveCollectionFiles(["b.json", "*.json", "nested"], runtime);
    expect(files.map((file) => file.path)).toEqual(["b.json", "a.json", join("nested", "c.json")]);
    expect(files.map((file) => file.id)).toEqual(["b", "a", "c"]);
  });

  it("resolves a bundled name to the package's collections folder", async () => {
    const [file] = await resolveCollectionFiles(["certn-smoke"], runtime);
    expect(file?.path).toBe(join(runtime.packageRoot, "collections", "certn-smoke.json"));
    expect(file?.shown).toBe("bundled certn-smoke");
    expect(await bundledNames(runtime)).toEqual(
      expect.arrayContaining(["certn-smoke", "hr-quick-screen", "reports"]),
    );
    expect(await bundledNames(runtime)).not.toContain("collection.schema");
    // The run help lists them all.
    expect([...BUNDLED_NAMES].sort()).toEqual(await bundledNames(runtime));
  });

  it("names an argument that matches nothing and lists the bundled names", async () => {
    await expect(resolveCollectionFiles(["nope"], runtime)).rejects.toThrow(
      /nope: no such file.*bundled: .*certn-smoke/,
    );
    await expect(resolveCollectionFiles(["zzz/*.json"], runtime)).rejects.toThrow(
      /no collection file matches/,
    );
    await expect(resolveCollectionFiles([], runtime)).rejects.toThrow(/at least one collection/);
  });
});
