#!/usr/bin/env node
// `npm start`: the Worker's development entry (wrangler.dev.toml: the same app with the embedded
// Certn simulator, no credentials, no network) on 127.0.0.1:8787, local KV and D1 kept under
// .wrangler/.
// A caller JWT secret is made at random for this start and handed to wrangler in a private file
// (mode 0600, deleted when wrangler exits), never on the command line, where any local user could
// read it. The local D1 database (run records, webhook events, waits) is brought up to date with
// migrations/ first. Once /health answers, ready-to-paste commands are printed: an immediate run,
// a durable run (`Prefer: respond-async`) and the read of a durable run's status; then the web
// console's one-click link (scripts/console-login.mjs).
// Environment knobs: CERTN_EDGE_PORT (default 8787), CERTN_EDGE_PERSIST_TO (default .wrangler/state).
import { createHmac, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { makeConsoleLogin } from "./console-login.mjs";
import { applyLocalD1Migrations, spawnWranglerDev, waitForHealth } from "./wrangler-dev.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const host = "127.0.0.1";
const port = Number(process.env.CERTN_EDGE_PORT ?? 8787);
const persistTo = process.env.CERTN_EDGE_PERSIST_TO ?? join(root, ".wrangler", "state");
const HEALTH_TIMEOUT_MS = 60_000;
const TOKEN_LIFETIME_S = 12 * 3600;

if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
  console.error("CERTN_EDGE_PORT must be a TCP port number");
  process.exit(2);
}

/** Base64url of bytes or text. */
const base64url = (value) => Buffer.from(value).toString("base64url");

/**
 * What the printed commands and the README's need: running a saved collection and reading its own
 * runs (`runs:saved`), and storing a collection to run (`collections:write`, the README's
 * `PUT /collections/teams`); nothing more (least privilege: it cannot list or read collections,
 * nor touch monitors).
 */
const TOKEN_SCOPES = "runs:saved collections:write";

/** An HS256 JWT naming its scopes, valid for this development session. */
function mintJwt(secret, scope) {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims = { sub: "npm-start", scope, iat: now, exp: now + TOKEN_LIFETIME_S };
  const payload = base64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

// 32 random bytes as base64url: 43 characters, above the Worker's 32-byte minimum.
const secret = randomBytes(32).toString("base64url");
const jwt = mintJwt(secret, TOKEN_SCOPES);
const base = `http://${host}:${port}`;
// The console's way in: a one-time code the Worker trades for a console token (see below).
const consoleLogin = makeConsoleLogin(base);

/**
 * Whether `host:port` can be listened on now. Checked before wrangler starts: with the port taken
 * (an earlier `npm start` still running), /health would be answered by that other server and the
 * lines printed below would name a token it does not accept.
 */
function portFree() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

if (!(await portFree())) {
  console.error(
    `npm start: ${host}:${port} is already in use (an earlier npm start?). Stop it, or choose another port: CERTN_EDGE_PORT=8790 npm start`,
  );
  process.exit(1);
}

// The same local database `wrangler dev --persist-to` reads; only new migrations are applied.
try {
  await applyLocalD1Migrations({ config: "wrangler.dev.toml", persistTo });
} catch (error) {
  console.error(`npm start: ${error.message}`);
  process.exit(1);
}

const child = spawnWranglerDev({
  config: "wrangler.dev.toml",
  port,
  persistTo,
  secrets: { RUNNER_JWT_SECRET: secret, ...consoleLogin.secrets },
  // GET /__scheduled?cron=*/5+*+*+*+* fires the monitors' Cron Trigger by hand.
  testScheduled: true,
});

// Wrangler's output passes through, minus any line mentioning curl (so the ones printed below are
// the only ones) and with the session secret masked should wrangler ever echo it.
for (const [stream, out] of [
  [child.stdout, process.stdout],
  [child.stderr, process.stderr],
]) {
  createInterface({ input: stream }).on("line", (line) => {
    if (/curl/i.test(line)) return;
    out.write(`${line.split(secret).join("(hidden)")}\n`);
  });
}

let exited = false;
child.on("exit", (code, signal) => {
  exited = true;
  if (signal !== null) process.exit(1);
  process.exit(code ?? 1);
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (!exited) child.kill(signal);
  });
}

try {
  await waitForHealth(base, child, HEALTH_TIMEOUT_MS);
} catch (error) {
  console.error(`npm start: ${error.message}`);
  if (!exited) child.kill("SIGTERM");
  process.exit(1);
}

const auth = `-H "Authorization: Bearer ${jwt}"`;
console.log("");
console.log(`certn-edge Worker ready on ${base} against the embedded Certn simulator (no network).`);
console.log(
  `Run the bundled smoke collection (the token below holds the scopes "${TOKEN_SCOPES}", for this session only):`,
);
console.log(
  `curl -s -X POST ${auth} -H "Content-Type: application/json" -d '{}' ${base}/collections/certn-smoke/runs`,
);
console.log(
  "Start a durable run: it orders a CertnCentric quickscreen, waits for the case (woken by the simulator's webhooks) and reads the report; 202 with its runId:",
);
console.log(
  `curl -s -X POST ${auth} -H "Prefer: respond-async" -H "Content-Type: application/json" -d '{}' ${base}/collections/centric-quickscreen/runs`,
);
console.log("Its status (RUN_ID: the runId it answered; add /events?follow=1 to stream its events):");
console.log(`curl -s ${auth} ${base}/runs/RUN_ID`);
// The console's way in: one link that signs the browser in, like an OAuth authorization code. The
// code is in the fragment, which a browser never sends, so it is in no server log (wrangler's
// included); the page takes it out of the address bar before anything else and trades it once
// for a console token with POST /console/login, which then lives in that tab's sessionStorage.
// The browser's history may keep the link, but by then the code is spent, and it expires 15
// minutes after this start anyway. No console token to paste is printed any more (the curl lines
// above carry their own narrower one): a printed 8-hour console token would outlive this session in terminal scrollback and recorded output, which a spent code
// does not; the page still takes any caller token pasted into it.
console.log("");
console.log(`Web console (one click, signs you in): ${consoleLogin.link}`);
console.log("The link signs in once, within 15 minutes; restart npm start for a new one.");
console.log("Press Ctrl+C to stop.");
