/**
 * Caller authentication and scopes, through the app's routes: HS256 with RUNNER_JWT_SECRET,
 * JWKS (Cloudflare Access) with the Cf-Access-Jwt-Assertion header, and configuration errors.
 */
import { base64url, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { CALLER_SECRET, callerToken, captureConsoleForFile, createHarness, unique } from "./harness.ts";

const presented: string[] = [];
captureConsoleForFile([CALLER_SECRET], presented);

/** Remembers a presented token so the console check covers it too. */
function track(token: string): string {
  presented.push(token);
  return token;
}

/** Asserts a 401 that challenges for a bearer token and does not echo `token`. */
async function expect401(response: Response, token?: string): Promise<void> {
  expect(response.status).toBe(401);
  const challenge = response.headers.get("www-authenticate") ?? "";
  expect(challenge).toMatch(/^Bearer /);
  if (token !== undefined) expect(challenge).toContain('error="invalid_token"');
  const text = await response.text();
  expect(JSON.parse(text).error.code).toBe("UNAUTHORIZED");
  if (token !== undefined) {
    expect(text).not.toContain(token);
    for (const part of token.split(".")) if (part.length > 8) expect(text).not.toContain(part);
    expect(challenge).not.toContain(token);
  }
}

const now = (): number => Math.floor(Date.now() / 1000);

describe("HS256 callers (RUNNER_JWT_SECRET)", () => {
  const h = createHarness();

  it("lets /health through without a token", async () => {
    const response = await h.call("/health", { auth: false });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it("accepts a valid token", async () => {
    const response = await h.call("/collections");
    expect(response.status).toBe(200);
  });

  it("answers 401 with a bare challenge when no token is sent, on every route", async () => {
    const routes: [string, string][] = [
      ["GET", "/collections"],
      ["GET", "/collections/certn-smoke"],
      ["PUT", "/collections/some-id"],
      ["DELETE", "/collections/some-id"],
      ["POST", "/collections/certn-smoke/runs"],
      ["POST", "/runs"],
    ];
    for (const [method, path] of routes) {
      const response = await h.call(path, { method, auth: false });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="certn-edge"');
    }
  });

  it("refuses alg none", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url.encode(JSON.stringify({ sub: "mallory", exp: now() + 600 }));
    const token = track(`${header}.${payload}.`);
    await expect401(await h.call("/collections", { auth: token }), token);
  });

  it("refuses a token signed with another key", async () => {
    const token = track(await callerToken({}, "another-secret-that-is-long-enough-0123456789"));
    await expect401(await h.call("/collections", { auth: token }), token);
  });

  it("refuses an RS256 token (algorithm pinned to HS256)", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = track(
      await new SignJWT({ exp: now() + 600 }).setProtectedHeader({ alg: "RS256" }).sign(privateKey),
    );
    await expect401(await h.call("/collections", { auth: token }), token);
  });

  it("refuses an HS512 token signed with the right secret", async () => {
    const token = track(
      await new SignJWT({ exp: now() + 600 })
        .setProtectedHeader({ alg: "HS512" })
        .sign(new TextEncoder().encode(CALLER_SECRET)),
    );
    await expect401(await h.call("/collections", { auth: token }), token);
  });

  it("refuses an expired token beyond the 30 s tolerance, accepts one within it", async () => {
    const expired = track(await callerToken({ exp: now() - 120 }));
    await expect401(await h.call("/collections", { auth: expired }), expired);
    const recent = await callerToken({ exp: now() - 5 });
    expect((await h.call("/collections", { auth: recent })).status).toBe(200);
  });

  it("requires exp", async () => {
    const token = track(
      await new SignJWT({ sub: "no-exp" })
        .setProtectedHeader({ alg: "HS256" })
        .sign(new TextEncoder().encode(CALLER_SECRET)),
    );
    await expect401(await h.call("/collections", { auth: token }), token);
  });

  it("refuses other schemes and garbage", async () => {
    const basic = await h.call("/collections", {
      auth: false,
      headers: { authorization: "Basic dXNlcjpwYXNz" },
    });
    expect(basic.status).toBe(401);
    await expect401(await h.call("/collections", { auth: "not-a-jwt" }), "not-a-jwt");
  });

  it("ignores Cf-Access-Jwt-Assertion in HS256 mode", async () => {
    const token = await callerToken();
    const response = await h.call("/collections", {
      auth: false,
      headers: { "cf-access-jwt-assertion": token },
    });
    expect(response.status).toBe(401);
  });
});

describe("issuer and audience in HS256 mode", () => {
  const h = createHarness({
    env: { RUNNER_JWT_ISSUER: "https://issuer.test", RUNNER_JWT_AUDIENCE: "certn-edge" },
  });

  it("accepts the configured iss and aud", async () => {
    const token = await callerToken({ iss: "https://issuer.test", aud: "certn-edge" });
    expect((await h.call("/collections", { auth: token })).status).toBe(200);
  });

  it("refuses a wrong iss, a wrong aud, or neither", async () => {
    for (const claims of [
      { iss: "https://evil.test", aud: "certn-edge" },
      { iss: "https://issuer.test", aud: "someone-else" },
      {},
    ]) {
      const token = track(await callerToken(claims));
      await expect401(await h.call("/collections", { auth: token }), token);
    }
  });
});

describe("scopes", () => {
  const h = createHarness();
  const routes = {
    list: ["GET", "/collections"],
    get: ["GET", "/collections/certn-smoke"],
    put: ["PUT", "/collections/scoped"],
    delete: ["DELETE", "/collections/scoped"],
    saved: ["POST", "/collections/certn-smoke/runs"],
    adhoc: ["POST", "/runs"],
  } as const;
  const needs: Record<keyof typeof routes, string> = {
    list: "collections:read",
    get: "collections:read",
    put: "collections:write",
    delete: "collections:write",
    saved: "runs:saved",
    adhoc: "runs:adhoc",
  };

  it("answers 403 for every route whose scope is missing, and passes auth when present", async () => {
    for (const scope of ["collections:read", "collections:write", "runs:saved", "runs:adhoc"]) {
      const token = await callerToken({ scope });
      for (const [name, [method, path]] of Object.entries(routes)) {
        const body = method === "GET" ? {} : { json: { dryRun: true } };
        const response = await h.call(path, { method, auth: token, ...body });
        const granted = needs[name as keyof typeof routes] === scope;
        if (granted) expect(response.status, `${scope} ${method} ${path}`).not.toBe(403);
        else {
          expect(response.status, `${scope} ${method} ${path}`).toBe(403);
          const body = await response.json<{ error: { code: string; message: string } }>();
          expect(body.error.code).toBe("FORBIDDEN");
          expect(body.error.message).toContain(needs[name as keyof typeof routes]);
        }
      }
    }
  });

  /** Status of each route for `token` on `harness`. */
  async function statuses(harness: typeof h, token: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, [method, path]] of Object.entries(routes)) {
      const body = method === "GET" ? {} : { json: { dryRun: true } };
      out[name] = (await harness.call(path, { method, auth: token, ...body })).status;
    }
    return out;
  }

  it("gives a token without a scope claim RUNNER_DEFAULT_SCOPES: by default reading and saved runs only", async () => {
    const token = await callerToken({ scope: undefined });
    const seen = await statuses(h, token);
    expect(seen.list).toBe(200);
    expect(seen.get).toBe(200);
    expect(seen.saved).toBe(200);
    expect([seen.put, seen.delete, seen.adhoc]).toEqual([403, 403, 403]);
  });

  it("follows RUNNER_DEFAULT_SCOPES, * granting every scope but the admin ones", async () => {
    const token = await callerToken({ scope: undefined });
    const all = createHarness({ env: { RUNNER_DEFAULT_SCOPES: "*" } });
    expect(Object.values(await statuses(all, token))).not.toContain(403);
    const adhoc = createHarness({ env: { RUNNER_DEFAULT_SCOPES: " runs:adhoc " } });
    const seen = await statuses(adhoc, token);
    expect(seen.adhoc).not.toBe(403);
    expect([seen.list, seen.get, seen.put, seen.delete, seen.saved]).toEqual([403, 403, 403, 403, 403]);
    // An explicit claim is never widened by the default.
    const explicit = await callerToken({ scope: "collections:read" });
    expect((await all.call("/runs", { method: "POST", auth: explicit, json: {} })).status).toBe(403);
  });

  it("refuses an unknown name in RUNNER_DEFAULT_SCOPES as a configuration error", async () => {
    const broken = createHarness({ env: { RUNNER_DEFAULT_SCOPES: "collections:raed runs:saved" } });
    const response = await broken.call("/collections", { auth: await callerToken({ scope: undefined }) });
    expect(response.status).toBe(503);
    const body = await response.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe("CONFIG_ERROR");
    expect(body.error.message).toContain("RUNNER_DEFAULT_SCOPES");
  });

  it("reads several space-separated scopes, and an empty scope as none", async () => {
    const both = await callerToken({ scope: "collections:read  runs:saved" });
    expect((await h.call("/collections", { auth: both })).status).toBe(200);
    expect((await h.call("/collections/certn-smoke/runs", { method: "POST", auth: both })).status).toBe(200);
    const none = await callerToken({ scope: "" });
    expect((await h.call("/collections", { auth: none })).status).toBe(403);
  });

  it("refuses a scope claim that is not a string", async () => {
    const token = track(await callerToken({ scope: ["collections:read"] }));
    await expect401(await h.call("/collections", { auth: token }), token);
  });
});

