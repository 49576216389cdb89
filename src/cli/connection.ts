/**
 * Where a run's requests go: the embedded simulator, or Certn with credentials from the
 * environment. The library, the simulator and undici are imported only here, on demand.
 */

import type { Collection } from "../collection/model.ts";
import { CERTN_PRODUCTION_ORIGINS } from "../core/base-urls.ts";
import { canonicalOrigin } from "../core/origin.ts";
import type { CertnClient } from "../index.ts";
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
  clock?: { now: () => number; sleep: (ms: number) => Promise<void> };
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
    const { isCentricCollection } = await import("../runner/index.ts");
    // Statuses follow the wall clock (as in the Worker's development entry); every wait of the
    // run advances the simulator's clock, so a quick screen's analysis passes without waiting.
    const simulator = createCertnSimulator({ realTime: true });
    const clock = {
      now: () => simulator.clock.now(),
      sleep: async (ms: number) => {
        if (ms > 0) simulator.clock.advance(ms);
      },
    };
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
