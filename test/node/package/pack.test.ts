/**
 * Packaging as users meet it: `npm pack` holds only what users need, and the packed tarball,
 * installed with `npm install --offline` into a fresh project, adds no package but itself and
 * imports and works from Node, Deno and Bun (every entry point, the CLI included).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { installedPackages, installPacked, type PackedPackage, ROOT } from "./helpers/packed.ts";

const bin = (name: string) => join(ROOT, "node_modules/.bin", name);
let project: string;
let packed: PackedPackage;

/** Uses every entry point the way its documentation shows, against the in-memory simulator. */
const USE_EVERY_ENTRY = `
import * as client from "certn-edge";
import * as runner from "certn-edge/runner";
import * as webhooks from "certn-edge/webhooks";
import * as simulator from "certn-edge/simulator";
import { serveCertnSimulator } from "certn-edge/simulator/node";
import { readFileSync } from "node:fs";

const results = {};
const sim = simulator.createCertnSimulator();
const api = client.createCertnClient({ ...sim.credentials, fetch: sim.fetch });
results.client = (await api.getAccessToken()).length > 10 && (await api.teams.list()).results.length > 0;

const smoke = new URL("./node_modules/certn-edge/collections/certn-smoke.json", import.meta.url);
const parsed = runner.parseCollection(readFileSync(smoke, "utf8"));
const run = parsed.ok ? await runner.runCollection(parsed.collection, { client: api }) : undefined;
results.runner =
  run?.summary.failed === 0 && run.summary.errored === 0 && run.summary.passed === run.summary.items &&
  runner.toJUnit(run).includes("<testsuite");

const secret = "whsec-test";
const body = JSON.stringify({ id: "evt-1" });
const t = Math.floor(Date.now() / 1000);
const mac = await crypto.subtle.sign("HMAC",
  await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]),
  new TextEncoder().encode(t + "." + body));
const v1 = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
const header = "t=" + t + ",v1=" + v1;
results.webhooks = (await webhooks.verifyCertnSignature({ header, body, secret })).ok === true
  && (await client.verifyCertnSignature({ header, body: body + " ", secret })).ok === false;

const served = await serveCertnSimulator();
try {
  const overHttp = client.createCertnClient({ ...served.simulator.credentials, baseUrl: served.url });
  results.simulator = (await overHttp.users.list()).results.length > 0 && served.connections > 0;
} finally {
  await served.close();
}
console.log(JSON.stringify(results));
`;
const EVERY_ENTRY_WORKS = { client: true, runner: true, webhooks: true, simulator: true };

beforeAll(() => {
  ({ project, packed } = installPacked("certn-pack-"));
  writeFileSync(join(project, "main.mjs"), USE_EVERY_ENTRY);
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe("the packed package", () => {
  it("contains only what users need", () => {
    const files = execFileSync("npm", ["pack", "--dry-run", "--ignore-scripts", "--json"], {
      cwd: packed.dir,
      encoding: "utf8",
    });
    const paths: string[] = JSON.parse(files)[0].files.map((f: { path: string }) => f.path);
    for (const entry of ["index", "runner/index", "webhooks/index", "simulator/index", "simulator/node"]) {
      expect(paths).toContain(`dist/${entry}.js`);
      expect(paths).toContain(`dist/${entry}.d.ts`);
    }
    expect(paths).toContain("dist/cli/main.js");
    expect(paths).toContain("dist/THIRD-PARTY-LICENSES.md");
    expect(paths).toContain("collections/certn-smoke.json");
    const unexpected = paths.filter(
      (p) =>
        !/^(dist\/|collections\/[^/]+\.json$|README\.md$|package\.json$|LICENSE$)/.test(p) ||
        /\.test\./.test(p),
    );
    expect(unexpected).toEqual([]);
    // The Worker is deployed from source, the CLI ships as JavaScript only, and no source maps.
    expect(paths.filter((p) => p.startsWith("dist/worker/") || p.endsWith(".map"))).toEqual([]);
    expect(paths.filter((p) => p.startsWith("dist/cli/") && p.endsWith(".d.ts"))).toEqual([]);
  });

  it("installs as one package: node_modules holds certn-edge and nothing else", () => {
    expect(installedPackages(project)).toEqual(["certn-edge"]);
    expect(pkg).not.toHaveProperty("dependencies");
    expect(pkg.peerDependenciesMeta.undici.optional).toBe(true);
  });

  it("names the bundled third-party code and its licences", () => {
    const licenses = readFileSync(
      join(project, "node_modules/certn-edge/dist/THIRD-PARTY-LICENSES.md"),
      "utf8",
    );
    for (const name of ["hono", "@hono/node-server", "valibot", "@cfworker/json-schema"]) {
      expect(licenses).toContain(`## ${name} `);
    }
    expect(licenses).toMatch(/Permission is hereby granted/);
  });

  it("ships the CLI as an executable with a node shebang", () => {
    const main = join(project, "node_modules/certn-edge", pkg.bin["certn-edge"]);
    expect(readFileSync(main, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
    expect(statSync(main).mode & 0o111).not.toBe(0);
    expect(existsSync(join(project, "node_modules/.bin/certn-edge"))).toBe(true);
  });

  it("every entry point imports and works from Node", () => {
    const out = execFileSync("node", ["main.mjs"], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual(EVERY_ENTRY_WORKS);
  });

  it("every entry point imports and works from Deno", () => {
    const out = execFileSync(
      bin("deno"),
      [
        "run",
        "--allow-read",
        "--allow-env",
        "--allow-net=127.0.0.1",
        "--node-modules-dir=manual",
        "main.mjs",
      ],
      { cwd: project, encoding: "utf8", env: { ...process.env, DENO_NO_UPDATE_CHECK: "1" } },
    );
    expect(JSON.parse(out)).toEqual(EVERY_ENTRY_WORKS);
  });

  it("every entry point imports and works from Bun", () => {
    const out = execFileSync(bin("bun"), ["main.mjs"], { cwd: project, encoding: "utf8" });
    expect(JSON.parse(out)).toEqual(EVERY_ENTRY_WORKS);
  });

  it("the installed CLI runs a bundled collection against its simulator", () => {
    const out = execFileSync("npx", ["--offline", "certn-edge", "run", "certn-smoke", "--simulator"], {
      cwd: project,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", HOME: project, npm_config_update_notifier: "false" },
    });
    expect(out).toContain("(bundled certn-smoke)");
    expect(out).toMatch(/\d+ items: \d+ passed, 0 failed, 0 errored/);
  });

  it("ships ESM with types first in every export", () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === "string") continue;
      expect(Object.keys(target)[0], entry).toBe("types");
    }
    expect(pkg.type).toBe("module");
    expect(pkg.sideEffects).toBe(false);
  });
});
