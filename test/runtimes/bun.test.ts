// The runtime scenario under Bun (`bun test`), against the simulator URL the test runner passes.
import { test } from "bun:test";
import { type ScenarioContext, scenario } from "./scenario.ts";

const context: ScenarioContext = {
  baseUrl: process.env.CERTN_SIM_URL ?? "",
  clientId: process.env.CERTN_SIM_CLIENT_ID ?? "",
  clientSecret: process.env.CERTN_SIM_CLIENT_SECRET ?? "",
};

for (const check of scenario) {
  test(`bun: ${check.name}`, () => check.run(context), 30_000);
}
