/**
 * The console's one-click sign-in (`POST /console/login`) through the real entries in workerd,
 * with real D1: the development entry trades the code of `npm start`'s `#login=` link, once and
 * within 15 minutes, for a console token that lists collections; a wrong, spent or expired code is
 * 401 with a reason; a malformed body is 400 at `/code`. The production entry has no such route.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as poolEnv } from "cloudflare:workers";
import { jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import development from "../../../src/worker/dev.ts";
import type { Env } from "../../../src/worker/env.ts";
import production from "../../../src/worker/index.ts";
import { CALLER_SECRET } from "./harness.ts";

/** A fresh code as `npm start` makes it, and the settings that tell the Worker of it. */
async function freshCode(issuedAt = Date.now()): Promise<{ code: string; env: Env }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const code = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code)));
  const hash = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return {
    code,
    env: {
      TOKEN_CACHE: poolEnv.TOKEN_CACHE,
      COLLECTIONS: poolEnv.COLLECTIONS,
      DB: poolEnv.DB,
      RUNNER_JWT_SECRET: CALLER_SECRET,
      CONSOLE_LOGIN_CODE_SHA256: hash,
      CONSOLE_LOGIN_CODE_ISSUED_AT: String(issuedAt),
    },
  };
}

/** A request to `entry`, as the platform hands it over; waits for the work it left. */
async function call(entry: typeof production, env: Env, path: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(`https://worker.test${path}`, init) as unknown as Request<
    unknown,
    IncomingRequestCfProperties
  >;
  const response = await entry.fetch(request, env, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

function login(entry: typeof production, env: Env, body: unknown): Promise<Response> {
  return call(entry, env, "/console/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe("POST /console/login (development entry)", () => {
  it("trades the code once for a console token that lists collections", async () => {
    const { code, env } = await freshCode();
    const first = await login(development, env, { code });
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    const body = (await first.json()) as { token: string; scope: string; expiresAt: string };
    const { payload } = await jwtVerify(body.token, new TextEncoder().encode(CALLER_SECRET), {
      algorithms: ["HS256"],
    });
    expect(payload).toMatchObject({
      sub: "npm-start-console",
      scope: "collections:read collections:write runs:saved monitors:read monitors:write",
    });
    expect(body.scope).toBe(payload.scope);
    const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
    expect(lifetime).toBe(8 * 3600);
    expect(new Date(body.expiresAt).getTime()).toBe((payload.exp ?? 0) * 1000);
    const listed = await call(development, env, "/collections", {
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(listed.status).toBe(200);

    // The same code again: spent.
    const again = await login(development, env, { code });
    expect(again.status).toBe(401);
    expect(await errorOf(again)).toMatchObject({
      code: "UNAUTHORIZED",
      message: expect.stringContaining("already used"),
    });
  });

  it("spends a code once even when two requests race with it", async () => {
    const { code, env } = await freshCode();
    const answers = await Promise.all([login(development, env, { code }), login(development, env, { code })]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
  });

  it("refuses a wrong code and a code made over 15 minutes ago, and spends neither", async () => {
    const { code, env } = await freshCode();
    const wrong = await login(development, env, {
      code: `${code.slice(0, -1)}${code.endsWith("A") ? "B" : "A"}`,
    });
    expect(wrong.status).toBe(401);
    const wrongError = await errorOf(wrong);
    expect(wrongError).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("wrong") });
    expect(wrongError.message).not.toContain(code);

    const stale = await freshCode(Date.now() - 15 * 60 * 1000 - 1_000);
    const expired = await login(development, stale.env, { code: stale.code });
    expect(expired.status).toBe(401);
    expect((await errorOf(expired)).message).toContain("expired");
    // Nothing was spent by the refusals: the right, fresh code still works.
    expect((await login(development, env, { code })).status).toBe(200);
  });

  it("answers 401 when this Worker was started without a code", async () => {
    const { code, env } = await freshCode();
    const { CONSOLE_LOGIN_CODE_SHA256: _hash, ...withoutCode } = env;
    const response = await login(development, withoutCode, { code });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).message).toContain("paste a caller token");
  });

  it("answers 400 at /code for a body without a well-formed code, and 405 for GET", async () => {
    const { env } = await freshCode();
    for (const body of [{}, { code: 42 }, { code: "short" }, { code: "has spaces in it, not base64url!!" }]) {
      const response = await login(development, env, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: { code: string }; issues: { path: string }[] };
      expect(answer.error.code).toBe("INVALID_INPUT");
      expect(answer.issues.map((issue) => issue.path)).toEqual(["/code"]);
    }
    const get = await call(development, env, "/console/login");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });
});

describe("POST /console/login (production entry)", () => {
  it("does not exist, even with a code configured", async () => {
    const { code, env } = await freshCode();
    const response = await login(production, env, { code });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe("NOT_FOUND");
  });
});
