/**
 * The main module of the durable tests: the Worker's `CollectionRun` Workflow and its Cron
 * Trigger handler, reaching Certn through whatever the running test set with
 * {@link useDurableDeps} (a simulator of its own).
 * Workflows run in the tests' isolate, so the module state is shared with the tests.
 */
import { resolveRouteDeps } from "../../src/worker/app.ts";
import { CollectionRunBase } from "../../src/worker/collection-run.ts";
import type { DurableRunDeps } from "../../src/worker/durable-run.ts";
import type { Env } from "../../src/worker/env.ts";
import { runScheduled } from "../../src/worker/scheduled.ts";

/** The rate budget per credential (binding `RATE_LIMITER`), as the entries export it. */
export { CertnRateLimiter } from "../../src/worker/rate-limiter-object.ts";

let current: DurableRunDeps = {};

/** Makes durable runs started from now on reach Certn through `deps`. */
export function useDurableDeps(deps: DurableRunDeps): void {
  current = deps;
}

/** The Workflow class the RUNS binding names. */
export class CollectionRun extends CollectionRunBase {
  protected override deps(): DurableRunDeps {
    return current;
  }
}

export default {
  fetch: () => new Response("the durable tests call the app directly", { status: 404 }),
  // As the entries do: the monitors due at the controller's time start, with the test's Certn, and
  // expired rows are swept.
  scheduled: async (controller, env) => {
    const deps = resolveRouteDeps({
      ...(current.certnFetch === undefined ? {} : { certnFetch: current.certnFetch }),
      ...(current.credentials === undefined ? {} : { credentials: current.credentials }),
      ...(current.tokenStore === undefined ? {} : { tokenStore: current.tokenStore }),
      allowLoopbackAlerts: current.allowLoopbackAlerts === true,
    });
    await runScheduled(env, controller.scheduledTime, deps);
  },
} satisfies ExportedHandler<Env>;
