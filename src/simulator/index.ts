/**
 * certn-edge/simulator: a faithful, in-memory stand-in for the Certn partner API (and, beside it,
 * CertnCentric), built from certn-api.md. `sim.fetch` has the standard fetch shape, so it can be
 * handed to a client as its `fetch`; nothing touches the network.
 * @packageDocumentation
 */
import { hmacSha256Hex } from "../core/hmac.ts";
import { createSimulatorApp } from "./app.ts";
import { CENTRIC_WEBHOOK_RETRIES } from "./assumptions/centric-cases.ts";
import { RETRYABLE_STATUSES, WEBHOOK_RETRIES } from "./assumptions/partner-webhooks.ts";
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
import { eventPayload, nextCentricEventAt, syncCentricEvents } from "./routes/centric/events.ts";
import { centricRoutes } from "./routes/centric/index.ts";
import { partnerRoutes } from "./routes/partner/index.ts";
import { dueApplicantEvents, nextApplicantEventAt } from "./routes/partner/webhook-events.ts";
import type { SimRuntime } from "./runtime.ts";
import { seedState } from "./state.ts";
import {
  certnSignature,
  createDeliveryQueue,
  type DeliveryQueue,
  type PendingDelivery,
  type WebhookAttempt,
} from "./webhooks.ts";

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

