/** The simulator's options, their defaults, and the normalised form the routes read. */
import { CENTRIC_RATE_LIMIT } from "./assumptions/centric.ts";
import { REPORT_READY_MS } from "./assumptions/centric-cases.ts";
import { APP_URL } from "./assumptions/partner-applications.ts";
import { TOKEN_EXPIRES_IN_S } from "./assumptions/partner-auth.ts";
import { DEFAULT_ALLOWED_FLAGS } from "./assumptions/partner-flags.ts";
import { PARTNER_RATE_LIMIT } from "./assumptions/partner-http.ts";
import { DEFAULT_TIMINGS, type ProgressTimings } from "./lifecycle.ts";
import type { RateLimitOptions } from "./rate-limit.ts";

/** The demo client accepted by default (`npm run simulator` prints it). */
export const DEMO_CLIENT_ID = "certn-demo-client";
/** The demo client's secret: public on purpose, the simulator guards nothing of value. */
export const DEMO_CLIENT_SECRET = "certn-demo-secret-please-change";
/** The demo static API key (40 hex characters, the DRF authtoken shape of certn-api.md §2.2). */
export const DEMO_API_KEY = "5e1f0c0ffee0ddba11ab1e5eed0000000000d3e0";
/** The demo CertnCentric key (`prefix.secret`, the djangorestframework-api-key shape of certncentric-api.md §2.2). */
export const DEMO_CENTRIC_API_KEY = "simdemo1.centricdemokeypleasechange000000";
/** The password of every seeded user for the gen A logins (`/api/v1/authenticate/`, `/api/v2/login/`). */
export const DEMO_USER_PASSWORD = "certn-demo-password-please-change";
/** Simulated time starts here unless `now` or `realTime` says otherwise. */
export const DEFAULT_START = "2026-11-28T10:00:00Z";

/** An OAuth client the token endpoint accepts. */
export interface SimulatorClient {
  clientId: string;
  clientSecret: string;
  /** Request flags this account may order (default: the simulator-wide allow-list). */
  allowedRequestFlags?: readonly string[];
}

/** A static API key accepted as `Authorization: Bearer <key>`. */
export interface SimulatorApiKey {
  key: string;
  allowedRequestFlags?: readonly string[];
}

/** Where and how status-change webhooks are delivered. */
export interface WebhookOptions {
  url: string;
  /** Signing secret of `Certn-Signature`. */
  secret: string;
  /** The fetch used to deliver (default: the global fetch). */
  fetch?: (input: Request) => Promise<Response>;
  /** `Certn-Team-ID` header value (default: the owner's team). */
  teamId?: string;
  /** Waits before the 2nd, 3rd and 4th attempt, in real ms (default 0, 0, 0). */
  retryDelaysMs?: readonly number[];
  /**
   * Deliver each change when it happens (default true): a change caused by a request before that
   * request is answered (on a simulated clock), a later one when `clock.advance()` passes it, and,
   * served by `serveCertnSimulator` in real time, on a timer. `false`: only `flushWebhooks()`
   * delivers.
   */
  autoDeliver?: boolean;
  /**
   * The clock of the `t=` in `Certn-Signature`: `"simulated"` (the simulator's clock) or `"wall"`
   * (`Date.now()`, what a receiver checking freshness expects). Default `"wall"` with `realTime`
   * or when served by `serveCertnSimulator`, else `"simulated"`.
   */
  signatureTime?: "simulated" | "wall";
  /**
   * How long the receiver has to answer, in real ms (default 10,000): Certn gives up on a
   * receiver after 10 s (certn-api.md §6.2; certncentric-api.md §5.4 and §5.6).
   */
  timeoutMs?: number;
}

/** CertnCentric webhook delivery (certncentric-api.md §5). */
export interface CentricWebhookOptions {
  url: string;
  /** Key of the `X-Signature` HMAC. */
  secret: string;
  fetch?: (input: Request) => Promise<Response>;
  /** Real waits before each retry (default 0, 0, 0: four attempts). */
  retryDelaysMs?: readonly number[];
  /** Deliver each change when it happens (default true), as for the partner webhook. */
  autoDeliver?: boolean;
  /** `X-Signature` encoding (default lowercase hex, §5.5). */
  signatureEncoding?: "hex" | "base64";
  /**
   * How long the receiver has to answer, in real ms (default 10,000): Certn gives up on a
   * receiver after 10 s (certn-api.md §6.2; certncentric-api.md §5.4 and §5.6).
   */
  timeoutMs?: number;
}

