/**
 * Shared set-up of the Worker tests: an app wired to a fresh simulator (its own client id, so
 * KV keys never collide between tests), caller JWTs, console capture and leak checks.
 */
import { env as poolEnv } from "cloudflare:workers";
import { SignJWT } from "jose";
import { afterAll, expect, vi } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import {
  type CertnSimulator,
  type CertnSimulatorOptions,
  createCertnSimulator,
} from "../../../src/simulator/index.ts";
import { createWorkerApp, type WorkerAppOptions } from "../../../src/worker/app.ts";
import { BUNDLED_COLLECTIONS } from "../../../src/worker/bundled-collections.ts";
import { countRequestItems } from "../../../src/worker/collections-store.ts";
import type { Env } from "../../../src/worker/env.ts";
import { createTokenMemory, type TokenMemory } from "../../../src/worker/kv-token-store.ts";

/** Request items of the bundled smoke collection (read-only GETs, each one request). */
export const SMOKE_ITEMS = countRequestItems(
  (BUNDLED_COLLECTIONS["certn-smoke"] as { items: Item[] } | undefined)?.items ?? [],
);

/** The HS256 caller secret of the tests (48 bytes). */
export const CALLER_SECRET = "test-caller-secret-0123456789-abcdefghijklmnopqr";

let counter = 0;
/** A name no other test uses. */
export function unique(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** Every scope the Worker checks, as a `scope` claim. */
export const ALL_SCOPES_CLAIM = "collections:read collections:write runs:saved runs:adhoc";

/**
 * A caller JWT signed with `CALLER_SECRET` (HS256), valid for an hour and holding every scope
 * as `sub: "harness-caller"`, unless `claims` says otherwise (`scope: undefined` or `sub:
 * undefined` leaves the claim out).
 */
export async function callerToken(
  claims: Record<string, unknown> = {},
  secret = CALLER_SECRET,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    sub: "harness-caller",
    exp: now + 3600,
    iat: now,
    scope: ALL_SCOPES_CLAIM,
    ...claims,
  };
  if (payload.sub === undefined) delete payload.sub;
  if (payload.scope === undefined) delete payload.scope;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
}

/** Everything one test works with. */
export interface Harness {
  sim: CertnSimulator;
  env: Env;
  app: ReturnType<typeof createWorkerApp>;
  memory: TokenMemory;
  clientSecret: string;
  /** URLs every upstream fetch went to, in order. */
  upstream: string[];
  /** Sends a request to the app, with a valid caller token unless `auth: false`. */
  call(path: string, init?: RequestInit & { auth?: boolean | string; json?: unknown }): Promise<Response>;
}

/** Options of `createHarness`. */
export interface HarnessOptions {
  simulator?: CertnSimulatorOptions;
  app?: WorkerAppOptions;
  /** Binding overrides; `undefined` removes a setting. */
  env?: { [K in keyof Env]?: Env[K] | undefined };
  /** Reuse a simulator (two "isolates" talking to one Certn). */
  sim?: CertnSimulator;
  memory?: TokenMemory;
}

const harnesses: Harness[] = [];

/** Every client secret and access token of the harnesses built so far (for leak checks). */
export function harnessSecrets(): string[] {
  return harnesses.flatMap((h) => [h.clientSecret, ...h.sim.liveTokens()]);
}

/** Builds an app against a fresh simulator with its own client credentials. */
export function createHarness(options: HarnessOptions = {}): Harness {
  const clientId = unique("client");
  const clientSecret = `secret-${crypto.randomUUID()}`;
  const sim =
    options.sim ?? createCertnSimulator({ clientId, clientSecret, rateLimit: false, ...options.simulator });
  const memory = options.memory ?? createTokenMemory();
  const upstream: string[] = [];
  const certnFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    upstream.push(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return sim.fetch(input, init);
  }) as typeof fetch;
  const env = {
    TOKEN_CACHE: poolEnv.TOKEN_CACHE,
    COLLECTIONS: poolEnv.COLLECTIONS,
    CERTN_CLIENT_ID: sim.credentials.clientId,
    CERTN_CLIENT_SECRET: sim.credentials.clientSecret,
    RUNNER_JWT_SECRET: CALLER_SECRET,
    ...options.env,
  } as Env;
  const app = createWorkerApp({
    certnFetch,
    tokenStore: { memory, sleep: async () => undefined, random: () => 0 },
    ...options.app,
  });
  const call: Harness["call"] = async (path, init = {}) => {
    const { auth = true, json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (auth !== false) {
      headers.set("authorization", `Bearer ${typeof auth === "string" ? auth : await callerToken()}`);
    }
    let body = rest.body;
    if (json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(json);
    }
    return app.fetch(
      new Request(`https://worker.test${path}`, { ...rest, headers, body: body ?? null }),
      env,
    );
  };
  const harness = { sim, env, app, memory, clientSecret: sim.credentials.clientSecret, upstream, call };
  harnesses.push(harness);
  return harness;
}

/** Everything written to the console while the spies are installed. */
export function captureConsole(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
    }),
  );
  return {
    lines,
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/**
 * Captures the console for the whole test file and, after its last test, asserts that no
 * harness secret nor any string in `extra` reached it. The lists are read then, so strings a
 * test adds to them later are checked too.
 */
export function captureConsoleForFile(...extra: readonly (readonly string[])[]): {
  lines: string[];
} {
  const capture = captureConsole();
  afterAll(() => {
    capture.restore();
    expectNoLeak(capture.lines.join("\n"), [...harnessSecrets(), ...extra.flat()]);
  });
  return capture;
}

/** Asserts that none of `secrets` occurs in `text`, in clear or Base64. */
export function expectNoLeak(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(btoa(secret));
  }
}

/** Calls seen by a wrapped namespace. */
export interface KvLog {
  gets: string[];
  puts: { key: string; value: string; expirationTtl: number | undefined }[];
  deletes: string[];
}

/** Failures to inject into a wrapped namespace. */
export interface KvFaults {
  get?: () => Error | undefined;
  put?: () => Error | undefined;
}

/** A KV namespace that records calls and can fail them, delegating to `inner`. */
export function wrapKv(inner: KVNamespace, faults: KvFaults = {}): { kv: KVNamespace; log: KvLog } {
  const log: KvLog = { gets: [], puts: [], deletes: [] };
  const kv = {
    async get(key: string, options?: unknown) {
      log.gets.push(key);
      const error = faults.get?.();
      if (error !== undefined) throw error;
      return inner.get(key, options as KVNamespaceGetOptions<"text">);
    },
    async put(key: string, value: string, options?: KVNamespacePutOptions) {
      log.puts.push({ key, value, expirationTtl: options?.expirationTtl });
      const error = faults.put?.();
      if (error !== undefined) throw error;
      return inner.put(key, value, options);
    },
    async delete(key: string) {
      log.deletes.push(key);
      return inner.delete(key);
    },
    list: (options?: KVNamespaceListOptions) => inner.list(options),
    getWithMetadata: (key: string, options?: unknown) =>
      inner.getWithMetadata(key, options as KVNamespaceGetOptions<"text">),
  };
  return { kv: kv as unknown as KVNamespace, log };
}

/** The parsed JSON body of a response. */
export async function jsonOf<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** The JSON body of an error response. */
export interface ErrorShape {
  error: { code: string; message: string };
  issues?: { path: string; message: string }[];
}

/** The summary of a run result. */
export interface SummaryShape {
  items: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  requests: number;
}
