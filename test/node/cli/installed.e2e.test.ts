/**
 * The CLI as an installed package: the build laid out as npm installs it (package.json, dist/,
 * collections/, only the declared dependencies, a node_modules/.bin link), started with
 * `npx --offline certn-edge` from a consumer project.
 */
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import pkg from "../../../package.json" with { type: "json" };
import { buildCli, type CliResult, cleanEnv, ROOT, runProcess } from "./helpers/built-cli.ts";

// Each test starts real processes, which takes a while on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let project: string;

beforeAll(() => {
  const main = buildCli();
  const build = dirname(dirname(dirname(main)));
  project = mkdtempSync(join(tmpdir(), "certn-cli-installed-"));
  const installed = join(project, "node_modules/certn-edge");
  mkdirSync(installed, { recursive: true });
  cpSync(join(build, "dist"), join(installed, "dist"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(installed, "package.json"));
  mkdirSync(join(installed, "collections"));
  for (const name of readdirSync(join(ROOT, "collections")).filter((file) => file.endsWith(".json"))) {
    cpSync(join(ROOT, "collections", name), join(installed, "collections", name));
  }
  for (const name of Object.keys(pkg.dependencies)) {
    mkdirSync(dirname(join(project, "node_modules", name)), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", name), join(project, "node_modules", name), "dir");
  }
  const bin = pkg.bin["certn-edge"];
  chmodSync(join(installed, bin), 0o755);
  mkdirSync(join(project, "node_modules/.bin"));
  symlinkSync(join("..", "certn-edge", bin), join(project, "node_modules/.bin/certn-edge"));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
}, 300_000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

function npx(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runProcess("npx", ["--offline", "certn-edge", ...args], {
    cwd: project,
    env: cleanEnv({ npm_config_update_notifier: "false", ...env }),
  });
}

describe("npx certn-edge from an installed package", () => {
  it("the bin is dist/cli/main.js with a node shebang", () => {
    expect(pkg.bin["certn-edge"]).toBe("dist/cli/main.js");
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "collections/*.json"]));
  });

  it("--version", async () => {
    const { code, stdout, stderr } = await npx(["--version"]);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe(`certn-edge ${pkg.version}`);
  });

  it("runs a bundled collection against the simulator with only the declared dependencies", async () => {
    const { code, stdout, stderr } = await npx(["run", "certn-smoke", "hr-quick-screen", "--simulator"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("(bundled certn-smoke)");
    expect(stdout).toContain("2 collections: 2 passed, 0 failed");
  });

  it("with a proxy variable set, uses undici when it is a dependency, else says how to get it", async () => {
    const { code, stderr } = await npx(
      ["run", "certn-smoke", "--base-url", "http://127.0.0.1:9", "--timeout", "2000"],
      {
        CERTN_CLIENT_ID: "id",
        CERTN_CLIENT_SECRET: "secret",
        HTTP_PROXY: "http://127.0.0.1:9",
      },
    );
    if ("undici" in pkg.dependencies) {
      // The proxy at port 9 refuses connections: the items error, nothing crashes.
      expect(code, stderr).toBe(1);
    } else {
      expect(code).toBe(2);
      expect(stderr).toContain(
        'HTTP_PROXY is set, but the "undici" package that Node needs to use a proxy is not installed',
      );
    }
  });
});
