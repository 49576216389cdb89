/**
 * Shared set-up of the durable tests: the Worker app with D1, the Workflow binding and webhook
 * secrets; a simulator that delivers its webhooks to that app's own receivers; durable runs that
 * reach the same simulator; signed deliveries; and waits for a run's end.
 */
import { env as poolEnv } from "cloudflare:workers";
import type { Collection } from "../../src/collection/model.ts";
import { isCentricCollection } from "../../src/runner/index.ts";
import type { CertnCredentials } from "../../src/worker/config.ts";
import type { Env } from "../../src/worker/env.ts";
import { callerToken, createHarness, type Harness, jsonOf } from "../workers/worker/harness.ts";
import { useDurableDeps } from "./main.ts";

/** The pool's bindings (D1 and the Workflow included). */
export const bindings = poolEnv as unknown as Env;

/** The webhook secrets the pool binds (vitest.config.ts): the receivers' and the runs' alike. */
export const PARTNER_WEBHOOK_SECRET = bindings.CERTN_WEBHOOK_SECRET as string;
export const CENTRIC_WEBHOOK_SECRET = bindings.CERTN_CENTRIC_WEBHOOK_SECRET as string;

/** Every scope, `runs:admin` excepted. */
export const RUN_SCOPES = "collections:read collections:write runs:saved runs:adhoc";

/**
 * A CertnCentric collection whose first item waits (up to 10 minutes) for an event about
 * `{{caseId}}`, then reads the groups: a run that waits, for the tests of waiting runs.
 */
export const WAIT_THEN_READ = {
  formatVersion: 1,
  name: "wait then read",
  items: [
    {
      name: "Case changed",
      wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 600_000 },
    },
    { name: "List groups", request: { method: "GET", url: "/api/public/groups/" } },
  ],
};

/** A caller JWT for `sub` with `scope`. */
export const tokenFor = (sub: string, scope = RUN_SCOPES): Promise<string> => callerToken({ sub, scope });

/** A harness plus the simulator's request counts by route, as durable runs see them. */
export interface DurableHarness extends Harness {
  /** Simulated time each upstream request moves forward first (so cases progress). */
  advancePerRequestMs: number;
}

/**
 * An app with D1, the Workflow binding and webhook secrets, against a fresh simulator that
 * delivers its webhooks to this app; durable runs started from now on use the same simulator.
 */
export function durableHarness(
  options: { advancePerRequestMs?: number; loopbackAlerts?: boolean } = {},
): DurableHarness {
  let deliver: (request: Request) => Promise<Response> = async () => new Response(null, { status: 503 });
  const receiver = (request: Request): Promise<Response> => deliver(request);
  let harness: DurableHarness | undefined;
  const credentials = (collection: Collection): CertnCredentials => {
    const sim = harness?.sim;
    if (sim === undefined) return { kind: "none" };
    return isCentricCollection(collection)
      ? { kind: "api-key", apiKey: sim.centric.apiKeys[0] ?? "", apiKeyScheme: "Api-Key" }
      : {
          kind: "client-credentials",
          clientId: sim.credentials.clientId,
          clientSecret: sim.credentials.clientSecret,
        };
  };
  const base = createHarness({
    env: {
      DB: bindings.DB,
      RUNS: bindings.RUNS,
      CERTN_WEBHOOK_SECRET: PARTNER_WEBHOOK_SECRET,
      CERTN_CENTRIC_WEBHOOK_SECRET: CENTRIC_WEBHOOK_SECRET,
    },
    simulator: {
      webhook: {
        url: "https://worker.test/webhooks/certn",
        secret: PARTNER_WEBHOOK_SECRET,
        fetch: receiver,
        signatureTime: "wall",
      },
      centric: {
        webhook: {
          url: "https://worker.test/webhooks/certncentric",
          secret: CENTRIC_WEBHOOK_SECRET,
          fetch: receiver,
        },
      },
    },
    app: { credentials, allowLoopbackAlerts: options.loopbackAlerts === true },
  });
  const made: DurableHarness = { ...base, advancePerRequestMs: options.advancePerRequestMs ?? 0 };
  harness = made;
  deliver = (request) => Promise.resolve(base.app.fetch(request, base.env));
  useDurableDeps({
    certnFetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      if (made.advancePerRequestMs > 0) made.sim.clock.advance(made.advancePerRequestMs);
      base.upstream.push(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
      return base.sim.fetch(input, init);
    }) as typeof fetch,
    credentials,
    allowLoopbackAlerts: options.loopbackAlerts === true,
  });
  return made;
}