describe("configuration", () => {
  it("answers 503 on every authenticated route when no caller authentication is configured", async () => {
    const h = createHarness({ env: { RUNNER_JWT_SECRET: undefined } });
    expect((await h.call("/health", { auth: false })).status).toBe(200);
    for (const [method, path] of [
      ["GET", "/collections"],
      ["POST", "/collections/certn-smoke/runs"],
      ["POST", "/runs"],
    ] as const) {
      const response = await h.call(path, { method });
      expect(response.status).toBe(503);
      expect((await response.json<{ error: { code: string } }>()).error.code).toBe("AUTH_NOT_CONFIGURED");
    }
    expect(h.sim.tokenRequests).toBe(0);
  });

  it("answers 503 when both modes are configured", async () => {
    const h = createHarness({
      env: {
        RUNNER_JWKS_URL: "https://team.example.com/certs",
        RUNNER_JWT_ISSUER: "https://team.example.com",
        RUNNER_JWT_AUDIENCE: "aud",
      },
    });
    const response = await h.call("/collections");
    expect(response.status).toBe(503);
    expect((await response.json<{ error: { code: string } }>()).error.code).toBe("CONFIG_ERROR");
  });

  it("answers 503 for a secret under 32 bytes, without showing it", async () => {
    const short = "only-31-bytes-long-secret-value";
    expect(new TextEncoder().encode(short).byteLength).toBe(31);
    const h = createHarness({ env: { RUNNER_JWT_SECRET: short } });
    const response = await h.call("/collections", { auth: await callerToken({}, short) });
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).toContain("RUNNER_JWT_SECRET");
    expect(text).not.toContain(short);
  });

  it("answers 503 for JWKS without issuer or audience", async () => {
    const h = createHarness({
      env: { RUNNER_JWT_SECRET: undefined, RUNNER_JWKS_URL: "https://team.example.com/certs" },
    });
    const response = await h.call("/collections");
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("RUNNER_JWT_ISSUER");
  });
});

