/**
 * certn-edge/simulator: a faithful, in-memory stand-in for the Certn partner API (and, beside it,
 * CertnCentric), built from certn-api.md. `sim.fetch` has the standard fetch shape, so it can be
 * handed to a client as its `fetch`; nothing touches the network.
 * @packageDocumentation
 */
import type { Hono } from "hono";
import { createSimulatorApp } from "./app.ts";
import { createClock, type SimClock } from "./clock.ts";
import {
  abortableDelay,
  createFaultQueue,
  type Fault,
  type FaultInjection,
  type FaultMatcher,
  faultResponse,
  hangUntilAborted,
  SimulatedDrop,
} from "./faults.ts";
import { type CertnSimulatorOptions, resolveOptions } from "./options.ts";
import { createRateLimiter } from "./rate-limit.ts";
import { createRandom } from "./rng.ts";
import { createRouteMatcher } from "./route-table.ts";
import { partnerRoutes } from "./routes/partner/index.ts";
import { dueApplicantEvents } from "./routes/partner/webhook-events.ts";
import type { SimRuntime } from "./runtime.ts";
import { seedState } from "./state.ts";
import { certnSignature, createDeliveryQueue, type DeliveryQueue, type WebhookAttempt } from "./webhooks.ts";

export type { SimClock } from "./clock.ts";
export type { Fault, FaultInjection, FaultMatcher } from "./faults.ts";
export { SimulatedDrop } from "./faults.ts";
export type { ProgressTimings, Scenario } from "./lifecycle.ts";
export { SCENARIO_KEYWORDS } from "./lifecycle.ts";
export {
  type CertnSimulatorOptions,
  DEMO_API_KEY,
  DEMO_CLIENT_ID,
  DEMO_CLIENT_SECRET,
  type SimulatorApiKey,
  type SimulatorClient,
  type WebhookOptions,
} from "./options.ts";
export type { RateLimitOptions } from "./rate-limit.ts";
export type { WebhookAttempt } from "./webhooks.ts";

/** The credentials a simulator accepts (all of them simulated, safe to print). */
export interface SimulatorCredentials {
  clientId: string;
  clientSecret: string;
  apiKeys: readonly string[];
}

/** A running simulator: a fetch function plus controls for tests. */
export interface CertnSimulator {
  /** Standard fetch shape; relative URLs resolve against `baseUrl`. Faults and counts apply here. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The bare Hono app (no request counting, no faults), e.g. to mount elsewhere. */
  readonly app: Hono;
  /** Simulated time. */
  readonly clock: SimClock;
  /** Requests received so far by route (`"GET /api/v1/teams/:id/"`; unknown paths by their path). */
  readonly requests: Readonly<Record<string, number>>;
  /** `POST /token/` requests received so far, whatever their outcome. */
  readonly tokenRequests: number;
  /** Access tokens that are currently valid. */
  liveTokens(): string[];
  /** Makes matching requests fail, in order: one fault per request. */
  inject(matcher: FaultMatcher, faults: readonly Fault[]): FaultInjection;
  /** Forgets every issued token (they get 401 from now on). */
  revokeTokens(): void;
  /** Makes every issued token expired as of now. */
  expireTokens(): void;
  /** Back to the seeded initial state: data, tokens, counts, faults, rate windows, webhooks, clock. */
  reset(): void;
  /** Delivers every status change due by now (with retries) and resolves when done. */
  flushWebhooks(): Promise<void>;
  /** Every webhook delivery attempt so far. */
  readonly webhookAttempts: readonly WebhookAttempt[];
  /** The id of the seeded owner user (what goes into `owner_id`). */
  readonly ownerId: string;
  /** The first client's credentials and every API key. */
  readonly credentials: SimulatorCredentials;
}

