#!/usr/bin/env node
// Runs the runtime scenario (test/runtimes/scenario.ts) under Deno, Bun and Chromium against the
// simulator served over real HTTP on 127.0.0.1, and writes each runner's counts for `.ci/run`.
// Usage: node scripts/test-runtimes.mjs <report-dir> [deno|bun|chromium ...]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const reportDir = resolve(process.argv[2] ?? join(root, ".tmp/test-results"));
const wanted = process.argv.slice(3);
const runners = wanted.length > 0 ? wanted : ["deno", "bun", "chromium"];
mkdirSync(reportDir, { recursive: true });

const { serveCertnSimulator } = await import(join(root, "dist/simulator/node.js"));

/** Counts from a JUnit file: the `<testsuites>` totals that deno and bun both write. */
function junitCounts(file) {
  const xml = readFileSync(file, "utf8");
  const head = /<testsuites\b([^>]*)>/.exec(xml)?.[1] ?? "";
  const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(head)?.[1] ?? 0);
  const tests = attr("tests");
  const failed = attr("failures") + attr("errors");
  const skipped = attr("skipped");
  return { passed: tests - failed - skipped, failed, skipped };
}

function record(runner, counts) {
  writeFileSync(join(reportDir, `${runner}.json`), JSON.stringify({ runner, ...counts }));
  console.log(`${runner}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

/** A fast-progressing simulator in real time, so polling finishes in about a second. */
async function startSimulator(extra = {}) {
  return serveCertnSimulator({
    port: 0,
    realTime: true,
    rateLimit: false,
    progress: { analysisMs: 500, submitMs: 500 },
    ...extra,
  });
}

function simEnv(server) {
  const { clientId, clientSecret } = server.simulator.credentials;
  return { CERTN_SIM_URL: server.url, CERTN_SIM_CLIENT_ID: clientId, CERTN_SIM_CLIENT_SECRET: clientSecret };
}

/** Runs a child asynchronously: the simulator lives in this process and must keep answering. */
function spawnAndWait(command, args, options) {
  return new Promise((done) => {
    const child = spawn(command, args, { ...options, stdio: "inherit" });
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      done(status ?? 1);
    });
  });
}

async function runJUnit(runner, command, args, env) {
  const work = mkdtempSync(join(tmpdir(), `certn-${runner}-`));
  const junit = join(work, "junit.xml");
  const fullArgs = args.map((arg) => arg.replace("{junit}", junit));
  const status = await spawnAndWait(command, fullArgs, { cwd: root, env: { ...process.env, ...env } });
  const counts = existsSync(junit) ? junitCounts(junit) : { passed: 0, failed: 1, skipped: 0 };
  if (status !== 0 && counts.failed === 0) counts.failed = 1;
  rmSync(work, { recursive: true, force: true });
  record(runner, counts);
  return counts.failed === 0;
}

async function runDeno() {
  const server = await startSimulator();
  try {
    return await runJUnit(
      "deno",
      join(root, "node_modules/.bin/deno"),
      [
        "test",
        "--allow-env",
        "--allow-net=127.0.0.1",
        "--no-prompt",
        "--reporter=dot",
        "--junit-path={junit}",
        "test/runtimes/deno.test.ts",
      ],
      { ...simEnv(server), DENO_NO_UPDATE_CHECK: "1" },
    );
  } finally {
    await server.close();
  }
}

async function runBun() {
  const server = await startSimulator();
  try {
    return await runJUnit(
      "bun",
      join(root, "node_modules/.bin/bun"),
      ["test", "--reporter=junit", "--reporter-outfile={junit}", "./test/runtimes/bun.test.ts"],
      simEnv(server),
    );
  } finally {
    await server.close();
  }
}

/** Bundles the browser entry with the built ESM output (dist/) standing in for the sources. */
async function buildBrowserBundle() {
  const { build } = await import("esbuild");
  const toDist = {
    name: "use-built-dist",
    setup(b) {
      b.onResolve({ filter: /src\/(index|runner\/index)\.ts$/ }, (args) => ({
        path: join(root, "dist", args.path.replace(/^.*src\//, "").replace(/\.ts$/, ".js")),
      }));
    },
  };
  const out = await build({
    entryPoints: [join(root, "test/runtimes/browser-entry.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
    plugins: [toDist],
    logLevel: "silent",
  });
  return out.outputFiles[0].text;
}

/**
 * Checks of the browser itself, run in the page beside the scenario: the library needs a secure
 * context (Web Crypto), and web security must be on, or a passing run would prove nothing about
 * CORS in a user's browser. `closedOrigin` answers without any CORS header.
 */
async function browserChecks(tab, closedOrigin) {
  return tab.evaluate(async (closed) => {
    const outcomes = [];
    const check = async (name, run) => {
      try {
        await run();
        outcomes.push({ name: `chromium: ${name}`, passed: true });
      } catch (error) {
        outcomes.push({ name: `chromium: ${name}`, passed: false, error: String(error) });
      }
    };
    await check("a page from http://127.0.0.1 is a secure context with Web Crypto", async () => {
      if (!isSecureContext) throw new Error("not a secure context");
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("certn"));
      if (digest.byteLength !== 32) throw new Error(`SHA-256 gave ${digest.byteLength} bytes`);
    });
    await check("web security is on: a cross-origin read without CORS is refused", async () => {
      let body;
      try {
        body = await (await fetch(closed)).text();
      } catch {
        return; // refused, as in any user's browser
      }
      throw new Error(`read ${JSON.stringify(body)} from ${closed} without CORS`);
    });
    return outcomes;
  }, closedOrigin);
}

/** Serves `handler` on 127.0.0.1 and resolves with the server and its origin. */
async function serveLocal(handler) {
  const server = createServer(handler);
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

async function runChromium() {
  let outcomes;
  try {
    outcomes = await chromiumOutcomes();
  } catch (error) {
    // No browser, or it did not start: a failure with its reason, never a skip.
    console.error(`\n!!! the browser runtime test could not run: ${error.stack ?? error} !!!\n`);
    outcomes = [{ name: "chromium: the browser ran the page", passed: false, error: String(error) }];
  }
  for (const outcome of outcomes) {
    console.log(`${outcome.passed ? "✓" : "✗"} ${outcome.name}${outcome.error ? `: ${outcome.error}` : ""}`);
  }
  const failed = outcomes.filter((o) => !o.passed).length;
  record("chromium", { passed: outcomes.length - failed, failed, skipped: 0 });
  return failed === 0 && outcomes.length > 0;
}

async function chromiumOutcomes() {
  const { launchChromiumContext } = await import("./browser.mjs");
  const bundle = await buildBrowserBundle();
  const page = `<!doctype html><meta charset="utf-8"><title>certn-edge in Chromium</title><script type="module" src="/bundle.js"></script>`;
  const pages = await serveLocal((req, res) => {
    if (req.url?.startsWith("/bundle.js")) {
      res.writeHead(200, { "content-type": "text/javascript" }).end(bundle);
    } else {
      res.writeHead(200, { "content-type": "text/html" }).end(page);
    }
  });
  const closed = await serveLocal((_req, res) =>
    res.writeHead(200, { "content-type": "text/plain" }).end("private"),
  );
  // The page's origin is allowed through CORS for this test only.
  const server = await startSimulator({ cors: { origin: pages.origin } });
  let browser;
  try {
    browser = await launchChromiumContext();
    const tab = await browser.context.newPage();
    const { clientId, clientSecret } = server.simulator.credentials;
    const query = new URLSearchParams({ sim: server.url, id: clientId, secret: clientSecret });
    await tab.goto(`${pages.origin}/?${query}`);
    const scenario = await tab.evaluate(() => globalThis.__scenario);
    return [...(await browserChecks(tab, closed.origin)), ...scenario];
  } catch (error) {
    if (!browser) throw error;
    return [{ name: "chromium: page ran the scenario", passed: false, error: String(error) }];
  } finally {
    await browser?.close();
    await server.close();
    pages.server.close();
    closed.server.close();
  }
}

const table = { deno: runDeno, bun: runBun, chromium: runChromium };
let ok = true;
for (const runner of runners) {
  console.log(`\n== runtime: ${runner} ==`);
  ok = (await table[runner]()) && ok;
}
process.exit(ok ? 0 : 1);
