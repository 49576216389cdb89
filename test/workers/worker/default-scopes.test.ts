/**
 * RUNNER_DEFAULT_SCOPES, the scopes of a token without a `scope` claim (every Cloudflare Access
 * identity): `*` grants every scope but the admin ones, naming an admin scope is a configuration
 * error, and a value set but empty grants nothing.
 */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  CALLER_SECRET,
  callerToken,
  captureConsoleForFile,
  createHarness,
  jsonOf,
  unique,
} from "./harness.ts";

captureConsoleForFile([CALLER_SECRET]);

type ErrorBody = { error: { code: string; message: string } };

/** A caller token without a `scope` claim, as Cloudflare Access sends. */
const scopeless = (sub: string): Promise<string> => callerToken({ sub, scope: undefined });

describe("RUNNER_DEFAULT_SCOPES", () => {
  it("'*' grants every scope but the admin ones: scope-less callers cannot read each other's runs", async () => {
    const h = createHarness({ env: { DB: poolEnv.DB, RUNNER_DEFAULT_SCOPES: "*" } });
    const alice = await scopeless(unique("alice"));
    const bob = await scopeless(unique("bob"));
    const run = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      auth: alice,
      json: { dryRun: true },
    });
    expect(run.status).toBe(200);
    const runId = run.headers.get("x-run-id") ?? "";
    expect((await h.call(`/runs/${runId}`, { auth: alice })).status).toBe(200);
    // runs:admin is not among them: Bob does not see Alice's run, nor can he cancel it.
    expect((await h.call(`/runs/${runId}`, { auth: bob })).status).toBe(404);
    expect((await h.call(`/runs/${runId}/cancel`, { method: "POST", auth: bob })).status).toBe(404);
    const listed = await jsonOf<{ runs: { runId: string }[] }>(
      await h.call("/runs?limit=200", { auth: bob }),
    );
    expect(listed.runs.map((entry) => entry.runId)).not.toContain(runId);
    // The other scopes are all granted.
    const collection = {
      formatVersion: 1,
      name: "star",
      items: [{ name: "users", request: { method: "GET", url: "/api/v1/users/" } }],
    };
    const id = unique("star").toLowerCase();
    expect((await h.call(`/collections/${id}`, { method: "PUT", auth: bob, json: collection })).status).toBe(
      201,
    );
    const adhoc = await h.call("/runs", { method: "POST", auth: bob, json: { collection, dryRun: true } });
    expect(adhoc.status).toBe(200);
    expect((await h.call("/monitors", { auth: bob })).status).toBe(200);
  });

  it("refuses an admin scope named in it as a configuration error (503), whatever the token", async () => {
    for (const value of [
      "runs:admin",
      "collections:read runs:saved runs:admin",
      "* runs:admin",
      "monitors:admin",
    ]) {
      const h = createHarness({ env: { RUNNER_DEFAULT_SCOPES: value } });
      for (const token of [await scopeless(unique("s")), await callerToken({ scope: "collections:read" })]) {
        const response = await h.call("/collections", { auth: token });
        expect(response.status, value).toBe(503);
        const body = await jsonOf<ErrorBody>(response);
        expect(body.error.code).toBe("CONFIG_ERROR");
        expect(body.error.message).toContain("RUNNER_DEFAULT_SCOPES");
        expect(body.error.message).toContain("admin");
      }
    }
  });

  it("grants nothing when set but empty: a scope-less token gets 403 everywhere", async () => {
    for (const value of ["", "   "]) {
      const h = createHarness({ env: { RUNNER_DEFAULT_SCOPES: value } });
      const token = await scopeless(unique("nobody"));
      expect((await h.call("/collections", { auth: token })).status, JSON.stringify(value)).toBe(403);
      const run = await h.call("/collections/certn-smoke/runs", {
        method: "POST",
        auth: token,
        json: { dryRun: true },
      });
      expect(run.status).toBe(403);
      expect((await jsonOf<ErrorBody>(run)).error.code).toBe("FORBIDDEN");
      // A token with its own scope claim is not affected.
      const claimed = await callerToken({ scope: "collections:read" });
      expect((await h.call("/collections", { auth: claimed })).status).toBe(200);
    }
    // Unset, the built-in defaults apply.
    const unset = createHarness({ env: { RUNNER_DEFAULT_SCOPES: undefined } });
    expect((await unset.call("/collections", { auth: await scopeless(unique("reader")) })).status).toBe(200);
  });

  it("leaves a token's own '*' claim every scope, the admin ones included", async () => {
    const h = createHarness({ env: { DB: poolEnv.DB } });
    const alice = await callerToken({ sub: unique("alice"), scope: "runs:saved" });
    const run = await h.call("/collections/certn-smoke/runs", {
      method: "POST",
      auth: alice,
      json: { dryRun: true },
    });
    const runId = run.headers.get("x-run-id") ?? "";
    const admin = await callerToken({ sub: unique("admin"), scope: "*" });
    expect((await h.call(`/runs/${runId}`, { auth: admin })).status).toBe(200);
  });
});
