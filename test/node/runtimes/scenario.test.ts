import { describe, inject, it } from "vitest";
import { scenario } from "../../runtimes/scenario.ts";

describe("runtime scenario under Node", () => {
  for (const check of scenario) {
    it(`node: ${check.name}`, () => check.run(inject("runtimeSimulator")));
  }
});
