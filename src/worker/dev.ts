/**
 * The development entry (`npm start`, wrangler.dev.toml): the same app as production, with the
 * embedded Certn simulator as its Certn `fetch` and the simulator's demo credentials. No network
 * and no real credentials; the production bundle (src/worker/index.ts) never imports this file.
 */
import type { WorkflowEvent, WorkflowStep } from "cloudflare:workers";
import type { Collection } from "../collection/model.ts";
import { isCentricCollection } from "../runner/index.ts";
import { type CertnSimulator, createCertnSimulator } from "../simulator/index.ts";
import { createWorkerApp, resolveRouteDeps } from "./app.ts";
import { CollectionRunBase } from "./collection-run.ts";
import type { CertnCredentials } from "./config.ts";
import { consoleLoginRoutes } from "./console/login.ts";
import type { DurableRunDeps } from "./durable-run.ts";
import type { DurableRunParams, Env } from "./env.ts";
import type { RouteDeps } from "./routes/context.ts";
import { runScheduled } from "./scheduled.ts";

/** Alerts may go to 127.0.0.1 when the bindings say so (never in the production entry). */
const loopbackAlertsAllowed = (env: Env): boolean => env.RUNNER_ALERTS_ALLOW_LOOPBACK === "true";

/** One rate budget per credential (binding `RATE_LIMITER`), as in production. */
export { CertnRateLimiter } from "./rate-limiter-object.ts";

/** Everything the development entry shares between requests and durable runs of one isolate. */
interface DevRuntime {
  app: ReturnType<typeof createWorkerApp>;
  /** What the Cron Trigger starts monitors with: the app's own dependencies. */
  deps: RouteDeps;
  simulator: CertnSimulator;
  certnFetch: typeof fetch;
  credentials: (collection: Collection) => CertnCredentials;
  /** The bindings with the development settings (webhook secrets, budget) added. */
  env(env: Env): Env;
}

let runtime: DevRuntime | undefined;
let lastEnv: Env | undefined;

/**
 * The isolate's simulator and app, made on first use (Workers allow random values only inside a
 * request or a run, and the webhook secrets are random). The Workflow runs in this same isolate
 * (it is an entrypoint of this Worker), so durable runs and requests share the one simulator.
 * The simulator delivers its webhooks to this app's own `/webhooks/...` routes, in-process.
 */
function devRuntime(env: Env): DevRuntime {
  lastEnv = env;
  if (runtime !== undefined) return runtime;
  const secret = (): string => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    return btoa(String.fromCharCode(...bytes));
  };
  // Random per isolate and never printed: only the simulator and the receivers know them.
  const partnerSecret = secret();
  const centricSecret = secret();
  const withSettings = (base: Env): Env => ({
    ...base,
    RUNNER_SUBREQUEST_BUDGET: base.RUNNER_SUBREQUEST_BUDGET ?? DEV_SUBREQUEST_BUDGET,
    CERTN_WEBHOOK_SECRET: partnerSecret,
    CERTN_CENTRIC_WEBHOOK_SECRET: centricSecret,
  });
  const deliver = (request: Request): Promise<Response> =>
    Promise.resolve(made.app.fetch(request, withSettings(lastEnv ?? env)));
  // Simulated time follows the wall clock, for humans. A random seed per isolate: the local D1
  // database outlives a restart, and a fixed seed would give the same case ids again, so a wait
  // would match a webhook event stored by an earlier session.
  const simulator = createCertnSimulator({
    realTime: true,
    seed: crypto.getRandomValues(new Uint32Array(1))[0] ?? 1,
    webhook: { url: "http://certn-edge.dev/webhooks/certn", secret: partnerSecret, fetch: deliver },
    centric: {
      webhook: { url: "http://certn-edge.dev/webhooks/certncentric", secret: centricSecret, fetch: deliver },
    },
  });
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
  const credentials = (collection: Collection): CertnCredentials =>
    isCentricCollection(collection) ? centric : partner;
  const options = { certnFetch: simulator.fetch, credentials, allowLoopbackAlerts: loopbackAlertsAllowed };
  const made: DevRuntime = {
    // The console's one-click sign-in (`npm start`'s `#login=` link) exists here only.
    app: createWorkerApp({ ...options, developmentRoutes: consoleLoginRoutes() }),
    deps: resolveRouteDeps(options),
    simulator,
    certnFetch: simulator.fetch,
    credentials,
    env: withSettings,
  };
  runtime = made;
  return made;
}

/**
 * The budget when `RUNNER_SUBREQUEST_BUDGET` is not set. The simulator is called in-process, so
 * its requests are no platform subrequests at all; the worst case of the bundled quick-screen
 * collections (polling with retries) is well over the production default of 45.
 */
const DEV_SUBREQUEST_BUDGET = "1000";

/** Longest pause between two looks for due simulator webhooks while a durable run is going. */
const WEBHOOK_LOOK_MS = 1_000;

/**
 * Delivers the simulator's webhooks when their changes happen, until the returned function is
 * called. In real time the library simulator announces a change only when a request reaches it
 * (the Node server arms a timer for that: src/simulator/node.ts); without this, a durable run
 * waiting on `wakeOn` would hear of a change only at its next poll. A Workers timer belongs to
 * the invocation that set it, so each durable run ticks for itself while its invocation lasts.
 */
function deliverWebhooksOnTime(simulator: CertnSimulator): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const arm = (): void => {
    const next = simulator.nextWebhookAt();
    const due = next === undefined ? WEBHOOK_LOOK_MS : next - simulator.clock.now();
    timer = setTimeout(
      () => {
        if (stopped) return;
        // In real time, advancing by 0 queues every change due by now for delivery.
        simulator.clock.advance(0);
        arm();
      },
      Math.min(Math.max(due, 10), WEBHOOK_LOOK_MS),
    );
  };
  arm();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** Durable runs of the development entry, against the isolate's simulator. */
export class CollectionRun extends CollectionRunBase {
  protected override deps(): DurableRunDeps {
    const dev = devRuntime(this.env);
    return {
      certnFetch: dev.certnFetch,
      credentials: dev.credentials,
      allowLoopbackAlerts: loopbackAlertsAllowed(this.env),
    };
  }

  /** The receivers' bindings: their random webhook secrets included. */
  protected override runEnv(): Env {
    return devRuntime(this.env).env(this.env);
  }

  override async run(event: Readonly<WorkflowEvent<DurableRunParams>>, step: WorkflowStep): Promise<unknown> {
    const stop = deliverWebhooksOnTime(devRuntime(this.env).simulator);
    try {
      return await super.run(event, step);
    } finally {
      stop();
    }
  }
}

export default {
  fetch: async (request, env, ctx) => {
    const dev = devRuntime(env);
    const response = await dev.app.fetch(request, dev.env(env), ctx);
    // Deliveries this request caused finish within it: a promise of an ended request never settles
    // in workerd, and the simulator delivers one webhook at a time.
    ctx.waitUntil(dev.simulator.flushWebhooks());
    return response;
  },
  scheduled: async (controller, env) => {
    const dev = devRuntime(env);
    await runScheduled(dev.env(env), controller.scheduledTime, dev.deps);
  },
} satisfies ExportedHandler<Env>;