/** Options of the CertnCentric surface (`/api/public/...`). */
export interface CentricOptions {
  /** Keys accepted as `Authorization: Api-Key <key>` (default: one demo key). */
  apiKeys?: readonly string[];
  /** Per key (default 60/min and 7,220/day), or `false`. */
  rateLimit?: RateLimitOptions | false;
  webhook?: CentricWebhookOptions;
  /** Time from `generate-report/` until the file is COMPLETE (default 3 s). */
  reportReadyMs?: number;
}

/** Options of `createCertnSimulator`. */
export interface CertnSimulatorOptions {
  /** Seed of every generated id and token (default 1). */
  seed?: number;
  /** Simulated start time (default 2026-11-28T10:00:00Z). */
  now?: number | string | Date;
  /** Simulated time follows the wall clock (for humans using the Node server). */
  realTime?: boolean;
  /** The default client's id and secret (ignored when `clients` is given). */
  clientId?: string;
  clientSecret?: string;
  /** Every accepted OAuth client (replaces the default client). */
  clients?: readonly SimulatorClient[];
  /** Accepted static API keys (default: one demo key). */
  apiKeys?: readonly (string | SimulatorApiKey)[];
  /** Request flags accounts may order by default. */
  allowedRequestFlags?: readonly string[];
  /**
   * SMS invites are enabled on the simulated account (default false): an invite with a
   * `phone_number` is refused otherwise (certn-api.md §3.2: "SMS must be enabled on the account").
   */
  smsEnabled?: boolean;
  /** Password of every seeded user for the gen A logins (default: a demo password). */
  userPassword?: string;
  /** `expires_in` of issued tokens, in seconds (default 36000). */
  tokenExpiresIn?: number;
  /** Partner API limits per credential (default 240/min and 14,400/day), or `false`. */
  rateLimit?: RateLimitOptions | false;
  /** Let a page on this origin call the simulator (preflight included). Off by default. */
  cors?: { origin: string | readonly string[] };
  /** Durations of the screening stages. */
  progress?: Partial<ProgressTimings>;
  /** Status-change callbacks. */
  webhook?: WebhookOptions;
  /** Every partner route answers 410 Gone (to test migration to CertnCentric). */
  partnerApiRetired?: boolean;
  /** Origin used to resolve relative URLs given to `sim.fetch` (default https://demo-api.certn.co). */
  baseUrl?: string;
  /** Web-app origin used in links (default https://demo-app.certn.co/). */
  appUrl?: string;
  /** The CertnCentric surface beside the partner API. */
  centric?: CentricOptions;
}

/** A credential the partner API accepts, with what it may order. */
export interface Principal {
  /** Which credential: the partner OAuth token, a static API key (gen B1) or a session token (gen A). */
  kind: "oauth" | "api-key" | "session";
  /** Rate-limit bucket: one per OAuth client, API key or user. */
  bucket: string;
  allowedFlags: ReadonlySet<string>;
  /** The session token presented (gen A), for logout. */
  sessionToken?: string;
}

/** Options after defaults, validated. */
export interface ResolvedOptions {
  seed: number;
  startMs: number;
  realTime: boolean;
  clients: readonly Required<SimulatorClient>[];
  apiKeys: readonly Required<SimulatorApiKey>[];
  /** The account's allow-list (session tokens order with it). */
  allowedRequestFlags: readonly string[];
  tokenExpiresIn: number;
  rateLimit: Required<RateLimitOptions> | false;
  corsOrigins: readonly string[] | undefined;
  timings: ProgressTimings;
  webhook: WebhookOptions | undefined;
  partnerApiRetired: boolean;
  smsEnabled: boolean;
  userPassword: string;
  baseUrl: string;
  appUrl: string;
  centric: {
    apiKeys: readonly string[];
    rateLimit: Required<RateLimitOptions> | false;
    webhook: CentricWebhookOptions | undefined;
    reportReadyMs: number;
  };
}

function fail(message: string): never {
  throw new TypeError(`createCertnSimulator: ${message}`);
}

/** The real length of the simulator's rate-limit minute, unless `windowMs` compresses it. */
const MINUTE_MS = 60_000;

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min)
    fail(`${name} must be a number >= ${min}, got ${String(value)}`);
  return value;
}

function nonEmpty(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value === "") fail(`${name} must be a non-empty string`);
  return value;
}

function startTime(now: CertnSimulatorOptions["now"]): number {
  const value = now === undefined ? DEFAULT_START : now;
  const ms = value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) fail(`now must be a date, an ISO string or epoch ms, got ${String(now)}`);
  return ms;
}

