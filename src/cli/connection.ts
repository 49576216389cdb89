/**
 * Where a run's requests go: the embedded simulator, or Certn with credentials from the
 * environment. The library, the simulator and undici are imported only here, on demand. The
 * simulator's webhooks are delivered in-process, signed with a secret of this run and checked by
 * the CLI's receiver, to a hub that the run's `wait` items and `poll.wakeOn` read.
 */

import type { Collection } from "../collection/model.ts";
import { CERTN_PRODUCTION_ORIGINS } from "../core/base-urls.ts";
import { canonicalOrigin } from "../core/origin.ts";
import type { CertnClient } from "../index.ts";
import type { WebhookEventSource } from "../runner/index.ts";
import type { CertnSimulator } from "../simulator/index.ts";
import { credentialsFromEnv, NO_CREDENTIALS_MESSAGE } from "./credentials.ts";
import { proxyFetch, proxyVariables } from "./proxy.ts";
import { checkAccessToken } from "./token-check.ts";
import { UsageError } from "./usage-error.ts";

/** A ready client plus what the run needs to know about it. */
export interface Connection {
  /** The client a collection runs with (the simulator picks the CertnCentric key for `/api/public/` collections). */
  clientFor(collection: Collection): CertnClient;
  /** Shown in the run header: "the embedded simulator" or the origin. */
  target: string;
  /** True for a Certn production origin (partner API or a regional CertnCentric host). */
  production: boolean;
  /**
   * In simulator mode, the run's clock: waits move the simulator's clock forward instead of
   * sleeping, so polls and delays finish at once.
   */
  clock?: { now: () => number; sleep: (ms: number, signal?: AbortSignal) => Promise<void> };
  /** In simulator mode, the simulator's webhooks (verified, in-process) for waits and `wakeOn`. */
  webhooks?: WebhookEventSource;
  /** Which variables the credential came from (names only). */
  credentialSource: string | undefined;
  /**
   * Resolves once the run can authenticate: with client credentials it gets the access token
   * (which the run then reuses); otherwise there is nothing to check before sending.
   * @throws CommandFailure naming why no token could be had
   */
  checkAccess(): Promise<void>;
}

/** What decides the connection. */
export interface ConnectionInput {
  simulator: boolean;
  baseUrl: string | undefined;
  dryRun: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Per-attempt timeout, in ms. */
  timeoutMs: number | undefined;
}

/**
 * Builds the client.
 * @throws UsageError when there is no credential (and this is not a dry run) or the base URL is refused
 */
