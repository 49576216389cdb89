/**
 * Vitest global setup: serves a fast, real-time simulator on 127.0.0.1 for the runtime scenario
 * and hands its address to the tests (inside workerd too) through `provide`/`inject`.
 */
import type { TestProject } from "vitest/node";
import { serveCertnSimulator } from "../../src/simulator/node.ts";

export default async function setup(project: TestProject) {
  const server = await serveCertnSimulator({
    port: 0,
    realTime: true,
    rateLimit: false,
    progress: { analysisMs: 500, submitMs: 500 },
  });
  const { clientId, clientSecret } = server.simulator.credentials;
  project.provide("runtimeSimulator", { baseUrl: server.url, clientId, clientSecret });
  return () => server.close();
}
