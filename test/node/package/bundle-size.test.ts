/**
 * Size can only shrink, or be raised on purpose: the budget file is set just above the measured
 * figures (README, "Bundle size"), and this test fails when a change grows past it.
 */
import { describe, expect, it } from "vitest";
import budget from "../../../bundle-size-budget.json" with { type: "json" };
import { type BundleEntry, bundle, ENTRIES, measure } from "../../../scripts/bundle-size.mjs";

describe("bundle size", () => {
  for (const [name, entry] of Object.entries(ENTRIES) as [keyof typeof budget, BundleEntry][]) {
    it(`${String(name)} stays within its gzipped budget of ${budget[name]} bytes`, async () => {
      const size = await measure(entry);
      expect(size.minified).toBeGreaterThan(0);
      expect(size.gzipped).toBeLessThanOrEqual(budget[name]);
    });
  }

  it("lists the client's modules by the minified bytes each adds, largest first", async () => {
    const { minified, modules } = await bundle(ENTRIES.client ?? "");
    const sizes = Object.values(modules);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    // Each byte of output comes from at most one module; esbuild's glue is the rest.
    const total = sizes.reduce((sum, bytes) => sum + bytes, 0);
    expect(total).toBeLessThanOrEqual(minified);
    expect(total).toBeGreaterThan(minified * 0.9);
    expect(modules["src/client.ts"]).toBeGreaterThan(0);
    expect(modules["src/core/send.ts"]).toBeGreaterThan(0);
  });

  it("measures an entry with some source files emptied: they and only their own imports drop out", async () => {
    const whole = await bundle(ENTRIES.client ?? "");
    const emptied = ["src/resources/partner.ts", "src/resources/centric/index.ts"];
    const without = await bundle(ENTRIES.client ?? "", emptied);
    // Emptied files still appear (as a one-line stub); what only they imported is gone.
    for (const path of emptied) expect(without.modules[path] ?? 0).toBeLessThan(40);
    expect(whole.modules["src/resources/centric/cases.ts"]).toBeGreaterThan(0);
    expect(without.modules["src/resources/centric/cases.ts"]).toBeUndefined();
    expect(without.modules["src/resources/applications.ts"]).toBeUndefined();
    // The transport stays (its size moves by a few bytes: the minifier renames differently).
    const send = whole.modules["src/core/send.ts"] ?? 0;
    expect(without.modules["src/core/send.ts"]).toBeGreaterThan(send * 0.98);
    expect(without.gzipped).toBeLessThan(whole.gzipped);
    expect(without.minified).toBeLessThan(whole.minified);
  });

  it("refuses to empty a file the entry does not bundle, naming it", async () => {
    await expect(bundle(ENTRIES.client ?? "", ["src/resources/partner.ts", "src/nope.ts"])).rejects.toThrow(
      /not part of this bundle: src\/nope\.ts/,
    );
  });
});
