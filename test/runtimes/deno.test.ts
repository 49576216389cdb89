// The runtime scenario under Deno (`deno test`), against the simulator URL the test runner passes.
import { type ScenarioContext, scenario } from "./scenario.ts";

const context: ScenarioContext = {
  baseUrl: Deno.env.get("CERTN_SIM_URL") ?? "",
  clientId: Deno.env.get("CERTN_SIM_CLIENT_ID") ?? "",
  clientSecret: Deno.env.get("CERTN_SIM_CLIENT_SECRET") ?? "",
};

for (const check of scenario) {
  Deno.test(`deno: ${check.name}`, () => check.run(context));
}
