/**
 * `wrangler deploy --dry-run` of the production config succeeds and its bundle holds no simulator
 * code, no console one-click sign-in (src/worker/console/login.ts) and none of the console's
 * client (a static asset); the development config's bundle holds the first two (which shows the
 * check can see them).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const wrangler = join(root, "node_modules/wrangler/bin/wrangler.js");
const scratch = mkdtempSync(join(tmpdir(), "wrangler-bundle-"));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Bundles a config with `wrangler deploy --dry-run --outdir` and returns the script and its sources. */
function dryRun(config: string): { status: number | null; output: string; code: string; sources: string[] } {
  const outdir = join(scratch, config);
  const result = spawnSync(
    process.execPath,
    [wrangler, "deploy", "--dry-run", "--outdir", outdir, "--config", join(root, config)],
    {
      cwd: root,
      encoding: "utf8",
      env: {
        ...process.env,
        CI: "true",
        WRANGLER_SEND_METRICS: "false",
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
      },
    },
  );
  const script = join(outdir, config === "wrangler.toml" ? "index.js" : "dev.js");
  const code = existsSync(script) ? readFileSync(script, "utf8") : "";
  const map = existsSync(`${script}.map`)
    ? (JSON.parse(readFileSync(`${script}.map`, "utf8")) as { sources: string[] })
    : { sources: [] };
  return { status: result.status, output: `${result.stdout}${result.stderr}`, code, sources: map.sources };
}

/** Strings only the simulator holds. */
const SIMULATOR_MARKERS = [
  "createCertnSimulator",
  "certn-demo-secret-please-change",
  "Simulated Partner Superteam",
];

describe("wrangler bundles", () => {
  it("builds the production entry without any simulator code", { timeout: 120_000 }, () => {
    const result = dryRun("wrangler.toml");
    expect(result.output).toContain("--dry-run: exiting now.");
    expect(result.status).toBe(0);
    expect(result.code.length).toBeGreaterThan(0);
    for (const marker of SIMULATOR_MARKERS) expect(result.code).not.toContain(marker);
    expect(result.sources.filter((source) => source.includes("src/simulator/"))).toEqual([]);
    expect(result.sources.filter((source) => source.includes("src/worker/console/login.ts"))).toEqual([]);
    // The console's client is a static asset (assets/console/), never part of the Worker's code.
    expect(result.sources.filter((source) => source.includes("src/worker/console/client/"))).toEqual([]);
    // The client keeps the caller's token in sessionStorage; nothing in the Worker names it.
    expect(result.code).not.toContain("sessionStorage");
    expect(result.sources.some((source) => source.includes("src/worker/index.ts"))).toBe(true);
    expect(result.sources.some((source) => source.includes("collections/certn-smoke.json"))).toBe(true);
    const size = statSync(join(scratch, "wrangler.toml", "index.js")).size;
    console.info(`production bundle: ${(size / 1024).toFixed(1)} KiB (unminified)`);
  });

  it("builds the development entry with the simulator inside", { timeout: 120_000 }, () => {
    const result = dryRun("wrangler.dev.toml");
    expect(result.status).toBe(0);
    expect(result.code).toContain("createCertnSimulator");
    expect(result.sources.some((source) => source.includes("src/simulator/"))).toBe(true);
    expect(result.sources.some((source) => source.includes("src/worker/console/login.ts"))).toBe(true);
  });
});