/** Applies defaults and checks every option, naming the one that is wrong. */
export function resolveOptions(options: CertnSimulatorOptions = {}): ResolvedOptions {
  const allowed = options.allowedRequestFlags ?? DEFAULT_ALLOWED_FLAGS.value;
  const clients = (
    options.clients ?? [
      {
        clientId: options.clientId ?? DEMO_CLIENT_ID,
        clientSecret: options.clientSecret ?? DEMO_CLIENT_SECRET,
      },
    ]
  ).map((client, i) => {
    if (typeof client.clientId !== "string" || client.clientId === "")
      fail(`clients[${i}].clientId must be a non-empty string`);
    if (typeof client.clientSecret !== "string" || client.clientSecret === "")
      fail(`clients[${i}].clientSecret must be a non-empty string`);
    return { ...client, allowedRequestFlags: client.allowedRequestFlags ?? allowed };
  });
  const apiKeys = (options.apiKeys ?? [DEMO_API_KEY]).map((entry, i) => {
    const key = typeof entry === "string" ? { key: entry } : entry;
    if (typeof key.key !== "string" || key.key === "") fail(`apiKeys[${i}] must be a non-empty string`);
    return { key: key.key, allowedRequestFlags: key.allowedRequestFlags ?? allowed };
  });
  const limit = options.rateLimit;
  const rateLimit =
    limit === false
      ? false
      : {
          perMinute: positive("rateLimit.perMinute", limit?.perMinute, PARTNER_RATE_LIMIT.value.perMinute),
          perDay: positive("rateLimit.perDay", limit?.perDay, PARTNER_RATE_LIMIT.value.perDay),
          windowMs: positive("rateLimit.windowMs", limit?.windowMs, MINUTE_MS),
        };
  const timings = { ...DEFAULT_TIMINGS };
  for (const key of Object.keys(DEFAULT_TIMINGS) as (keyof typeof DEFAULT_TIMINGS)[]) {
    timings[key] = positive(`progress.${key}`, options.progress?.[key], DEFAULT_TIMINGS[key], 0);
  }
  const origins = options.cors?.origin;
  if (options.webhook !== undefined) {
    if (!isAbsoluteUrl(options.webhook.url)) fail("webhook.url must be an absolute http(s) URL");
    if (typeof options.webhook.secret !== "string" || options.webhook.secret === "")
      fail("webhook.secret must be a non-empty string");
    const time = options.webhook.signatureTime;
    if (time !== undefined && time !== "simulated" && time !== "wall")
      fail(`webhook.signatureTime must be "simulated" or "wall", got ${String(time)}`);
    positive("webhook.timeoutMs", options.webhook.timeoutMs, 1);
  }
  const centric = options.centric ?? {};
  const centricKeys = centric.apiKeys ?? [DEMO_CENTRIC_API_KEY];
  centricKeys.forEach((key, i) => {
    if (typeof key !== "string" || key === "") fail(`centric.apiKeys[${i}] must be a non-empty string`);
  });
  const centricLimit = centric.rateLimit;
  if (centric.webhook !== undefined) {
    if (!isAbsoluteUrl(centric.webhook.url)) fail("centric.webhook.url must be an absolute http(s) URL");
    if (typeof centric.webhook.secret !== "string" || centric.webhook.secret === "")
      fail("centric.webhook.secret must be a non-empty string");
    positive("centric.webhook.timeoutMs", centric.webhook.timeoutMs, 1);
  }
  return {
    centric: {
      apiKeys: [...centricKeys],
      rateLimit:
        centricLimit === false
          ? false
          : {
              perMinute: positive(
                "centric.rateLimit.perMinute",
                centricLimit?.perMinute,
                CENTRIC_RATE_LIMIT.value.perMinute,
              ),
              perDay: positive(
                "centric.rateLimit.perDay",
                centricLimit?.perDay,
                CENTRIC_RATE_LIMIT.value.perDay,
              ),
              windowMs: positive("centric.rateLimit.windowMs", centricLimit?.windowMs, MINUTE_MS),
            },
      webhook: centric.webhook,
      reportReadyMs: positive("centric.reportReadyMs", centric.reportReadyMs, REPORT_READY_MS.value, 0),
    },
    seed: options.seed ?? 1,
    startMs: startTime(options.now),
    realTime: options.realTime === true,
    clients,
    apiKeys,
    allowedRequestFlags: allowed,
    tokenExpiresIn: positive("tokenExpiresIn", options.tokenExpiresIn, TOKEN_EXPIRES_IN_S.value),
    rateLimit,
    corsOrigins: origins === undefined ? undefined : typeof origins === "string" ? [origins] : [...origins],
    timings,
    webhook: options.webhook,
    partnerApiRetired: options.partnerApiRetired === true,
    smsEnabled: options.smsEnabled === true,
    userPassword: nonEmpty("userPassword", options.userPassword, DEMO_USER_PASSWORD),
    baseUrl: options.baseUrl ?? "https://demo-api.certn.co",
    appUrl: options.appUrl ?? APP_URL.value,
  };
}

function isAbsoluteUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
