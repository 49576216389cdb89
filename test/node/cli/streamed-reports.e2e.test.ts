/**
 * `certn-edge run --out` with JSON and JUnit: the files are written as the run goes and hold every
 * item, even when the run is too long for its in-memory result to keep them all.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../../src/results/result.ts";
import { KEEP_ALL_ITEMS_UP_TO } from "../../../src/runner/index.ts";
import { runCli, useBuiltCli } from "./helpers/built-cli.ts";
import { findAll, parseXml } from "./helpers/xml.ts";

const FIXTURES = "test/fixtures/cli";
const cli = useBuiltCli("certn-cli-streamed-");

describe("certn-edge run --out, a run longer than the result keeps", () => {
  it("writes every item to the JSON and JUnit files, and the text report says what it left out", async () => {
    const out = join(cli.work, "streamed");
    // passing.json has 2 items: 2 x iterations item results, over the keep-all threshold.
    const iterations = KEEP_ALL_ITEMS_UP_TO / 2 + 10;
    const { code, stdout } = await runCli(cli.main, [
      "run",
      `${FIXTURES}/passing.json`,
      "--simulator",
      "--iterations",
      String(iterations),
      "--concurrency",
      "6",
      "--rate-limit",
      "off",
      "--reporter",
      "json,junit,text",
      "--out",
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain(`Reports: ${join(out, "passing.json")}, ${join(out, "passing.junit.xml")}`);
    const json = JSON.parse(readFileSync(join(out, "passing.json"), "utf8")) as RunResult;
    expect(json.summary.items).toBe(iterations * 2);
    expect(json.items).toHaveLength(iterations * 2);
    expect(json.itemsOmitted).toBeUndefined();
    const seen = new Set(json.items.map((item) => `${item.iteration}/${item.name}`));
    expect(seen.size).toBe(iterations * 2);
    const junit = parseXml(readFileSync(join(out, "passing.junit.xml"), "utf8"));
    expect(junit.attributes.tests).toBe(String(iterations * 2));
    expect(findAll(junit, "testcase")).toHaveLength(iterations * 2);
    const text = readFileSync(join(out, "passing.txt"), "utf8");
    expect(text).toContain(
      `(${iterations * 2} more items not kept in the result: it holds the failures only)`,
    );
    // No part file is left behind.
    expect(readdirSync(out).filter((name) => name.endsWith(".part"))).toEqual([]);
    expect(existsSync(join(out, "passing.json.part"))).toBe(false);
  });
});
