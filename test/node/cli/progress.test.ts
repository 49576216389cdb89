import { describe, expect, it } from "vitest";
import { createProgress, describeProblems, progressOptions } from "../../../src/cli/progress.ts";
import type { Output } from "../../../src/cli/runtime.ts";
import type { RunEvent } from "../../../src/results/result.ts";
import { mixedResult } from "./helpers/results.ts";

/** Any SGR colour sequence (built from a string: control characters in regex literals are easy to misread). */
const COLOUR = new RegExp(`${"\u001b"}\\[\\d+m`);

function sink(isTTY: boolean): Output & { text: string } {
  const out = {
    text: "",
    isTTY,
    columns: 100,
    write(chunk: string) {
      out.text += chunk;
    },
  };
  return out;
}

function events(): RunEvent[] {
  const run = mixedResult();
  const [passed, failed] = run.items;
  return [
    { type: "run-start", collection: run.collection, iterations: 1 },
    { type: "item-start", name: passed!.name, path: passed!.path, iteration: 0 },
    { type: "attempt", name: passed!.name, path: passed!.path, iteration: 0, attempt: 1, status: 200 },
    { type: "item-end", item: passed! },
    { type: "item-start", name: "Wait", path: ["Wait"], iteration: 0 },
    {
      type: "attempt",
      name: "Wait",
      path: ["Wait"],
      iteration: 0,
      attempt: 1,
      status: 200,
      retryInMs: 4000,
      poll: { attempt: 1, maxAttempts: 25 },
    },
    {
      type: "attempt",
      name: "Wait",
      path: ["Wait"],
      iteration: 0,
      attempt: 2,
      status: 200,
      poll: { attempt: 2, maxAttempts: 25 },
    },
    { type: "item-end", item: failed! },
    { type: "run-end", summary: run.summary },
  ];
}

describe("progress", () => {
  it("off a terminal writes one plain line per item and no escape codes", () => {
    const out = sink(false);
    const progress = createProgress(out, progressOptions(out, {}));
    for (const event of events()) progress.onEvent(event);
    expect(out.text).not.toContain("\x1b");
    expect(out.text).not.toContain("\r");
    expect(out.text.split("\n").filter(Boolean)).toEqual([
      "  PASS  List users  12 ms",
      "  FAIL  Orders / Order <b>bold</b>  12 ms",
      "          status equals 201, got 400",
      '          $.status equals "Analyzing", got nothing (selected nothing)',
    ]);
  });

  it("on a terminal redraws a live line for polls (attempt n of m) and colours the status", () => {
    const out = sink(true);
    const progress = createProgress(out, progressOptions(out, {}));
    for (const event of events()) progress.onEvent(event);
    expect(out.text).toContain(
      "\r\x1b[2K\x1b[2m  ...   Wait: poll attempt 1 of 25 (status 200, next in 4.0 s)\x1b[0m",
    );
    expect(out.text).toContain("poll attempt 2 of 25 (status 200)");
    expect(out.text).toContain("\x1b[32mPASS \x1b[0m List users");
    expect(out.text).toContain("\x1b[31mFAIL \x1b[0m Orders / Order <b>bold</b>");
    // The live line is erased before each finished item's line.
    expect(out.text).toContain("\r\x1b[2K  \x1b[31mFAIL");
  });

  it("honours NO_COLOR and TERM=dumb", () => {
    const tty = sink(true);
    expect(progressOptions(tty, { NO_COLOR: "1" })).toEqual({ live: true, color: false });
    expect(progressOptions(tty, { TERM: "dumb" })).toEqual({ live: false, color: false });
    expect(progressOptions(sink(false), {})).toEqual({ live: false, color: false });
    const out = sink(true);
    const progress = createProgress(out, progressOptions(out, { NO_COLOR: "1" }));
    for (const event of events()) progress.onEvent(event);
    expect(out.text).not.toMatch(COLOUR);
    expect(out.text).toContain("\r\x1b[2K");
  });

  it("describes errors and failed assertions, not passed ones", () => {
    const [passed, failed, errored] = mixedResult().items;
    expect(describeProblems(passed!)).toEqual([]);
    expect(describeProblems(failed!)).toHaveLength(2);
    expect(describeProblems(errored!)).toEqual([
      'CERTN_UNKNOWN_VARIABLE: unknown variable "applicantId" in the url',
    ]);
  });

  it("shows what a dry run would send and why other items were skipped", () => {
    const [, failed, , skipped] = mixedResult().items;
    const dry = {
      ...failed!,
      status: "skipped" as const,
      assertions: [],
      wouldOrder: true,
      skipReason: "dry run: nothing was sent",
    };
    expect(describeProblems(dry)).toEqual([
      "POST https://demo-api.certn.co/api/v1/hr/applications/quick/  (orders a paid check)",
    ]);
    expect(describeProblems({ ...skipped!, skipReason: "an earlier item failed and bail is on" })).toEqual([
      "an earlier item failed and bail is on",
    ]);
  });
});
