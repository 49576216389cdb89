/**
 * What D1 keeps of an `Idempotency-Key` request: a keyed digest (HMAC-SHA256 under a key derived
 * from a deployment secret) of its route and body, never a plain SHA-256 that anyone reading D1
 * could confirm guesses against (a body's secrets and data rows, a PIN).
 */
import { env as poolEnv } from "cloudflare:workers";
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
  CALLER_SECRET,
  callerToken,
  captureConsoleForFile,
  createHarness,
  type Harness,
  jsonOf,
  unique,
} from "./harness.ts";

captureConsoleForFile([CALLER_SECRET]);

const DB = poolEnv.DB as D1Database;
const ROUTE = "/collections/certn-smoke/runs";

/** The body a caller sends, holding a four-digit PIN among its secrets. */
const bodyWithPin = (pin: string): string => `{"secrets":{"pin":"${pin}"},"dryRun":true}`;

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** POSTs `body` as is to certn-smoke's runs with `key`. */
function post(h: Harness, auth: string, key: string, body: string): Promise<Response> {
  return h.call(ROUTE, {
    method: "POST",
    auth,
    body,
    headers: { "content-type": "application/json", "idempotency-key": key },
  });
}

async function storedDigest(owner: string, key: string): Promise<string> {
  const row = await DB.prepare("SELECT body_hash FROM idempotency_keys WHERE owner = ? AND key = ?")
    .bind(owner, key)
    .first<{ body_hash: string }>();
  return row?.body_hash ?? "";
}

describe("the Idempotency-Key request digest", () => {
  it("is no plain SHA-256 of route and body: a PIN in the body is not found by hashing guesses", async () => {
    const h = createHarness({ env: { DB } });
    const owner = unique("pin-owner");
    const auth = await callerToken({ sub: owner });
    const key = crypto.randomUUID();
    const first = await post(h, auth, key, bodyWithPin("4821"));
    expect(first.status).toBe(200);
    const stored = await storedDigest(owner, key);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    // What a reader of D1 would compute for each guess: the right guess must not match.
    expect(stored).not.toBe(await sha256Hex(`${ROUTE}\n${bodyWithPin("4821")}`));

    // Keyed by the deployment: another deployment (another Certn secret) digests the same request
    // differently.
    const other = createHarness({ env: { DB } });
    const otherKey = crypto.randomUUID();
    expect((await post(other, auth, otherKey, bodyWithPin("4821"))).status).toBe(200);
    expect(await storedDigest(owner, otherKey)).not.toBe(stored);

    // And it still does its work: the same request is replayed, another body refused.
    const again = await post(h, auth, key, bodyWithPin("4821"));
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.headers.get("x-run-id")).toBe(first.headers.get("x-run-id"));
    const reused = await post(h, auth, key, bodyWithPin("4822"));
    expect(reused.status).toBe(422);
    expect((await jsonOf<{ error: { code: string } }>(reused)).error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("is keyed with RUNNER_JWT_SECRET when no Certn credentials are set (dry runs)", async () => {
    const h = createHarness({ env: { DB, CERTN_CLIENT_ID: undefined, CERTN_CLIENT_SECRET: undefined } });
    const owner = unique("dry-owner");
    const auth = await callerToken({ sub: owner });
    const key = crypto.randomUUID();
    const first = await post(h, auth, key, bodyWithPin("0007"));
    expect(first.status).toBe(200);
    expect(await storedDigest(owner, key)).not.toBe(await sha256Hex(`${ROUTE}\n${bodyWithPin("0007")}`));
    const again = await post(h, auth, key, bodyWithPin("0007"));
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  it("needs a deployment secret: with Cloudflare Access (JWKS) it is the Certn secret, and without one Idempotency-Key is a 503", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] });
    const issuer = "https://team.cloudflareaccess.com";
    const audience = "aud-idempotency";
    const access = (env: Record<string, string | undefined>) =>
      createHarness({
        env: {
          DB,
          RUNNER_JWT_SECRET: undefined,
          RUNNER_JWKS_URL: `${issuer}/cdn-cgi/access/certs`,
          RUNNER_JWT_ISSUER: issuer,
          RUNNER_JWT_AUDIENCE: audience,
          ...env,
        },
        app: { callerAuth: { jwks } },
      });
    const owner = unique("access-owner");
    const token = await new SignJWT({ sub: owner, iss: issuer, aud: audience })
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setExpirationTime("10m")
      .sign(privateKey);

    const withCertn = access({});
    const key = crypto.randomUUID();
    expect((await post(withCertn, token, key, bodyWithPin("1111"))).status).toBe(200);
    expect(await storedDigest(owner, key)).not.toBe(await sha256Hex(`${ROUTE}\n${bodyWithPin("1111")}`));
    expect((await post(withCertn, token, key, bodyWithPin("1111"))).headers.get("idempotent-replayed")).toBe(
      "true",
    );

    const noSecret = access({ CERTN_CLIENT_ID: undefined, CERTN_CLIENT_SECRET: undefined });
    const refused = await post(noSecret, token, crypto.randomUUID(), bodyWithPin("2222"));
    expect(refused.status).toBe(503);
    const body = await jsonOf<{ error: { code: string; message: string } }>(refused);
    expect(body.error.code).toBe("CONFIG_ERROR");
    expect(body.error.message).toContain("Idempotency-Key");
    // Without the header, the dry run needs no secret.
    const plain = await noSecret.call(ROUTE, { method: "POST", auth: token, json: { dryRun: true } });
    expect(plain.status).toBe(200);
  });
});