describe("JWKS callers (Cloudflare Access)", () => {
  const issuer = "https://team.cloudflareaccess.com";
  const audience = "aud-tag-0123456789";
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let rsaJwk: JWK;
  let jwks: { keys: JWK[] };

  beforeAll(async () => {
    rsa = await generateKeyPair("RS256", { extractable: true });
    ec = await generateKeyPair("ES256", { extractable: true });
    rsaJwk = { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256" };
    jwks = { keys: [rsaJwk, { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256" }] };
  });

  /** A harness in JWKS mode whose key set is served by an injected fetch, counting downloads. */
  function jwksHarness(status = 200) {
    const url = `${issuer}/cdn-cgi/access/certs/${unique("set")}`;
    const downloads: string[] = [];
    const h = createHarness({
      env: {
        RUNNER_JWT_SECRET: undefined,
        RUNNER_JWKS_URL: url,
        RUNNER_JWT_ISSUER: issuer,
        RUNNER_JWT_AUDIENCE: audience,
      },
      app: {
        callerAuth: {
          jwksFetch: (async (input: RequestInfo | URL) => {
            downloads.push(String(input));
            return new Response(JSON.stringify(jwks), {
              status,
              headers: { "content-type": "application/json" },
            });
          }) as typeof fetch,
        },
      },
    });
    return { h, downloads, url };
  }

  async function accessToken(
    claims: Record<string, unknown> = {},
    alg: "RS256" | "ES256" = "RS256",
  ): Promise<string> {
    const key = alg === "RS256" ? rsa.privateKey : ec.privateKey;
    return new SignJWT({
      iss: issuer,
      aud: audience,
      exp: now() + 600,
      email: "caller@example.com",
      ...claims,
    })
      .setProtectedHeader({ alg, kid: alg === "RS256" ? "rsa-1" : "ec-1" })
      .sign(key);
  }

  it("accepts Cf-Access-Jwt-Assertion (RS256 and ES256) and Authorization: Bearer", async () => {
    const { h, downloads, url } = jwksHarness();
    for (const alg of ["RS256", "ES256"] as const) {
      const token = await accessToken({}, alg);
      const response = await h.call("/collections", {
        auth: false,
        headers: { "cf-access-jwt-assertion": token },
      });
      expect(response.status, alg).toBe(200);
    }
    expect((await h.call("/collections", { auth: await accessToken() })).status).toBe(200);
    // The resolved key set is kept between requests; no download is shared while in flight.
    expect(downloads).toEqual([url]);
  });

  it("refuses a missing header, a wrong audience or issuer, an unknown key and an expired token", async () => {
    const { h } = jwksHarness();
    expect((await h.call("/collections", { auth: false })).status).toBe(401);
    const other = await generateKeyPair("RS256");
    const bad = [
      await accessToken({ aud: "another-application" }),
      await accessToken({ iss: "https://evil.cloudflareaccess.com" }),
      await accessToken({ exp: now() - 120 }),
      await new SignJWT({ iss: issuer, aud: audience, exp: now() + 600 })
        .setProtectedHeader({ alg: "RS256", kid: "rsa-1" })
        .sign(other.privateKey),
    ];
    for (const token of bad) {
      track(token);
      const response = await h.call("/collections", {
        auth: false,
        headers: { "cf-access-jwt-assertion": token },
      });
      await expect401(response, token);
    }
  });

  it("refuses the HS/RS swap: an HS256 token keyed with the public RSA key", async () => {
    const { h } = jwksHarness();
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(rsaJwk));
    const token = track(
      await new SignJWT({ iss: issuer, aud: audience, exp: now() + 600 })
        .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
        .sign(publicKeyBytes),
    );
    await expect401(
      await h.call("/collections", { auth: false, headers: { "cf-access-jwt-assertion": token } }),
      token,
    );
  });

  it("refuses an HS256 token made with the deployment's old shared secret", async () => {
    const { h } = jwksHarness();
    const token = track(await callerToken({ iss: issuer, aud: audience }));
    await expect401(await h.call("/collections", { auth: token }), token);
  });

  it("answers 503 when the key set cannot be downloaded", async () => {
    const { h } = jwksHarness(500);
    const response = await h.call("/collections", {
      auth: false,
      headers: { "cf-access-jwt-assertion": await accessToken() },
    });
    expect(response.status).toBe(503);
    expect((await response.json<{ error: { code: string } }>()).error.code).toBe("JWKS_UNAVAILABLE");
  });

  it("gives an Access token (no scope claim) the default scopes, not all of them", async () => {
    const { h } = jwksHarness();
    const token = await accessToken();
    const headers = { "cf-access-jwt-assertion": token };
    expect((await h.call("/collections", { auth: false, headers })).status).toBe(200);
    const adhoc = await h.call("/runs", { method: "POST", auth: false, headers, json: {} });
    expect(adhoc.status).toBe(403);
  });

  it("applies scopes from the JWKS token too", async () => {
    const { h } = jwksHarness();
    const token = await accessToken({ scope: "collections:read" });
    const response = await h.call("/runs", {
      method: "POST",
      auth: false,
      headers: { "cf-access-jwt-assertion": token },
    });
    expect(response.status).toBe(403);
  });
});
