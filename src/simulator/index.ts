/**
 * certn-edge/simulator: a faithful, in-memory stand-in for the Certn partner API (and, beside it,
 * CertnCentric), built from certn-api.md. `sim.fetch` has the standard fetch shape, so it can be
 * handed to a client as its `fetch`; nothing touches the network.
 * @packageDocumentation
 */
import type { Hono } from "hono";
import { hmacSha256Hex } from "../core/hmac.ts";
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
import { centricRoutes } from "./routes/centric/index.ts";
import { dueCentricEvents } from "./routes/centric/webhook-events.ts";
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
  type CentricOptions,
  type CentricWebhookOptions,
  type CertnSimulatorOptions,
  DEMO_API_KEY,
  DEMO_CENTRIC_API_KEY,
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

/** State of the CertnCentric webhook endpoint (its GET challenge runs before the first delivery). */
export type CentricWebhookState = "unverified" | "verified" | "disabled";

/** Test controls of the CertnCentric surface. */
export interface CentricControls {
  /** Accepted `Api-Key` values. */
  readonly apiKeys: readonly string[];
  /** Runs the `GET <url>?challenge=...` handshake now (it also runs before the first delivery). */
  verifyWebhook(): Promise<boolean>;
  readonly webhookState: CentricWebhookState;
  /** Every CertnCentric delivery attempt (challenge requests are not included). */
  readonly webhookAttempts: readonly WebhookAttempt[];
  /** Every challenge attempt: the value sent and whether the answer matched. */
  readonly challenges: readonly { challenge: string; ok: boolean; status?: number }[];
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
  /** The CertnCentric surface's controls. */
  readonly centric: CentricControls;
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
    centricLimiter: createRateLimiter(resolved.centric.rateLimit),
  };
  const fresh = (): void => {
    clock.reset();
    rt.rng = createRandom(resolved.seed);
    rt.state = seedState(rt.rng, clock.now());
  };
  fresh();
  const routes = [...partnerRoutes, ...centricRoutes];
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
  const centricHook = resolved.centric.webhook;
  let centricState: CentricWebhookState = "unverified";
  const challenges: { challenge: string; ok: boolean; status?: number }[] = [];
  const centricFetch = centricHook?.fetch ?? ((request: Request) => fetch(request));
  // certncentric-api.md §5.4: GET <url>?challenge=<value> must echo the value, or delivery is disabled.
  const verifyCentricWebhook = async (): Promise<boolean> => {
    if (centricHook === undefined) return false;
    const challenge = rt.rng.string(32, "abcdefghijklmnopqrstuvwxyz0123456789");
    const url = new URL(centricHook.url);
    url.searchParams.set("challenge", challenge);
    const record: { challenge: string; ok: boolean; status?: number } = { challenge, ok: false };
    challenges.push(record);
    try {
      const response = await centricFetch(new Request(url, { method: "GET" }));
      record.status = response.status;
      record.ok = response.status >= 200 && response.status < 300 && (await response.text()) === challenge;
    } catch {
      record.ok = false;
    }
    centricState = record.ok ? "verified" : "disabled";
    return record.ok;
  };
  const centricHooks: DeliveryQueue | undefined = centricHook
    ? createDeliveryQueue({
        url: centricHook.url,
        fetch: centricFetch,
        retryDelaysMs: centricHook.retryDelaysMs ?? [0, 0, 0],
        // §5.6: non-2xx answers are retried ([CODE]); the schedule is configurable.
        retryable: () => true,
        gate: async () =>
          centricState === "unverified" ? verifyCentricWebhook() : centricState === "verified",
        headers: async (body) => {
          const hex = await hmacSha256Hex(centricHook.secret, body);
          const signature = centricHook.signatureEncoding === "base64" ? hexToBase64(hex) : hex;
          return { "x-signature": signature };
        },
      })
    : undefined;
  const collectWebhooks = (): void => {
    partnerHooks?.enqueue(dueApplicantEvents(rt, clock.now()));
    centricHooks?.enqueue(dueCentricEvents(rt, clock.now()));
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
    if (webhook?.autoDeliver !== false) partnerHooks?.enqueue(dueApplicantEvents(rt, clock.now()));
    if (centricHook?.autoDeliver !== false) centricHooks?.enqueue(dueCentricEvents(rt, clock.now()));
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
      rt.centricLimiter.reset();
      partnerHooks?.reset();
      centricHooks?.reset();
      centricState = "unverified";
      challenges.length = 0;
    },
    flushWebhooks: async () => {
      collectWebhooks();
      await partnerHooks?.drain();
      await centricHooks?.drain();
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
    centric: {
      apiKeys: resolved.centric.apiKeys,
      verifyWebhook: verifyCentricWebhook,
      get webhookState() {
        return centricState;
      },
      get webhookAttempts() {
        return centricHooks?.attempts ?? [];
      },
      get challenges() {
        return challenges;
      },
    },
  };
}

function hexToBase64(hex: string): string {
  const bytes = hex.match(/../g)?.map((h) => String.fromCharCode(Number.parseInt(h, 16))) ?? [];
  return btoa(bytes.join(""));
}
