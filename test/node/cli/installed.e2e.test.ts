/**
 * The CLI as an installed package: the packed tarball installed with `npm install --offline`
 * into a consumer project (certn-edge alone, no other package), started with
 * `npx --offline certn-edge`.
 */
import { rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { installedPackages, installPacked } from "../package/helpers/packed.ts";
import { type CliResult, cleanEnv, ROOT, runProcess } from "./helpers/built-cli.ts";

// Each test starts real processes, which takes a while on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let project: string;

beforeAll(() => {
  ({ project } = installPacked("certn-cli-installed-"));
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

function npx(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runProcess("npx", ["--offline", "certn-edge", ...args], {
    cwd: project,
    env: cleanEnv({ npm_config_update_notifier: "false", ...env }),
  });
}

/** A run whose requests go through the proxy variables (port 9 refuses connections). */
const PROXIED_RUN = {
  args: ["run", "certn-smoke", "--base-url", "http://127.0.0.1:9", "--timeout", "2000"],
  env: { CERTN_CLIENT_ID: "id", CERTN_CLIENT_SECRET: "secret", HTTP_PROXY: "http://127.0.0.1:9" },
};

describe("npx certn-edge from an installed package", () => {
  it("is installed alone, its bin dist/cli/main.js linked", () => {
    expect(installedPackages(project)).toEqual(["certn-edge"]);
    expect(pkg.bin["certn-edge"]).toBe("dist/cli/main.js");
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "collections/*.json"]));
  });

  it("--version", async () => {
    const { code, stdout, stderr } = await npx(["--version"]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe(`certn-edge ${pkg.version}`);
  });

  it("runs bundled collections against the simulator with no other package installed", async () => {
    const { code, stdout, stderr } = await npx(["run", "certn-smoke", "hr-quick-screen", "--simulator"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("(bundled certn-smoke)");
    expect(stdout).toContain("2 collections: 2 passed, 0 failed");
  });

  it("with a proxy variable set and undici not installed, says how to get it", async () => {
    const { code, stderr } = await npx(PROXIED_RUN.args, PROXIED_RUN.env);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'HTTP_PROXY is set, but the "undici" package that Node needs to use a proxy is not installed (npm install undici)',
    );
  });

  it("with a proxy variable set and undici installed beside it (the optional peer), uses it", async () => {
    const undici = join(project, "node_modules/undici");
    symlinkSync(join(ROOT, "node_modules/undici"), undici, "dir");
    try {
      const { code, stdout, stderr } = await npx(PROXIED_RUN.args, PROXIED_RUN.env);
      // The proxy at port 9 refuses connections: the items error, nothing crashes.
      expect(code, stderr).toBe(1);
      expect(`${stdout}${stderr}`).not.toContain("is not installed");
    } finally {
      rmSync(undici, { force: true });
    }
  });
});
