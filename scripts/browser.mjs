// Headless Chromium the one way this project starts it, for every browser test and script: the
// browser comes from npm (@sparticuz/chromium ships a Linux x64 chrome-headless-shell), so a fresh
// clone needs nothing but Node. `CHROMIUM_PATH` still names another executable when set.
// Used by test/node/cli/html-browser.test.ts and scripts/test-runtimes.mjs (and any later test
// that drives pages through Playwright).
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, normalize, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, createBrotliDecompress } from "node:zlib";
import { chromium as playwright } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The package exports only its entry point, so its files are found from there.
const sparticuzRoot = join(dirname(createRequire(import.meta.url).resolve("@sparticuz/chromium")), "..");
const sparticuzVersion = JSON.parse(readFileSync(join(sparticuzRoot, "package.json"), "utf8")).version;
/** Unpacked once per package version, inside the ignored node_modules/ of this project. */
const cacheParent = join(root, "node_modules", ".cache", "certn-edge");
const cacheDir = join(cacheParent, `chromium-${sparticuzVersion}`);

/**
 * Chromium's command line, chosen flag by flag. @sparticuz/chromium's own `args` are tuned for
 * AWS Lambda (they turn web security off, allow mixed content, force a single process...): none of
 * them is needed here, and web security must stay on so the tests see what a user's browser does
 * (CORS, Content-Security-Policy).
 */
export const CHROMIUM_ARGS = Object.freeze([
  // Root in a container cannot use Chromium's sandbox (and this build ships no setuid helper).
  // The browser only ever loads this project's own pages from 127.0.0.1 or disk.
  "--no-sandbox",
  // The machines that run the tests may have no network at all: nothing may try to reach Google.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  // No GPU in CI or containers; software rendering is enough for the pages under test.
  "--disable-gpu",
]);

/**
 * Glibc of this machine, or undefined off glibc. The libraries bundled with @sparticuz/chromium
 * (NSS, NSPR, expat) are built for glibc 2.34; on an older system its own copies must serve.
 */
function glibcVersion() {
  const version = process.report?.getReport().header.glibcVersionRuntime;
  return typeof version === "string" ? version.split(".").map(Number) : undefined;
}

/**
 * Writes the regular files and folders of a tar archive (the small ones bundled with
 * @sparticuz/chromium) under `target`. Anything else, or a name leaving `target`, is an error.
 */
