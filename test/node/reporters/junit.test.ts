import { describe, expect, it } from "vitest";
import { toJUnit } from "../../../src/reporters/junit.ts";
import { toText } from "../../../src/reporters/text.ts";
import type { ItemResult, RunResult } from "../../../src/results/result.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, json } from "../../shared/runner/helpers.ts";
import { result as runResult } from "../cli/helpers/results.ts";
import { parseXml } from "./xml-parser.ts";

/** An item result; the name and path default to `i`. */
function item(partial: Partial<ItemResult>): ItemResult {
  const name = partial.name ?? "i";
  return {
    name,
    path: [name],
    iteration: 0,
    status: "passed",
    attempts: 1,
    assertions: [],
    error: null,
    ...partial,
  };
}

/** A run of the items; the totals are fixed so the summary line is known. */
function result(items: ItemResult[]): RunResult {
  const run = runResult("Suite <\"&'>", items);
  return { ...run, summary: { ...run.summary, assertions: { passed: 0, failed: 1 }, requests: 3 } };
}

/** Four items, one of each status, with characters that XML and text must escape. */
function sample(): RunResult {
  return result([
    item({
      name: "ok",
      path: ["Folder", "Sub", "ok"],
      durationMs: 143,
      request: { method: "GET", url: "https://x/a?b=1&c=2" },
    }),
    item({
      name: "bad <one>",
      path: ["Folder", "bad <one>"],
      status: "failed",
      assertions: [
        { that: "$.status", op: "equals", expected: "Complete", actual: "Analyzing & more", passed: false },
        {
          that: "status",
          op: "implicit-status",
          expected: "< 400",
          actual: 404,
          passed: false,
          message: "no status assertion",
        },
      ],
    }),
    item({
      name: "err",
      status: "errored",
      error: { code: "CERTN_TIMEOUT", message: 'timed out "now"\n\u0001\uD800' },
    }),
    item({ name: "skip", status: "skipped", skipReason: "skip: true" }),
  ]);
}

describe("toJUnit", () => {
  it("is well-formed XML with one testcase per item, folder classnames and counts", () => {
    const root = parseXml(toJUnit(sample()));
    expect(root.name).toBe("testsuites");
    // The attributes Jenkins xunit's junit-10.xsd allows on <testsuites> (it refuses `skipped`).
    expect(Object.keys(root.attributes).sort()).toEqual(["errors", "failures", "name", "tests", "time"]);
    const suite = root.children[0];
    expect(suite?.name).toBe("testsuite");
    expect(suite?.attributes).toMatchObject({
      name: "Suite <\"&'>",
      tests: "4",
      failures: "1",
      errors: "1",
      skipped: "1",
      time: "1.234",
    });
    const cases = suite?.children ?? [];
    expect(cases.map((entry) => [entry.attributes.name, entry.attributes.classname])).toEqual([
      ["ok", "Folder.Sub"],
      ["bad <one>", "Folder"],
      ["err", "Suite <\"&'>"],
      ["skip", "Suite <\"&'>"],
    ]);
    expect(cases[0]?.attributes.time).toBe("0.143");
    expect(cases[0]?.children[0]).toMatchObject({ name: "system-out", text: "GET https://x/a?b=1&c=2" });
    const failure = cases[1]?.children[0];
    expect(failure?.name).toBe("failure");
    expect(failure?.attributes.message).toBe('$.status equals "Complete", actual "Analyzing & more"');
    expect(failure?.text).toContain('status implicit-status "< 400", actual 404 (no status assertion)');
    const error = cases[2]?.children[0];
    expect(error).toMatchObject({ name: "error", attributes: { type: "CERTN_TIMEOUT" } });
    expect(error?.attributes.message).toBe('timed out "now"\n\\u0001\\ud800');
    expect(cases[3]?.children[0]).toMatchObject({ name: "skipped", attributes: { message: "skip: true" } });
  });

  it("names iterations when there are several", async () => {
    const transport = createTestTransport(() => json({}));
    const run = await runCollection(collectionOf([{ name: "a", request: { method: "GET", url: "/a" } }]), {
      client: transport,
      iterations: 2,
    });
    const cases = parseXml(toJUnit(run)).children[0]?.children ?? [];
    expect(cases.map((entry) => entry.attributes.name)).toEqual(["a [iteration 0]", "a [iteration 1]"]);
  });

  it("stands a case per outcome for the items a result left out, so a failure no longer kept still fails", () => {
    // As the Worker stores a result too large even for its failures: no item kept, the summary whole.
    const whole = sample();
    const stored: RunResult = { ...whole, items: [], itemsOmitted: 4 };
    const cases = parseXml(toJUnit(stored)).children[0]?.children ?? [];
    expect(cases.map((entry) => [entry.attributes.name, entry.children[0]?.name])).toEqual([
      ["1 failed item not kept in the result", "failure"],
      ["1 errored item not kept in the result", "error"],
      ["1 skipped item not kept in the result", "skipped"],
      ["1 passed item not kept in the result", "system-out"],
    ]);
    // Kept items are not counted twice: only the outcomes beyond them get a case.
    const failuresKept: RunResult = {
      ...whole,
      items: whole.items.filter((entry) => entry.status === "failed"),
      itemsOmitted: 3,
    };
    const names = (parseXml(toJUnit(failuresKept)).children[0]?.children ?? []).map(
      (entry) => entry.attributes.name,
    );
    expect(names).toEqual([
      "bad <one>",
      "1 errored item not kept in the result",
      "1 skipped item not kept in the result",
      "1 passed item not kept in the result",
    ]);
    expect(toJUnit(whole)).not.toContain("not kept");
  });
});

