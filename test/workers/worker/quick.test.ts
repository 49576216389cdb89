import { describe, expect, it } from "vitest";
import { createHarness } from "./harness.ts";

describe("quick", () => {
  it("runs the smoke collection", async () => {
    const h = createHarness();
    const res = await h.call("/collections/certn-smoke/runs", { method: "POST", json: {} });
    const text = await res.text();
    console.log(res.status, text.slice(0, 3000));
    expect(res.status).toBe(200);
  });
});