function untar(archive, target) {
  const field = (start, length) =>
    archive
      .subarray(start, start + length)
      .toString("utf8")
      .replace(/\0.*$/s, "");
  for (let offset = 0; offset + 512 <= archive.length; ) {
    const name = field(offset, 100);
    if (name === "") break; // the two zero blocks that end the archive
    const size = Number.parseInt(field(offset + 124, 12).trim() || "0", 8);
    const type = field(offset + 156, 1) || "0";
    const path = normalize(join(target, name));
    if (!path.startsWith(target + sep)) throw new Error(`archive entry ${name} leaves ${target}`);
    const body = offset + 512;
    if (type === "5") {
      mkdirSync(path, { recursive: true });
    } else if (type === "0") {
      mkdirSync(dirname(path), { recursive: true });
      const mode = Number.parseInt(field(offset + 100, 8).trim() || "644", 8) & 0o755;
      writeFileSync(path, archive.subarray(body, body + size), { mode });
    } else {
      throw new Error(`archive entry ${name} has unsupported type ${JSON.stringify(type)}`);
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
}

/** Unpacking staged more than this long ago was interrupted (it takes seconds): remove it. */
const STALE_STAGING_MS = 10 * 60_000;

/**
 * Unpacks @sparticuz/chromium into {@link cacheDir} once. Everything is written to a private
 * staging folder first and renamed into place whole, so a process that is killed half-way, or
 * several test files starting at once, never leave or see a half-written browser.
 */
async function unpack() {
  mkdirSync(cacheParent, { recursive: true });
  for (const entry of readdirSync(cacheParent)) {
    if (!entry.startsWith(".staging-")) continue;
    const path = join(cacheParent, entry);
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_STAGING_MS)
        rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process removed or renamed it meanwhile.
    }
  }
  if (existsSync(join(cacheDir, "chromium"))) return;
  const staging = mkdtempSync(join(cacheParent, ".staging-"));
  const bin = join(sparticuzRoot, "bin");
  try {
    await pipeline(
      createReadStream(join(bin, "chromium.br")),
      createBrotliDecompress(),
      createWriteStream(join(staging, "chromium"), { mode: 0o755 }),
    );
    untar(brotliDecompressSync(readFileSync(join(bin, "fonts.tar.br"))), staging);
    untar(brotliDecompressSync(readFileSync(join(bin, "al2023.tar.br"))), staging);
    // The bundled fonts.conf names Lambda's folders (/tmp/fonts...): point it at this one.
    const xml = (path) => path.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    writeFileSync(
      join(staging, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <dir>${xml(join(cacheDir, "fonts"))}</dir>\n` +
        `  <cachedir>${xml(join(cacheDir, "fonts-cache"))}</cachedir>\n</fontconfig>\n`,
    );
    renameSync(staging, cacheDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process finished first: its copy is as good as this one.
    if (existsSync(join(cacheDir, "chromium"))) return;
    throw new Error(`could not unpack Chromium from @sparticuz/chromium into ${cacheDir}`, { cause: error });
  }
}

let unpacking;

/**
 * The Chromium to launch and the environment it needs: `CHROMIUM_PATH` as it is when set, else
 * the browser inside @sparticuz/chromium with its fonts and, on glibc 2.34 or later, its bundled
 * libraries (so a machine without NSS still runs it).
 * @returns {Promise<{ executablePath: string, env: Record<string, string> }>}
 */
export async function chromiumExecutable() {
  const override = process.env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH names ${override}, which does not exist`);
    return { executablePath: override, env: {} };
  }
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `the Chromium of @sparticuz/chromium is a Linux x64 build; on ${process.platform} ${process.arch} ` +
        "set CHROMIUM_PATH to a Chromium or Chrome executable",
    );
  }
  unpacking ??= unpack().catch((error) => {
    unpacking = undefined; // let a later call try again
    throw error;
  });
  await unpacking;
  const env = { FONTCONFIG_FILE: join(cacheDir, "fonts.conf") };
  const glibc = glibcVersion();
  if (glibc && (glibc[0] > 2 || (glibc[0] === 2 && glibc[1] >= 34))) {
    const inherited = process.env.LD_LIBRARY_PATH;
    env.LD_LIBRARY_PATH = inherited ? `${join(cacheDir, "lib")}:${inherited}` : join(cacheDir, "lib");
  }
  return { executablePath: join(cacheDir, "chromium"), env };
}

/** Playwright launch options shared by both launchers; callers' `args` and `env` are added. */
async function launchOptions(options) {
  const { executablePath, env } = await chromiumExecutable();
  return {
    ...options,
    executablePath,
    headless: true,
    chromiumSandbox: false,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    env: { ...process.env, ...env, ...options.env },
  };
}

/** Rethrows a failed launch with the executable that failed: a browser test must say why. */
function launchError(options, error) {
  return new Error(`Chromium did not start (${options.executablePath}): ${error.message}`, { cause: error });
}

/**
 * Launches headless Chromium. Playwright gives the browser a fresh profile of its own and deletes
 * it when `close()` is called.
 */
export async function launchChromium(options = {}) {
  const resolved = await launchOptions(options);
  let browser;
  try {
    browser = await playwright.launch(resolved);
  } catch (error) {
    throw launchError(resolved, error);
  }
  return { browser, close: () => browser.close() };
}

/**
 * Launches headless Chromium as one persistent context on a fresh user-data folder, which
 * `close()` removes after the browser has exited.
 */
export async function launchChromiumContext(options = {}) {
  const resolved = await launchOptions(options);
  const userDataDir = mkdtempSync(join(tmpdir(), "certn-chromium-"));
  let context;
  try {
    context = await playwright.launchPersistentContext(userDataDir, resolved);
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw launchError(resolved, error);
  }
  return {
    context,
    userDataDir,
    close: async () => {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}