/** The pool's Workflow binding as it is now (an introspector replaces it while it lives). */
export function liveRuns(): NonNullable<Env["RUNS"]> {
  return bindings.RUNS as NonNullable<Env["RUNS"]>;
}

/** Waits until the run's Workflow instance has ended; its final engine status. */
export async function settled(runId: string, timeoutMs = 20_000): Promise<string> {
  const instance = await (bindings.RUNS as Workflow).get(runId);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const { status } = await instance.status();
    if (status === "complete" || status === "errored" || status === "terminated") return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return "timed out";
}

/** A run record as `GET /runs/:id` answers it. */
export interface RunView {
  runId: string;
  collection: string;
  mode: string;
  status: string;
  progress: { items: number; done: number; passed: number; failed: number; errored: number; skipped: number };
  waitingFor?: { kind: string };
  result?: {
    summary: { items: number; passed: number; failed: number; errored: number; skipped: number };
    items: Array<{ name: string; status: string; error?: { code: string; message: string } }>;
  };
}

/** `GET /runs/:id` as `auth`. */
export async function runView(h: Harness, runId: string, auth: string): Promise<RunView> {
  const response = await h.call(`/runs/${runId}`, { auth });
  if (response.status !== 200) throw new Error(`GET /runs/${runId}: ${response.status}`);
  return jsonOf<RunView>(response);
}

/** Waits until the run's record has `status`. */
export async function untilStatus(h: Harness, runId: string, auth: string, status: string): Promise<RunView> {
  const until = Date.now() + 15_000;
  for (;;) {
    const view = await runView(h, runId, auth);
    if (view.status === status || Date.now() > until) return view;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts a durable run (`Prefer: respond-async`); its id. */
export async function startDurable(
  h: Harness,
  path: string,
  auth: string,
  json: unknown = {},
): Promise<string> {
  const response = await h.call(path, { method: "POST", auth, json, headers: { prefer: "respond-async" } });
  if (response.status !== 202) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await jsonOf<{ runId: string }>(response)).runId;
}

/** Delivers a CertnCentric event to the app, signed (or with `signature`). */
export function deliverCentric(h: Harness, event: unknown, signature?: string): Promise<Response> {
  return deliverSigned(h, "/webhooks/certncentric", JSON.stringify(event), signature);
}

/** Lower-case hex HMAC-SHA256 of `body` under `secret` (X-Signature, certncentric-api.md §5.5). */
export async function hmacHex(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Delivers a partner API applicant to the app at `path`, signed with `Certn-Signature` at the
 * wall clock's `t` (as Certn signs each attempt afresh).
 */
export async function deliverPartner(
  h: Harness,
  applicant: unknown,
  path = "/webhooks/certn",
): Promise<Response> {
  const body = JSON.stringify(applicant);
  const t = Math.floor(Date.now() / 1000);
  const v1 = await hmacHex(PARTNER_WEBHOOK_SECRET, `${t}.${body}`);
  return h.app.fetch(
    new Request(`https://worker.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "certn-signature": `t=${t},v1=${v1}` },
      body,
    }),
    h.env,
  );
}

async function deliverSigned(h: Harness, path: string, body: string, signature?: string): Promise<Response> {
  const header = signature ?? (await hmacHex(CENTRIC_WEBHOOK_SECRET, body));
  return h.app.fetch(
    new Request(`https://worker.test${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-signature": header },
      body,
    }),
    h.env,
  );
}

/** Rows of a D1 table matching `where`. */
export async function countRows(table: string, where: string, ...values: unknown[]): Promise<number> {
  const db = bindings.DB as D1Database;
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...values)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