/** Creates an in-memory Certn simulator. Same options and seed, same ids, tokens and outcomes. */
export function createCertnSimulator(options: CertnSimulatorOptions = {}): CertnSimulator {
  const resolved = resolveOptions(options);
  const clock = createClock({ startMs: resolved.startMs, realTime: resolved.realTime });
  const rt: SimRuntime = {
    options: resolved,
    clock,
    rng: createRandom(resolved.seed),
    state: seedState(createRandom(resolved.seed), clock.now()),
    partnerLimiter: createRateLimiter(resolved.rateLimit),
  };
  const fresh = (): void => {
    clock.reset();
    rt.rng = createRandom(resolved.seed);
    rt.state = seedState(rt.rng, clock.now());
  };
  fresh();
  const routes = [...partnerRoutes];
  const matcher = createRouteMatcher(routes);
  const app = createSimulatorApp(rt, routes, matcher);
  const faults = createFaultQueue();
  let requests: Record<string, number> = {};

  const webhook = resolved.webhook;
  const partnerHooks: DeliveryQueue | undefined = webhook
    ? createDeliveryQueue({
        url: webhook.url,
        fetch: webhook.fetch ?? ((request) => fetch(request)),
        retryDelaysMs: webhook.retryDelaysMs ?? [0, 0, 0],
        // certn-api.md §6.1 [DOC]: retried on 408, 500, 502, 503, 504; any other status >= 400 stops.
        retryable: (status) => [408, 500, 502, 503, 504].includes(status),
        headers: async (body) => ({
          "certn-signature": await certnSignature(webhook.secret, body, clock.now()),
          "certn-team-id": webhook.teamId ?? rt.state.ownerTeamId,
        }),
      })
    : undefined;
  const collectWebhooks = (): void => {
    partnerHooks?.enqueue(dueApplicantEvents(rt, clock.now()));
  };

  async function simFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const target =
      typeof input === "string" || input instanceof URL ? new URL(input, resolved.baseUrl) : input;
    // A Request without init is used as is (the Node adapter's lightweight requests stay intact).
    const request = target instanceof Request && init === undefined ? target : new Request(target, init);
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const pattern = matcher.pattern(url.pathname);
    const route = pattern === undefined ? undefined : `${method} ${pattern}`;
    const key = route ?? `${method} ${url.pathname}`;
    requests[key] = (requests[key] ?? 0) + 1;
    const fault = faults.take(request, route, url.pathname);
    if (fault !== undefined) {
      if (fault.delayMs !== undefined && fault.delayMs > 0)
        await abortableDelay(fault.delayMs, request.signal);
      if ("hang" in fault) return hangUntilAborted(request.signal);
      if ("drop" in fault) throw new SimulatedDrop();
      if ("status" in fault) return withCors(request, faultResponse(fault));
    }
    const response = await app.fetch(request);
    if (webhook?.autoDeliver !== false) collectWebhooks();
    return response;
  }

  function withCors(request: Request, response: Response): Response {
    const origin = request.headers.get("origin");
    if (origin !== null && resolved.corsOrigins?.includes(origin)) {
      response.headers.set("access-control-allow-origin", origin);
      response.headers.set("vary", "Origin");
    }
    return response;
  }

  const liveTokens = (): string[] =>
    [...rt.state.tokens.values()].filter((t) => t.expiresAt > clock.now()).map((t) => t.token);

  return {
    fetch: simFetch,
    app,
    clock,
    get requests() {
      return { ...requests };
    },
    get tokenRequests() {
      return requests["POST /token/"] ?? 0;
    },
    liveTokens,
    inject: (matcherArg, list) => faults.inject(matcherArg, list),
    revokeTokens: () => rt.state.tokens.clear(),
    expireTokens: () => {
      for (const token of rt.state.tokens.values()) token.expiresAt = Math.min(token.expiresAt, clock.now());
    },
    reset: () => {
      fresh();
      requests = {};
      faults.clear();
      rt.partnerLimiter.reset();
      partnerHooks?.reset();
    },
    flushWebhooks: async () => {
      collectWebhooks();
      await partnerHooks?.drain();
    },
    get webhookAttempts() {
      return partnerHooks?.attempts ?? [];
    },
    get ownerId() {
      return rt.state.ownerId;
    },
    get credentials() {
      const client = resolved.clients[0];
      return {
        clientId: client?.clientId ?? "",
        clientSecret: client?.clientSecret ?? "",
        apiKeys: resolved.apiKeys.map((k) => k.key),
      };
    },
  };
}
