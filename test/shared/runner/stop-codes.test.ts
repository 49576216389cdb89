/**
 * Items skipped because the run stopped carry the stop's code in `error`, so a caller (the CLI's
 * exit code, a dashboard) can tell an incomplete run from the result without reading messages.
 */
import { describe, expect, it } from "vitest";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, FakeClock, json } from "./helpers.ts";

const threeSteps = collectionOf([
  { name: "first", request: { method: "GET", url: "/1" } },
  { name: "second", request: { method: "GET", url: "/2" } },
  { name: "third", request: { method: "GET", url: "/3" } },
]);

describe("runCollection: codes of items skipped by a stop", () => {
  it("a deadline passed between items skips the rest with CERTN_DEADLINE", async () => {
    const clock = new FakeClock();
    const transport = createTestTransport(() => {
      // Each answer takes 3 s of the run's time; the deadline passes while the second is answered.
      clock.time += 3_000;
      return json({});
    });
    const result = await runCollection(threeSteps, {
      client: transport,
      deadlineMs: 5_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items.map((item) => item.status)).toEqual(["passed", "passed", "skipped"]);
    expect(result.items[2]?.error).toEqual({
      code: "CERTN_DEADLINE",
      message: "the run deadline passed before this item started",
    });
    expect(result.items[2]?.skipReason).toBe("the run deadline passed before this item started");
  });

  it("a deadline that passes during delayMs skips the waiting item with CERTN_DEADLINE", async () => {
    const clock = new FakeClock();
    const transport = createTestTransport(() => json({}));
    const result = await runCollection(threeSteps, {
      client: transport,
      deadlineMs: 1_500,
      delayMs: 1_000,
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(result.items.map((item) => [item.status, item.error?.code])).toEqual([
      ["passed", undefined],
      ["passed", undefined],
      ["skipped", "CERTN_DEADLINE"],
    ]);
    expect(transport.sent).toHaveLength(2);
  });

  it("the caller's abort skips the rest with CERTN_ABORTED", async () => {
    const controller = new AbortController();
    const transport = createTestTransport(() => {
      controller.abort();
      return json({});
    });
    const result = await runCollection(threeSteps, { client: transport, signal: controller.signal });
    expect(result.items.slice(1).map((item) => [item.status, item.error?.code])).toEqual([
      ["skipped", "CERTN_ABORTED"],
      ["skipped", "CERTN_ABORTED"],
    ]);
  });

  it("skips that are no stop (bail, skip: true) keep error null", async () => {
    const transport = createTestTransport(() => json({}, 500));
    const result = await runCollection(
      collectionOf([
        { name: "off", skip: true, request: { method: "GET", url: "/0" } },
        { name: "fails", request: { method: "GET", url: "/1" } },
        { name: "after", request: { method: "GET", url: "/2" } },
      ]),
      { client: transport, bail: true },
    );
    expect(result.items.map((item) => [item.status, item.error])).toEqual([
      ["skipped", null],
      ["failed", null],
      ["skipped", null],
    ]);
  });
});
