/**
 * One registry of error codes: every refusal the Worker answers carries a code of WORKER_ERRORS
 * with that code's status, in the `{ error: { code, message } }` shape (400 adds `issues`), and an
 * unexpected failure is a 500 whose log names the error's kind only.
 */
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
    const h = createHarness();
    const readOnly = await callerToken({ scope: "collections:read" });
    const refusals: Response[] = [
      await h.call("/nope"),
      await h.call("/runs"),
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
        "INVALID_ID",
        "INVALID_INPUT",
        "INVALID_JSON",
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
