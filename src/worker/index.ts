/**
 * The production entry (`main` in wrangler.toml): the Worker app reaching Certn with the
 * platform's `fetch` and the `CERTN_*` secrets, and the Cron Trigger that starts due monitors
 * and sweeps expired rows.
 * It never imports the simulator, and never accepts alert URLs on loopback.
 */
import { createWorkerApp, resolveRouteDeps } from "./app.ts";
import { CollectionRunBase } from "./collection-run.ts";
import type { Env } from "./env.ts";
import { runScheduled } from "./scheduled.ts";

/** One rate budget per Certn credential (binding `RATE_LIMITER`). */
export { CertnRateLimiter } from "./rate-limiter-object.ts";

/** Durable runs (binding `RUNS`): Certn reached with the platform's fetch and the CERTN_* secrets. */
export class CollectionRun extends CollectionRunBase {}

const app = createWorkerApp();
const deps = resolveRouteDeps();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  scheduled: async (controller, env) => {
    await runScheduled(env, controller.scheduledTime, deps);
  },
} satisfies ExportedHandler<Env>;
