/**
 * Every guess of the simulator is labelled in src/simulator/assumptions/ and listed, generated, in
 * docs/simulator-assumptions.md (issue 18). The labels follow the reference's tags (certn-api.md
 * and certncentric-api.md tag every statement [DOC], [CODE], [INF] or [2ND]).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ASSUMPTION_MODULES,
  ASSUMPTIONS_DOC,
  assumptionsOf,
  simulatorAssumptionsText,
} from "../../../scripts/simulator-assumptions.ts";
import * as centric from "../../../src/simulator/assumptions/centric.ts";
import * as centricCases from "../../../src/simulator/assumptions/centric-cases.ts";
import * as partnerFlags from "../../../src/simulator/assumptions/partner-flags.ts";

const DIR = join(import.meta.dirname, "../../../src/simulator/assumptions");
const SIMULATOR = join(import.meta.dirname, "../../../src/simulator");

/** Every .ts file of the simulator outside assumptions/, as one text. */
function simulatorSources(dir = SIMULATOR): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "assumptions" ? "" : simulatorSources(path);
      return entry.name.endsWith(".ts") ? readFileSync(path, "utf8") : "";
    })
    .join("\n");
}

describe("the assumptions modules", () => {
  it("are all in the generator, and every export of theirs is a labelled assumption", () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".ts") && f !== "label.ts");
    expect(ASSUMPTION_MODULES.map((m) => m.file).sort()).toEqual(files.sort());
    for (const module of ASSUMPTION_MODULES) {
      const labelled = assumptionsOf(module.exports).map(([name]) => name);
      expect(labelled, module.file).toEqual(Object.keys(module.exports).sort());
      for (const [name, { label }] of assumptionsOf(module.exports)) {
        expect(["DOC", "CODE", "INF", "2ND", "SIM"], name).toContain(label.tag);
        expect(["certn-api.md", "certncentric-api.md"], name).toContain(label.ref);
        expect(label.section, name).toMatch(
          /^(\d+(\.\d+)*( #\d+)?|Appendix A)(, (\d+(\.\d+)*( #\d+)?|Appendix A))*$/,
        );
        expect(label.note.length, name).toBeGreaterThan(10);
      }
    }
  });

  it("are each read by the simulator (no label without a behaviour behind it)", () => {
    const sources = simulatorSources();
    for (const module of ASSUMPTION_MODULES) {
      for (const [name] of assumptionsOf(module.exports)) {
        expect(sources.includes(`${name}.value`), `${module.file}: ${name} is never used`).toBe(true);
      }
    }
  });

  it("tag what issue 18 found over-claimed as the reference does", () => {
    // certn-api.md §5.3 names no key for the social media check: the key is the simulator's.
    expect(partnerFlags.RESULT_KEYS_BY_FLAG.value).not.toHaveProperty("request_social_media_check");
    expect(partnerFlags.GUESSED_RESULT_KEYS_BY_FLAG.label.tag).toBe("SIM");
    // Only US_CREDIT_REPORT_1's required claims are documented (certn-api.md §3.5).
    expect(Object.keys(centric.REQUIRED_CLAIMS_DOCUMENTED.value)).toEqual(["US_CREDIT_REPORT_1"]);
    expect(centric.REQUIRED_CLAIMS_DOCUMENTED.label.tag).toBe("DOC");
    expect(centric.REQUIRED_CLAIMS_EXTENDED.label.tag).toBe("SIM");
    // The refusal of an unknown enum value is inferred; the 204 cancel is code-sourced (§3.6).
    expect(centric.UNKNOWN_FILTER_CHOICE.label.tag).toBe("INF");
    expect(centricCases.CANCEL_STATUS.label).toMatchObject({ tag: "CODE", section: "3.6" });
  });
});

describe("docs/simulator-assumptions.md", () => {
  it("is up to date with the labels (regenerate: npx tsx scripts/simulator-assumptions.ts)", () => {
    expect(readFileSync(ASSUMPTIONS_DOC, "utf8")).toBe(simulatorAssumptionsText());
  });

  it("lists every assumption with its tag and section", () => {
    const text = simulatorAssumptionsText();
    for (const module of ASSUMPTION_MODULES) {
      for (const [name, { label }] of assumptionsOf(module.exports)) {
        expect(text).toContain(`**\`${name}\`**: [${label.tag}] ${label.ref} §${label.section}.`);
      }
    }
  });
});
