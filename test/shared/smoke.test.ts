import { describe, expect, it } from "vitest";

describe("runtime", () => {
  it("has the web standards the library relies on", () => {
    expect(typeof fetch).toBe("function");
    expect(typeof crypto.subtle.sign).toBe("function");
    expect(btoa("a:b")).toBe("YTpi");
  });
});
