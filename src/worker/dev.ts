/**
 * The development entry (`npm start`, wrangler.dev.toml): the same app as production, with the
 * embedded Certn simulator as its Certn `fetch` and the simulator's demo credentials. No network
 * and no real credentials; the production bundle (src/worker/index.ts) never imports this file.
 */
import { isCentricCollection } from "../runner/index.ts";
import { createCertnSimulator } from "../simulator/index.ts";
import { createWorkerApp } from "./app.ts";
import type { CertnCredentials } from "./config.ts";
import type { Env } from "./env.ts";

// One simulator per isolate: its state is plain data computed from simulated time, so keeping it
// between requests shares no in-flight work. Simulated time follows the wall clock, for humans.
const simulator = createCertnSimulator({ realTime: true });

const partner: CertnCredentials = {
  kind: "client-credentials",
  clientId: simulator.credentials.clientId,
  clientSecret: simulator.credentials.clientSecret,
};
// The simulator serves CertnCentric beside the partner API: its collections get its API key.
const centric: CertnCredentials = {
  kind: "api-key",
  apiKey: simulator.centric.apiKeys[0] ?? "",
  apiKeyScheme: "Api-Key",
};

const app = createWorkerApp({
  certnFetch: simulator.fetch,
  credentials: (collection) => (isCentricCollection(collection) ? centric : partner),
});

/**
 * The budget when `RUNNER_SUBREQUEST_BUDGET` is not set. The simulator is called in-process, so
 * its requests are no platform subrequests at all; the worst case of the bundled quick-screen
 * collections (polling with retries) is well over the production default of 45.
 */
const DEV_SUBREQUEST_BUDGET = "1000";

export default {
  fetch: (request, env, ctx) =>
    app.fetch(
      request,
      { ...env, RUNNER_SUBREQUEST_BUDGET: env.RUNNER_SUBREQUEST_BUDGET ?? DEV_SUBREQUEST_BUDGET },
      ctx,
    ),
} satisfies ExportedHandler<Env>;
