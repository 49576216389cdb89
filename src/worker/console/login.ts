/**
 * The console's one-click sign-in, served by the development entry only (src/worker/dev.ts; the
 * production entry has no such route). `npm start` makes a random one-time code, prints it in a
 * `#login=` link (a fragment: never sent to a server, so never in wrangler's request log) and
 * hands the Worker only its SHA-256 (`CONSOLE_LOGIN_CODE_SHA256`) and when it was made
 * (`CONSOLE_LOGIN_CODE_ISSUED_AT`). The page posts the code to `POST /console/login`, which
 * answers a caller JWT once, like an OAuth authorization code: the browser history may keep the
 * link, but a spent or expired code opens nothing.
 */
import { Hono } from "hono";
import { SignJWT } from "jose";
import { limitBody, readJsonBody } from "../body.ts";
import { configError, invalidInput, WorkerError } from "../errors.ts";
import type { AppEnv } from "../routes/context.ts";
import { methodNotAllowed } from "../routes/method-not-allowed.ts";
import { CONSOLE_LOGIN_CODE_TTL_MS, spendConsoleLoginCode } from "../store/console-logins.ts";

/** Where the page posts the code. */
const CONSOLE_LOGIN_PATH = "/console/login";

/**
 * What the web console needs to be useful: read and edit collections, run saved ones and read
 * their runs, read, create, edit and delete monitors. Still not ad-hoc runs or other callers' runs.
 */
const CONSOLE_SCOPES = "collections:read collections:write runs:saved monitors:read monitors:write";

/** The token's lifetime: a working day (the tab keeps it; closing the tab forgets it). */
const CONSOLE_TOKEN_LIFETIME_S = 8 * 3600;

/** The code as `npm start` makes it: base64url of at least 16 random bytes (128 bits). */
const CODE_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;
/** Largest accepted body, in bytes. */
const LOGIN_BODY_LIMIT = 1024;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * workerd's constant-time comparison (`crypto.subtle.timingSafeEqual`, a Workers extension), which
 * the DOM typings this project also loads hide.
 */
const subtle = crypto.subtle as SubtleCrypto & {
  timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean;
};

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function refused(message: string): WorkerError {
  return new WorkerError("UNAUTHORIZED", message);
}

/** The configured hash and issue time; a development Worker without them has no one-click code. */
function configured(env: AppEnv["Bindings"]): { hashHex: string; issuedAt: number } {
  const hashHex = env.CONSOLE_LOGIN_CODE_SHA256?.toLowerCase();
  if (hashHex === undefined || hashHex === "") {
    throw refused(
      "this Worker has no one-click sign-in code (npm start makes one); paste a caller token instead",
    );
  }
  if (!HASH_PATTERN.test(hashHex)) throw configError("CONSOLE_LOGIN_CODE_SHA256 must be 64 hex digits");
  const issuedAt = Number(env.CONSOLE_LOGIN_CODE_ISSUED_AT);
  if (!Number.isSafeInteger(issuedAt) || issuedAt <= 0) {
    throw configError("CONSOLE_LOGIN_CODE_ISSUED_AT must be a time in ms since the epoch");
  }
  return { hashHex, issuedAt };
}

/** The `code` of the body, or a 400 naming `/code`. */
function codeOf(body: unknown): string {
  const code = typeof body === "object" && body !== null ? (body as { code?: unknown }).code : undefined;
  if (typeof code !== "string" || !CODE_PATTERN.test(code)) {
    throw invalidInput("INVALID_INPUT", 'send { "code": "<the code of the #login= link>" }', [
      { path: "/code", message: "must be the base64url code of the #login= link (22 to 128 characters)" },
    ]);
  }
  return code;
}

/**
 * `POST /console/login` with `{ "code": "..." }`: 200 `{ token, scope, expiresAt }` the first time
 * within 15 minutes, else 401 saying why (wrong, already used, expired). Neither the code nor the
 * token is logged or stored; only the spent code's SHA-256 is kept (D1 `console_logins`).
 * @example
 * app.route("/", consoleLoginRoutes()); // development entry only
 */
export function consoleLoginRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // A code is a few dozen characters: a larger body is refused before it is read.
  app.use(CONSOLE_LOGIN_PATH, limitBody(LOGIN_BODY_LIMIT));
  app.post(CONSOLE_LOGIN_PATH, async (c) => {
    const code = codeOf(await readJsonBody(c.req.raw));
    const expected = configured(c.env);
    const encoder = new TextEncoder();
    const digest = hex(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(code))));
    // Constant time: how many leading bytes matched is not told by the answer's timing.
    // Both are 64 lowercase hex digits, so the byte arrays have the same length.
    if (!subtle.timingSafeEqual(encoder.encode(digest), encoder.encode(expected.hashHex))) {
      throw refused("the sign-in code is wrong; use the link npm start printed, or paste a caller token");
    }
    const at = Date.now();
    if (at - expected.issuedAt > CONSOLE_LOGIN_CODE_TTL_MS) {
      throw refused(
        "the sign-in code expired (15 minutes after npm start); restart npm start for a new link",
      );
    }
    const secret = c.env.RUNNER_JWT_SECRET;
    if (secret === undefined || secret === "") throw configError("RUNNER_JWT_SECRET is not set");
    if (c.env.DB === undefined) throw configError("the DB database is needed to spend a sign-in code once");
    if (!(await spendConsoleLoginCode(c.env.DB, digest, at))) {
      throw refused(
        "the sign-in code was already used; restart npm start for a new link, or paste a caller token",
      );
    }
    const issued = Math.floor(at / 1000);
    const expiresAt = issued + CONSOLE_TOKEN_LIFETIME_S;
    const jwt = new SignJWT({ scope: CONSOLE_SCOPES })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject("npm-start-console")
      .setIssuedAt(issued)
      .setExpirationTime(expiresAt);
    // The Worker checks these when they are set; a token without them would be refused.
    if (c.env.RUNNER_JWT_ISSUER) jwt.setIssuer(c.env.RUNNER_JWT_ISSUER);
    if (c.env.RUNNER_JWT_AUDIENCE) jwt.setAudience(c.env.RUNNER_JWT_AUDIENCE);
    const token = await jwt.sign(encoder.encode(secret));
    return c.json(
      { token, scope: CONSOLE_SCOPES, expiresAt: new Date(expiresAt * 1000).toISOString() },
      200,
      { "cache-control": "no-store" },
    );
  });
  methodNotAllowed(app, CONSOLE_LOGIN_PATH, "POST");
  return app;
}