export async function connect(input: ConnectionInput): Promise<Connection> {
  const library = await import("../index.ts");
  const common = input.timeoutMs === undefined ? {} : { timeoutMs: input.timeoutMs };

  if (input.simulator) {
    const { createCertnSimulator } = await import("../simulator/index.ts");
    const { createWebhookHub, isCentricCollection } = await import("../runner/index.ts");
    const { createWebhookHandler } = await import("./webhook-receiver.ts");
    // Every wait of the run advances the simulator's clock (a wait for a webhook too, so its
    // timeout and a woken poll's interval pass in simulated time while the webhooks arrive).
    let simulator: CertnSimulator | undefined;
    const clock = {
      now: () => simulator?.clock.now() ?? Date.now(),
      sleep: (ms: number, signal?: AbortSignal) =>
        simulator === undefined ? Promise.resolve() : advanceSimulator(simulator, ms, signal),
    };
    const hub = createWebhookHub({ sleep: clock.sleep });
    // A fresh secret per run, checked by the same receiver (and library verifiers) as --webhook-port.
    const secrets = { certn: randomSecret(), certncentric: randomSecret() };
    const receive = await createWebhookHandler(hub, secrets);
    // Statuses follow the wall clock (as in the Worker's development entry).
    simulator = createCertnSimulator({
      realTime: true,
      webhook: {
        url: `${SIMULATOR_RECEIVER}/webhooks/certn`,
        secret: secrets.certn,
        fetch: receive,
        // The receiver checks `t` against its own (wall) clock, as a real one does.
        signatureTime: "wall",
      },
      centric: {
        webhook: {
          url: `${SIMULATOR_RECEIVER}/webhooks/certncentric`,
          secret: secrets.certncentric,
          fetch: receive,
        },
      },
    });
    const { clientId, clientSecret } = simulator.credentials;
    const shared = { fetch: simulator.fetch, now: clock.now, sleep: clock.sleep, ...common };
    const partner = library.createCertnClient({ clientId, clientSecret, ...shared });
    const centricKey = simulator.centric.apiKeys[0];
    const centric =
      centricKey === undefined
        ? partner
        : library.createCertnClient({ apiKey: centricKey, apiKeyScheme: "Api-Key", ...shared });
    return {
      clientFor: (collection) => (isCentricCollection(collection) ? centric : partner),
      target: "the embedded Certn simulator (no network; waits advance its clock instead of sleeping)",
      production: false,
      clock,
      webhooks: hub,
      credentialSource: undefined,
      // The embedded simulator always knows its own credentials.
      checkAccess: async () => undefined,
    };
  }

  const fromEnv = credentialsFromEnv(input.env);
  const baseUrl = input.baseUrl ?? fromEnv.baseUrl;
  const fetch = await proxyFetch(input.env);
  const extra = { ...common, ...(baseUrl === undefined ? {} : { baseUrl }), ...(fetch ? { fetch } : {}) };
  let client: CertnClient;
  try {
    if (fromEnv.credentials) {
      client = library.createCertnClient({ ...fromEnv.credentials, ...extra });
    } else if (input.dryRun) {
      // A dry run sends nothing, so it needs no credential; asking for one is a bug, said plainly.
      client = library.createCertnClient({
        tokenProvider: () => Promise.reject(new Error("a dry run has no credentials")),
        ...extra,
      });
    } else {
      throw new UsageError(NO_CREDENTIALS_MESSAGE);
    }
  } catch (error) {
    if (error instanceof TypeError) {
      throw new UsageError(
        `${error.message.replace(/^createCertnClient: /, "")} (from ${input.baseUrl ? "--base-url" : "CERTN_BASE_URL"})`,
      );
    }
    throw error;
  }
  // Only a token endpoint can be asked before the run: an API key is checked by the first request,
  // and a dry run sends nothing.
  const getsToken = fromEnv.credentials !== undefined && "clientId" in fromEnv.credentials && !input.dryRun;
  const context = {
    baseUrl: client.baseUrl,
    credentialSource: fromEnv.source,
    proxyVariables: fetch ? proxyVariables(input.env) : [],
  };
  return {
    clientFor: () => client,
    target: client.baseUrl,
    // Every origin where an order costs money, in the canonical form the order guard uses.
    production: CERTN_PRODUCTION_ORIGINS.includes(canonicalOrigin(client.baseUrl) ?? ""),
    credentialSource: fromEnv.source,
    checkAccess: getsToken ? () => checkAccessToken(client, context) : async () => undefined,
  };
}

/** Where the simulator "sends" its webhooks: never resolved, its deliveries stay in-process. */
const SIMULATOR_RECEIVER = "http://webhooks.certn-edge.invalid";

/** A random signing secret: 32 bytes, hex. */
function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Moves the simulator's clock `ms` forward, stopping at each moment a webhook is due so that it is
 * delivered (and a wait woken) at the simulated time it happens; stops early when `signal` aborts
 * (the wait got its event, or the run was stopped).
 */
async function advanceSimulator(simulator: CertnSimulator, ms: number, signal?: AbortSignal): Promise<void> {
  let remaining = ms;
  let stalled = false;
  while (remaining > 0 && signal?.aborted !== true) {
    const next = simulator.nextWebhookAt();
    const gap = next === undefined ? remaining : Math.max(0, next - simulator.clock.now());
    // A due change that the last delivery did not take away would stop time: then go on without it.
    let step = Math.min(remaining, gap);
    if (step === 0 && stalled) step = remaining;
    stalled = step === 0;
    simulator.clock.advance(step);
    remaining -= step;
    await simulator.flushWebhooks();
  }
}
