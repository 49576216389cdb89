/**
 * The production entry (`main` in wrangler.toml): the Worker app reaching Certn with the
 * platform's `fetch` and the `CERTN_*` secrets. It never imports the simulator.
 */
import { createWorkerApp } from "./app.ts";
import type { Env } from "./env.ts";

const app = createWorkerApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