describe("toText", () => {
  it("has a line per item, the failures in detail and the totals", () => {
    const text = toText(sample());
    const lines = text.split("\n");
    expect(lines[0]).toBe("Suite <\"&'>");
    expect(lines.some((line) => /^PASS +Folder \/ Sub \/ ok +143 ms +GET https:\/\/x\/a/.test(line))).toBe(
      true,
    );
    expect(lines.some((line) => line.startsWith("FAIL   Folder / bad <one>"))).toBe(true);
    expect(lines.some((line) => line.startsWith("ERROR  err"))).toBe(true);
    expect(lines.some((line) => line.startsWith("SKIP   skip"))).toBe(true);
    expect(text).toContain("Failures and errors:");
    expect(text).toContain('$.status equals "Complete", actual "Analyzing & more"');
    expect(text).toContain("CERTN_TIMEOUT: timed out");
    expect(text).toContain(
      "4 items: 1 passed, 1 failed, 1 errored, 1 skipped; assertions 0 passed, 1 failed; 3 requests; 1234 ms",
    );
  });

  it("shows control characters and bidi overrides as escapes, and keeps ordinary Unicode", () => {
    const hostile = "a\x1b[2Jb\rc\bd\x9be\u202ef\u2069g\x7fh";
    const shown = "a\\x1b[2Jb\\x0dc\\x08d\\x9be\\u{202e}f\\u{2069}g\\x7fh";
    const run = runResult(`Suite ${hostile}`, [
      item({ name: hostile, path: [`Folder\u202e`, hostile] }),
      item({
        name: "Café ✓ 日本語",
        status: "failed",
        assertions: [
          { that: "$.a", op: "equals", expected: "x", actual: "\u202ey", passed: false, name: `n\x1b[8m` },
        ],
        error: { code: "CERTN_NETWORK", message: "reset\nPASS  forged line" },
      }),
    ]);
    const text = toText(run);
    expect(text.replaceAll("\n", "")).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
    const lines = text.split("\n");
    expect(lines[0]).toBe(`Suite ${shown}`);
    expect(lines).toContain(`PASS   Folder\\u{202e} / ${shown}`);
    expect(text).toContain('n\\x1b[8m: $.a equals "x", actual "\\u{202e}y"');
    expect(text).toContain("CERTN_NETWORK: reset\\x0aPASS  forged line");
    expect(lines.some((line) => line.startsWith("PASS  forged"))).toBe(false);
    expect(text).toContain("FAIL   Café ✓ 日本語");
  });
});
