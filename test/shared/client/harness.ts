/**
 * Test doubles for the client: a recording `fetch`, a controllable clock whose `sleep` advances
 * time instantly, and a seeded random source. No global is patched.
 */
import { type CertnClient, type CertnClientOptions, createCertnClient } from "../../../src/index.ts";

export const BASE = "https://demo-api.certn.co";
export const CLIENT_ID = "test-client-id";
export const CLIENT_SECRET = "s3cr3t-value-that-must-never-leak";

/** One request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  path: string;
  headers: Headers;
  body: string;
  redirect: RequestRedirect;
  signal: AbortSignal;
}

/** A handler answering one request. */
export type Handler = (request: SeenRequest, index: number) => Response | Promise<Response>;

/** A recording fake `fetch` dispatching to `handler`. */
export function fakeFetch(handler: Handler) {
  const seen: SeenRequest[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const body = request.body ? new TextDecoder().decode(await request.arrayBuffer()) : "";
    const url = new URL(request.url);
    const entry: SeenRequest = {
      method: request.method,
      url: request.url,
      path: url.pathname,
      headers: request.headers,
      body,
      redirect: request.redirect,
      signal: request.signal,
    };
    seen.push(entry);
    return handler(entry, seen.length - 1);
  };
  return {
    fetch,
    seen,
    /** Requests to anything but `/token/`. */
    api: () => seen.filter((r) => r.path !== "/token/"),
    tokens: () => seen.filter((r) => r.path === "/token/"),
  };
}

/** A clock that only moves when told to (or when `sleep` is called). */
export function fakeClock(start = Date.UTC(2026, 10, 28, 12, 0, 0)) {
  const sleeps: number[] = [];
  const clock = {
    t: start,
    sleeps,
    now: () => clock.t,
    advance: (ms: number) => {
      clock.t += ms;
    },
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

/** A seeded PRNG (mulberry32) returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** A token response with a counter-based token. */
export function tokenResponse(n: number, expiresIn: unknown = 36000): Response {
  return json(200, {
    access_token: `tok-${n}`,
    expires_in: expiresIn,
    token_type: "Bearer",
    scope: "read write",
  });
}

/** Default handler: `/token/` mints `tok-1`, `tok-2`, ...; everything else answers `api`. */
export function withTokens(api: Handler): Handler {
  let minted = 0;
  return (request, index) => {
    if (request.path === "/token/") {
      minted += 1;
      return tokenResponse(minted);
    }
    return api(request, index);
  };
}

/** A client with a fake fetch, clock and seeded random. */
export function makeClient(
  handler: Handler,
  overrides: Partial<CertnClientOptions> = {},
): { client: CertnClient; server: ReturnType<typeof fakeFetch>; clock: ReturnType<typeof fakeClock> } {
  const server = fakeFetch(handler);
  const clock = fakeClock();
  const client = createCertnClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    baseUrl: BASE,
    fetch: server.fetch,
    now: clock.now,
    sleep: clock.sleep,
    random: seededRandom(42),
    ...overrides,
  } as CertnClientOptions);
  return { client, server, clock };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

/** A handler that never answers until the request is aborted (like a real fetch). */
export function hang(request: SeenRequest): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}
