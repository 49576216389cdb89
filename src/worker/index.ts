/**
 * The production entry (`main` in wrangler.toml): the Worker app reaching Certn with the
 * platform's `fetch` and the `CERTN_*` secrets. It never imports the simulator.
 */
import { createWorkerApp } from "./app.ts";
import { CollectionRunBase } from "./collection-run.ts";
import type { Env } from "./env.ts";

/** One rate budget per Certn credential (binding `RATE_LIMITER`). */
export { CertnRateLimiter } from "./rate-limiter-object.ts";

/** Durable runs (binding `RUNS`): Certn reached with the platform's fetch and the CERTN_* secrets. */
export class CollectionRun extends CollectionRunBase {}

const app = createWorkerApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
