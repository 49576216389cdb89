/** Run results for reporter tests, shaped like the runner's (already redacted) output. */
import type { ItemResult, RunResult } from "../../../../src/results/result.ts";

/** A request item result with sensible defaults. */
export function item(overrides: Partial<ItemResult> & Pick<ItemResult, "name" | "status">): ItemResult {
  return {
    path: [overrides.name],
    iteration: 0,
    attempts: 1,
    assertions: [],
    error: null,
    durationMs: 12,
    ...overrides,
  };
}

/** A run result whose summary is computed from its items. */
export function result(collection: string, items: ItemResult[], extra: Partial<RunResult> = {}): RunResult {
  const count = (status: ItemResult["status"]) => items.filter((i) => i.status === status).length;
  const assertions = items.flatMap((i) => i.assertions);
  return {
    collection,
    startedAt: "2026-11-28T10:00:00.000Z",
    durationMs: 1234,
    summary: {
      items: items.length,
      passed: count("passed"),
      failed: count("failed"),
      errored: count("errored"),
      skipped: count("skipped"),
      assertions: {
        passed: assertions.filter((a) => a.passed).length,
        failed: assertions.filter((a) => !a.passed).length,
      },
      requests: items.reduce((sum, i) => sum + i.attempts, 0),
    },
    items,
    ...extra,
  };
}

/** Three items: one passed, one failed, one errored, plus hostile text in names and values. */
export function mixedResult(): RunResult {
  return result('Smoke <script>window.__pwned = 1</script> & "friends"', [
    item({
      name: "List users",
      status: "passed",
      request: { method: "GET", url: "https://demo-api.certn.co/api/v1/users/?page_size=5" },
      response: { status: 200, durationMs: 40 },
      assertions: [{ that: "status", op: "equals", expected: 200, actual: 200, passed: true }],
      captures: { ownerId: "2d9d1745-d16b-4cb8-bfcd-4215a08b8e6c" },
    }),
    item({
      name: "Order <b>bold</b>",
      path: ["Orders", "Order <b>bold</b>"],
      status: "failed",
      request: { method: "POST", url: "https://demo-api.certn.co/api/v1/hr/applications/quick/" },
      response: { status: 400, durationMs: 55, body: { non_field_errors: ["<img src=x onerror=alert(1)>"] } },
      attempts: 1,
      assertions: [
        { that: "status", op: "equals", expected: 201, actual: 400, passed: false },
        { that: "$.status", op: "equals", expected: "Analyzing", passed: false, message: "selected nothing" },
      ],
    }),
    item({
      name: "Read applicant",
      status: "errored",
      attempts: 0,
      error: { code: "CERTN_UNKNOWN_VARIABLE", message: 'unknown variable "applicantId" in the url' },
    }),
    item({ name: "Skipped one", status: "skipped", attempts: 0, durationMs: 0 }),
  ]);
}
