import { describe, inject, it } from "vitest";
import { scenario } from "../../runtimes/scenario.ts";

describe("runtime scenario inside workerd", () => {
  for (const check of scenario) {
    it(`workerd: ${check.name}`, () => check.run(inject("runtimeSimulator")));
  }
});
