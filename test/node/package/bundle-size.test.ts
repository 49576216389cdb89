/**
 * Size can only shrink, or be raised on purpose: the budget file is set just above the measured
 * figures (README, "Bundle size"), and this test fails when a change grows past it.
 */
import { describe, expect, it } from "vitest";
import budget from "../../../bundle-size-budget.json" with { type: "json" };
import { ENTRIES, measure } from "../../../scripts/bundle-size.mjs";

describe("bundle size", () => {
  for (const [name, contents] of Object.entries(ENTRIES) as [keyof typeof budget, string][]) {
    it(`${String(name)} stays within its gzipped budget of ${budget[name]} bytes`, async () => {
      const size = await measure(contents);
      expect(size.minified).toBeGreaterThan(0);
      expect(size.gzipped).toBeLessThanOrEqual(budget[name]);
    });
  }
});
