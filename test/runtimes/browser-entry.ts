// The runtime scenario in a browser page: runs every check and leaves the outcomes on
// `globalThis.__scenario` for the driver (Playwright) to read.
import { type ScenarioContext, scenario } from "./scenario.ts";

interface Outcome {
  name: string;
  passed: boolean;
  error?: string;
}

async function main(): Promise<Outcome[]> {
  const params = new URLSearchParams(location.search);
  const context: ScenarioContext = {
    baseUrl: params.get("sim") ?? "",
    clientId: params.get("id") ?? "",
    clientSecret: params.get("secret") ?? "",
  };
  const outcomes: Outcome[] = [];
  for (const check of scenario) {
    try {
      await check.run(context);
      outcomes.push({ name: `chromium: ${check.name}`, passed: true });
    } catch (error) {
      outcomes.push({ name: `chromium: ${check.name}`, passed: false, error: String(error) });
    }
  }
  return outcomes;
}

(globalThis as { __scenario?: Promise<Outcome[]> }).__scenario = main();
