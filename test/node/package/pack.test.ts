/**
 * Packaging as users meet it: `npm pack` holds only what users need, and the packed tarball,
 * installed into a fresh project without the network, imports from Node, Deno and Bun.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../../package.json" with { type: "json" };

const root = join(import.meta.dirname, "../../..");
const bin = (name: string) => join(root, "node_modules/.bin", name);
let project: string;

/** Links each runtime dependency from this checkout, as an offline install would place them. */
function linkDependencies(modules: string) {
  for (const name of Object.keys(pkg.dependencies)) {
    const target = join(modules, name);
    mkdirSync(join(target, ".."), { recursive: true });
    symlinkSync(join(root, "node_modules", name), target, "dir");
  }
}

const IMPORT_EVERY_ENTRY = `
import * as client from "certn-edge";
import * as runner from "certn-edge/runner";
import * as simulator from "certn-edge/simulator";
const checks = [
  typeof client.createCertnClient === "function",
  typeof runner.runCollection === "function" && typeof runner.parseCollection === "function",
  typeof simulator.createCertnSimulator === "function",
];
const sim = simulator.createCertnSimulator();
const api = client.createCertnClient({ ...sim.credentials, fetch: sim.fetch });
checks.push((await api.getAccessToken()).length > 10);
console.log(JSON.stringify(checks));
`;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "certn-pack-"));
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", project], {
    cwd: root,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .pop()!;
  const modules = join(project, "node_modules");
  const installed = join(modules, "certn-edge");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(project, tarball), "-C", installed, "--strip-components=1"]);
  linkDependencies(modules);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", type: "module", private: true }),
  );
  writeFileSync(join(project, "main.mjs"), IMPORT_EVERY_ENTRY);
}, 120_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the packed package", () => {
  it("contains only what users need", () => {
    const files = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: root, encoding: "utf8" });
    const paths: string[] = JSON.parse(files)[0].files.map((f: { path: string }) => f.path);
    expect(paths).toContain("dist/index.js");
    expect(paths).toContain("dist/index.d.ts");
    expect(paths).toContain("collections/certn-smoke.json");
    const unexpected = paths.filter(
      (p) =>
        !/^(dist\/|collections\/[^/]+\.json$|README\.md$|package\.json$|LICENSE$)/.test(p) ||
        /\.test\./.test(p),
    );
    expect(unexpected).toEqual([]);
    expect(paths.some((p) => p.startsWith("dist/worker/"))).toBe(false);
  });

  it("imports every entry point from Node", () => {
    const out = execFileSync("node", ["main.mjs"], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([true, true, true, true]);
  });

  it("imports every entry point from Deno", () => {
    const out = execFileSync(
      bin("deno"),
      ["run", "--allow-read", "--allow-env", "--node-modules-dir=manual", "main.mjs"],
      {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" },
      },
    );
    expect(JSON.parse(out)).toEqual([true, true, true, true]);
  });

  it("imports every entry point from Bun", () => {
    const out = execFileSync(bin("bun"), ["main.mjs"], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([true, true, true, true]);
  });

  it("ships ESM with types first in every export", () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") continue;
      expect(Object.keys(target)[0], entry).toBe("types");
    }
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
    expect(readdirSync(join(project, "node_modules/certn-edge/dist")).length).toBeGreaterThan(0);
  });
});