/** How long a receiver has to answer a delivery or the endpoint challenge: Certn's 10 s. */
const RECEIVER_TIMEOUT_MS = 10_000;

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
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  /**
   * The bare Hono app (no request counting, no faults), e.g. to mount elsewhere. Typed by its
   * `fetch` alone, so these declarations need neither hono (bundled, not installed) nor the DOM
   * library (`RequestInfo`).
   */
  readonly app: { fetch(request: Request): Response | Promise<Response> };
  /** Simulated time; advancing it delivers the webhooks of the changes it passes (`autoDeliver`). */
  readonly clock: SimClock;
  /** Requests received so far by route (`"GET /api/v1/teams/:id/"`; unknown paths by their path). */
  readonly requests: Readonly<Record<string, number>>;
  /** `POST /token/` requests received so far, whatever their outcome. */
  readonly tokenRequests: number;
  /** 429 responses its rate limits gave so far (injected faults not included). */
  readonly throttled: number;
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
  /**
   * Simulated time of the next change a webhook will announce by itself (`autoDeliver`), if
   * any: what the Node server arms its timer with.
   */
  nextWebhookAt(): number | undefined;
  /** Every webhook delivery attempt so far. */
  readonly webhookAttempts: readonly WebhookAttempt[];
  /** The id of the seeded owner user (what goes into `owner_id`). */
  readonly ownerId: string;
  /** The owner user's gen A login (HTTP Basic on `/api/v1/authenticate/` and `/api/v2/login/`). */
  readonly sessionLogin: { username: string; password: string };
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
  let throttled = 0;

  const webhook = resolved.webhook;
  // Served or in real time, a receiver compares `t` with its own clock (certn-api.md §6.1).
  const wallClockSignatures =
    (webhook?.signatureTime ?? (resolved.realTime ? "wall" : "simulated")) === "wall";
  const partnerHooks: DeliveryQueue | undefined = webhook
    ? createDeliveryQueue({
        url: webhook.url,
        fetch: webhook.fetch ?? ((request) => fetch(request)),
        retryDelaysMs: webhook.retryDelaysMs ?? zeros(WEBHOOK_RETRIES.value),
        timeoutMs: webhook.timeoutMs ?? RECEIVER_TIMEOUT_MS,
        // certn-api.md §6.1 [DOC]: retried on 408, 500, 502, 503, 504; any other status >= 400 stops.
        retryable: (status) => RETRYABLE_STATUSES.value.includes(status),
        now: () => clock.now(),
        // Each attempt is signed when it is made (wall clock), or at the simulated instant its
        // change was queued, so a slow receiver and a later advance() do not move `t`.
        headers: async (body, queuedAt) => ({
          "certn-signature": await certnSignature(
            webhook.secret,
            body,
            wallClockSignatures ? Date.now() : queuedAt,
          ),
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
      // "must succeed within 10 seconds" (§5.4): the answer's body too, under the same signal.
      const signal = AbortSignal.timeout(centricHook.timeoutMs ?? RECEIVER_TIMEOUT_MS);
      const response = await centricFetch(new Request(url, { method: "GET", signal }));
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
        retryDelaysMs: centricHook.retryDelaysMs ?? zeros(CENTRIC_WEBHOOK_RETRIES.value),
        timeoutMs: centricHook.timeoutMs ?? RECEIVER_TIMEOUT_MS,
        // §5.6: non-2xx answers are retried ([CODE]); the schedule is configurable.
        retryable: () => true,
        now: () => clock.now(),
        gate: async () =>
          centricState === "unverified" ? verifyCentricWebhook() : centricState === "verified",
        headers: async (body) => {
          const hex = await hmacSha256Hex(centricHook.secret, body);
          const signature = centricHook.signatureEncoding === "base64" ? hexToBase64(hex) : hex;
          return { "x-signature": signature };
        },
      })
    : undefined;
  /** The CertnCentric log entries that happened by now and were not queued yet. */
  const dueCentric = (): PendingDelivery[] => {
    const centric = rt.state.centric;
    syncCentricEvents(rt, clock.now());
    const fresh = centric.eventLog.slice(centric.eventsQueued);
    centric.eventsQueued = centric.eventLog.length;
    return fresh.map((e) => ({ objectId: e.caseId, body: JSON.stringify(eventPayload(e)) }));
  };
  const partnerAuto = webhook !== undefined && webhook.autoDeliver !== false;
  const centricAuto = centricHook !== undefined && centricHook.autoDeliver !== false;
  /** Queues every change due by now; `auto` limits it to the webhooks that deliver by themselves. */
  const collectWebhooks = (auto: boolean): void => {
    if (!auto || partnerAuto) partnerHooks?.enqueue(dueApplicantEvents(rt, clock.now()));
    if (!auto || centricAuto) centricHooks?.enqueue(dueCentric());
  };
  // Library mode has no timers: a change is delivered when a request causes it or when the
  // simulated clock is advanced past it (design.md: computed from simulated time).
  const publicClock: SimClock = {
    now: () => clock.now(),
    advance: (ms) => {
      clock.advance(ms);
      collectWebhooks(true);
    },
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
    if (response.status === 429) throttled += 1;
    collectWebhooks(true);
    // On a simulated clock, what a request changes is delivered before it is answered, so a
    // receiver sees the change at the simulated time it happened (deterministic). Not from a
    // receiver's own call (it would wait for itself), and not in real time (the timers deliver).
    if (!resolved.realTime && !partnerHooks?.delivering && !centricHooks?.delivering) {
      await partnerHooks?.drain();
      await centricHooks?.drain();
    }
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
    clock: publicClock,
    get requests() {
      return { ...requests };
    },
    get tokenRequests() {
      return requests["POST /token/"] ?? 0;
    },
    get throttled() {
      return throttled;
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
      throttled = 0;
      faults.clear();
      rt.partnerLimiter.reset();
      rt.centricLimiter.reset();
      partnerHooks?.reset();
      centricHooks?.reset();
      centricState = "unverified";
      challenges.length = 0;
    },
    flushWebhooks: async () => {
      collectWebhooks(false);
      await partnerHooks?.drain();
      await centricHooks?.drain();
    },
    nextWebhookAt: () => {
      const times = [
        partnerAuto ? nextApplicantEventAt(rt) : undefined,
        centricAuto ? nextCentricEventAt(rt) : undefined,
      ].filter((t): t is number => t !== undefined);
      return times.length === 0 ? undefined : Math.min(...times);
    },
    get webhookAttempts() {
      return partnerHooks?.attempts ?? [];
    },
    get ownerId() {
      return rt.state.ownerId;
    },
    get sessionLogin() {
      const owner = rt.state.users.get(rt.state.ownerId);
      return { username: owner?.email ?? "", password: resolved.userPassword };
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

function zeros(count: number): number[] {
  return Array.from({ length: count }, () => 0);
}

function hexToBase64(hex: string): string {
  const bytes = hex.match(/../g)?.map((h) => String.fromCharCode(Number.parseInt(h, 16))) ?? [];
  return btoa(bytes.join(""));
}
