/** A CertnCentric client over the simulator: in-process (`sim.fetch`) or over HTTP. */
import { createCertnClient } from "../../../src/client.ts";
import { createCentricResources } from "../../../src/resources/centric/index.ts";
import { type CertnSimulatorOptions, createCertnSimulator } from "../../../src/simulator/index.ts";

/** Options that keep tests quick: no rate limit surprises, no retries hiding failures. */
export const SIM_OPTIONS: CertnSimulatorOptions = { centric: { rateLimit: false } };

/** A simulator, a client holding its demo `Api-Key`, and `client.centric`'s resources. */
export function centricOnSimulator(options: CertnSimulatorOptions = SIM_OPTIONS) {
  const sim = createCertnSimulator(options);
  const apiKey = sim.centric.apiKeys[0];
  if (apiKey === undefined) throw new Error("the simulator has no CertnCentric key");
  const client = createCertnClient({
    apiKey,
    apiKeyScheme: "Api-Key",
    fetch: sim.fetch,
    retry: { retries: 0 },
  });
  return { sim, apiKey, client, centric: createCentricResources(client) };
}

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
