/**
 * One registry of error codes: every refusal the Worker answers carries a code of WORKER_ERRORS
 * with that code's status, in the `{ error: { code, message } }` shape (400 adds `issues`), and an
 * unexpected failure is a 500 whose log names the error's kind only.
 */
import { env as poolEnv } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WORKER_ERRORS, WorkerError, type WorkerErrorCode } from "../../../src/worker/errors.ts";
import {
  CALLER_SECRET,
  callerToken,
  captureConsoleForFile,
  createHarness,
  type ErrorShape,
  expectNoLeak,
} from "./harness.ts";

const capture = captureConsoleForFile([CALLER_SECRET]);

describe("the error registry", () => {
  it("gives every code its registered status and the JSON shape", async () => {
    for (const code of Object.keys(WORKER_ERRORS) as WorkerErrorCode[]) {
      const response = new WorkerError(code, "why", { headers: { "x-test": "1" } }).getResponse();
      expect(response.status).toBe(WORKER_ERRORS[code].status);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(response.headers.get("x-test")).toBe("1");
      expect(await response.json()).toEqual({ error: { code, message: "why" } });
    }
  });

  it("answers every refusal of the routes with a registered code and status", async () => {
    const h = createHarness({ env: { CERTN_CENTRIC_WEBHOOK_SECRET: "webhook-secret-of-the-error-test" } });
    const readOnly = await callerToken({ scope: "collections:read" });
    // Run records and Idempotency-Key need D1: a second app with the DB binding.
    const withDb = createHarness({ env: { DB: poolEnv.DB } });
    const key = crypto.randomUUID();
    const keyed = (json: unknown) =>
      withDb.call("/collections/certn-smoke/runs", {
        method: "POST",
        json,
        headers: { "idempotency-key": key },
      });
    await (await keyed({})).text();
    // The first run of a second key is still running (its first upstream request is slowed down).
    withDb.sim.inject(() => true, [{ delayMs: 300 }]);
    const slowKey = crypto.randomUUID();
    const slow = () =>
      withDb.call("/collections/certn-smoke/runs", {
        method: "POST",
        json: {},
        headers: { "idempotency-key": slowKey },
      });
    const first = slow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const inUse = await slow();
    await (await first).text();
    const refusals: Response[] = [
      await h.call("/nope"),
      await h.call("/runs", { method: "DELETE" }),
      await h.call("/collections/certn-smoke/runs", {
        method: "POST",
        headers: { "idempotency-key": "bad\u007fkey" },
      }),
      await h.call("/webhooks/certncentric", {
        method: "POST",
        auth: false,
        json: { id: "e-1" },
        headers: { "x-signature": "0".repeat(64) },
      }),
      await keyed({ variables: { other: "body" } }),
      inUse,
      await h.call("/collections", { auth: false }),
      await h.call("/collections", { auth: "not.a.jwt" }),
      await h.call("/runs", { method: "POST", auth: readOnly, json: {} }),
      await h.call("/collections/x", { method: "PUT", body: "{}" }),
      await h.call("/collections/x", {
        method: "PUT",
        body: "x".repeat(1024 * 1024 + 1),
        headers: { "content-type": "application/json" },
      }),
      await h.call("/runs", { method: "POST", body: "{", headers: { "content-type": "application/json" } }),
      await h.call("/runs", { method: "POST", json: { iterations: 0 } }),
      await h.call("/collections/certn-smoke", { method: "DELETE" }),
      await h.call("/collections/Bad!", { method: "PUT", json: {} }),
      await h.call("/collections/nothing-here"),
    ];
    const codes = new Set<string>();
    for (const response of refusals) {
      const body = (await response.json()) as ErrorShape;
      const entry = WORKER_ERRORS[body.error.code as WorkerErrorCode];
      expect(entry, body.error.code).toBeDefined();
      expect(response.status, body.error.code).toBe(entry.status);
      expect(Object.keys(body).sort()).toEqual(body.issues === undefined ? ["error"] : ["error", "issues"]);
      codes.add(body.error.code);
    }
    expect([...codes].sort()).toEqual(
      [
        "BODY_TOO_LARGE",
        "FORBIDDEN",
        "IDEMPOTENCY_KEY_IN_USE",
        "IDEMPOTENCY_KEY_REUSED",
        "INVALID_HEADER",
        "INVALID_ID",
        "INVALID_INPUT",
        "INVALID_JSON",
        "INVALID_SIGNATURE",
        "METHOD_NOT_ALLOWED",
        "NOT_FOUND",
        "READ_ONLY",
        "UNAUTHORIZED",
        "UNSUPPORTED_MEDIA_TYPE",
      ].sort(),
    );
  });

  it("answers an unexpected failure with 500 INTERNAL_ERROR and logs its kind, never its message", async () => {
    const secret = `leak-${crypto.randomUUID()}`;
    const bundled = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error(`store exploded with ${secret}`);
        },
      },
    );
    const h = createHarness({ app: { bundledCollections: bundled } });
    const before = capture.lines.length;
    const response = await h.call("/collections");
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: "INTERNAL_ERROR", message: "the Worker failed unexpectedly" },
    });
    const logged = capture.lines.slice(before).join("\n");
    expect(logged).toContain('"msg":"unhandled error"');
    expect(logged).toContain('"error":"Error"');
    expectNoLeak(`${logged}\n${text}`, [secret]);
  });
});
