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

  it("shows control characters and bidi overrides in collection text as escapes, on a terminal or not", () => {
    const hostile = "a\x1b]0;pwned\x07b\rc\bd\x9b2Je\u202ef\u2066g\x00h";
    const shown = "a\\x1b]0;pwned\\x07b\\x0dc\\x08d\\x9b2Je\\u{202e}f\\u{2066}g\\x00h";
    const [, failed] = mixedResult().items;
    const item = {
      ...failed!,
      name: hostile,
      path: [`Folder\x1b[2J`, hostile],
      assertions: [
        { that: "$.a", op: "equals" as const, expected: "x", passed: false, name: `check\x1b[31m` },
      ],
      error: { code: "CERTN_NETWORK", message: "reset\r\x1b[2Kfake PASS line" },
    };
    const ordinary = "Café ✓ 日本語 — ok";
    for (const tty of [false, true]) {
      const out = sink(tty);
      const progress = createProgress(out, progressOptions(out, {}));
      progress.onEvent({ type: "run-start", collection: hostile, iterations: 1 });
      progress.onEvent({ type: "item-start", name: hostile, path: item.path, iteration: 0 });
      progress.onEvent({
        type: "attempt",
        name: hostile,
        path: item.path,
        iteration: 0,
        attempt: 1,
        status: 200,
        retryInMs: 10,
        poll: { attempt: 1, maxAttempts: 2 },
      });
      progress.onEvent({ type: "item-end", item });
      progress.onEvent({
        type: "item-end",
        item: { ...item, name: ordinary, path: [ordinary], status: "passed" },
      });
      progress.onEvent({ type: "run-end", summary: mixedResult().summary });
      // What remains once the progress's own sequences are taken out has no control character.
      const own = new RegExp(`\r${"\u001b"}\\[2K|${"\u001b"}\\[\\d+m`, "g");
      const rest = out.text.replace(own, "").replaceAll("\n", "");
      expect(rest).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
      expect(out.text).toContain(`Folder\\x1b[2J / ${shown}`);
      expect(out.text).toContain("check\\x1b[31m: $.a equals");
      expect(out.text).toContain("CERTN_NETWORK: reset\\x0d\\x1b[2Kfake PASS line");
      expect(out.text).toContain(ordinary);
    }
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
