import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from "../../../src/core/retry-policy.ts";
import {
  type AttemptInfo,
  CertnErrorCode,
  createCertnClient,
  isCertnHttpError,
  isCertnNetworkError,
  isCertnResponseError,
  isCertnTimeoutError,
} from "../../../src/index.ts";
import { BASE, fakeFetch, hang, json, makeClient, rejectionOf, seededRandom, withTokens } from "./harness.ts";

const url = (path: string) => `${BASE}${path}`;
const ok = () => json(200, { ok: true });
const code = (error: unknown) => (error as { code?: string }).code;

/** A 200 whose body sends `{"partial":`, then stalls, or fails with `error` when given. */
function partialBody(error?: unknown): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"partial":'));
        if (error !== undefined) controller.error(error);
      },
    }),
  );
}

describe("401 handling", () => {
  it("refreshes once and replays once after a 401", async () => {
    const { client, server } = makeClient(
      withTokens((r) => (r.headers.get("authorization") === "Bearer tok-1" ? json(401, {}) : ok())),
    );
    const response = await client.send(new Request(url("/api/v1/users/")));
    expect(response.status).toBe(200);
    expect(server.tokens()).toHaveLength(2);
    expect(server.api().map((r) => r.headers.get("authorization"))).toEqual(["Bearer tok-1", "Bearer tok-2"]);
  });

  it("returns a second 401 as is, without another refresh", async () => {
    const { client, server } = makeClient(withTokens(() => json(401, { detail: "nope" })));
    const response = await client.send(new Request(url("/api/v1/users/")));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "nope" });
    expect(server.tokens()).toHaveLength(2);
    expect(server.api()).toHaveLength(2);
  });

  it("makes one refresh for many parallel 401s on the same stale token", async () => {
    const { client, server } = makeClient(
      withTokens((r) => (r.headers.get("authorization") === "Bearer tok-1" ? json(401, {}) : ok())),
    );
    await client.getAccessToken();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => client.send(new Request(url("/api/v1/users/")))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(server.tokens()).toHaveLength(2);
  });

  it("never refreshes on a 403", async () => {
    const { client, server } = makeClient(withTokens(() => json(403, {})));
    const response = await client.send(new Request(url("/api/v1/users/")));
    expect(response.status).toBe(403);
    expect(server.tokens()).toHaveLength(1);
    expect(server.api()).toHaveLength(1);
  });

  it("replays a POST after a 401 with identical bytes", async () => {
    const { client, server } = makeClient(
      withTokens((r) => (r.headers.get("authorization") === "Bearer tok-1" ? json(401, {}) : json(201, {}))),
    );
    const body = JSON.stringify({ email: "a@example.com", request_softcheck: true });
    const response = await client.send(
      new Request(url("/api/v1/hr/applications/quick/"), { method: "POST", body }),
    );
    expect(response.status).toBe(201);
    expect(server.api().map((r) => r.body)).toEqual([body, body]);
  });
});

describe("retries", () => {
  it.each(["GET", "HEAD", "OPTIONS", "DELETE"])(
    "retries %s on 408/429/500/502/503/504 up to the default 2 times",
    async (method) => {
      for (const status of [408, 429, 500, 502, 503, 504]) {
        const { client, server } = makeClient(withTokens(() => new Response(null, { status })));
        const response = await client.send(new Request(url("/api/v1/teams/x/"), { method }));
        expect(response.status).toBe(status);
        expect(server.api()).toHaveLength(3);
      }
    },
  );

  // A Certn PUT orders paid checks (PUT .../applicants/{id}/packages/, the upgrade endpoint), so
  // PUT is retried like POST and PATCH: only on a 429, which Certn answers before processing.
  it.each(["POST", "PUT", "PATCH"])(
    "retries %s on 429 up to the default 2 times, and never on 408/500/502/503/504",
    async (method) => {
      for (const status of [408, 429, 500, 502, 503, 504]) {
        const { client, server } = makeClient(withTokens(() => new Response(null, { status })));
        const response = await client.send(
          new Request(url("/api/v1/hr/applicants/x/packages/"), { method, body: "{}" }),
        );
        expect(response.status).toBe(status);
        expect(server.api()).toHaveLength(status === 429 ? 3 : 1);
        expect(server.api().every((r) => r.method === method)).toBe(true);
      }
    },
  );

  it("does not retry other 4xx", async () => {
    for (const status of [400, 403, 404, 409, 422]) {
      const { client, server } = makeClient(withTokens(() => json(status, {})));
      expect((await client.send(new Request(url("/api/v1/teams/")))).status).toBe(status);
      expect(server.api()).toHaveLength(1);
    }
  });

  it("retries a GET after a network error and succeeds", async () => {
    const { client, server } = makeClient(
      withTokens((_r, i) => (i < 2 ? Promise.reject(new TypeError("ECONNRESET")) : ok())),
    );
    expect((await client.send(new Request(url("/api/v1/teams/")))).status).toBe(200);
    expect(server.api()).toHaveLength(2);
  });

  it("retries: 0 turns retrying off", async () => {
    const { client, server } = makeClient(
      withTokens(() => json(503, {})),
      { retry: { retries: 0 } },
    );
    expect((await client.send(new Request(url("/api/v1/teams/")))).status).toBe(503);
    expect(server.api()).toHaveLength(1);
  });

  it("does not retry a POST after a 503 without Retry-After, nor after a 500", async () => {
    for (const status of [500, 502, 503, 504]) {
      const { client, server } = makeClient(withTokens(() => json(status, {})));
      const response = await client.send(
        new Request(url("/api/v1/hr/applications/quick/"), { method: "POST", body: "{}" }),
      );
      expect(response.status).toBe(status);
      expect(server.api()).toHaveLength(1);
    }
  });

  it("does not retry a POST or PATCH after a network error", async () => {
    for (const method of ["POST", "PATCH"]) {
      const { client, server } = makeClient(withTokens(() => Promise.reject(new TypeError("reset"))));
      const error = await rejectionOf(
        client.send(new Request(url("/api/v1/teams/"), { method, body: "{}" })),
      );
      expect(code(error)).toBe(CertnErrorCode.NETWORK);
      expect(server.api()).toHaveLength(1);
    }
  });

  it("does not retry a POST after a timeout", async () => {
    const { client, server } = makeClient(withTokens(hang), { timeoutMs: 20 });
    const error = await rejectionOf(
      client.send(new Request(url("/api/v1/hr/applications/invite/"), { method: "POST", body: "{}" })),
    );
    expect(isCertnTimeoutError(error)).toBe(true);
    expect(server.api()).toHaveLength(1);
  });

  it("retries a POST, PUT or PATCH on 429, but not on 503 with Retry-After (the order may be placed)", async () => {
    for (const method of ["POST", "PUT", "PATCH"]) {
      for (const [status, headers] of [
        [429, {}],
        [429, { "Retry-After": "1" }],
      ] as const) {
        const { client, server, clock } = makeClient(
          withTokens((_r, i) => (i === 1 ? json(status, {}, headers) : json(201, {}))),
        );
        const response = await client.send(
          new Request(url("/api/v1/hr/applications/quick/"), { method, body: "{}" }),
        );
        expect(response.status).toBe(201);
        expect(server.api()).toHaveLength(2);
        if ("Retry-After" in headers) expect(clock.sleeps).toEqual([1_000]);
      }
      const { client, server, clock } = makeClient(
        withTokens((_r, i) => (i === 1 ? json(503, {}, { "Retry-After": "1" }) : json(201, {}))),
      );
      const response = await client.send(
        new Request(url("/api/v1/hr/applications/quick/"), { method, body: "{}" }),
      );
      expect(response.status).toBe(503);
      expect(server.api()).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    }
  });

  it("retries a POST after a 5xx when retryNonIdempotent is set", async () => {
    const { client, server } = makeClient(withTokens((_r, i) => (i === 1 ? json(500, {}) : json(201, {}))));
    const response = await client.send(new Request(url("/api/v1/teams/"), { method: "POST", body: "{}" }), {
      retry: { retryNonIdempotent: true },
    });
    expect(response.status).toBe(201);
    expect(server.api()).toHaveLength(2);
  });

  it("refuses retryNonIdempotent for a whole client: it is per call, so no POST is ever resent by default", async () => {
    const { fetch, api } = fakeFetch(() => json(500, {}));
    const options = { apiKey: "k", fetch, retry: { retryNonIdempotent: true } };
    expect(() => createCertnClient(options as Parameters<typeof createCertnClient>[0])).toThrow(
      /retry\.retryNonIdempotent is per call only/,
    );
    expect(api()).toHaveLength(0);
    // `false`, the default, is fine to spell out.
    const client = createCertnClient({ apiKey: "k", fetch, retry: { retryNonIdempotent: false } as object });
    const response = await client.send(new Request(url("/api/v1/teams/"), { method: "POST", body: "{}" }));
    expect(response.status).toBe(500);
    expect(api()).toHaveLength(1);
  });

  it("resends identical bytes on every retry", async () => {
    // A PUT is retried on a 429 only; a DELETE with a body on a 503 as well.
    for (const [method, status] of [
      ["PUT", 429],
      ["DELETE", 503],
    ] as const) {
      const { client, server } = makeClient(withTokens((_r, i) => (i < 3 ? json(status, {}) : ok())));
      const bytes = new Uint8Array([0, 1, 2, 250, 255]);
      const response = await client.send(new Request(url("/api/v1/teams/x/"), { method, body: bytes }));
      expect(response.status).toBe(200);
      const bodies = server.api().map((r) => r.body);
      expect(bodies).toHaveLength(3);
      expect(new Set(bodies)).toEqual(new Set([new TextDecoder().decode(bytes)]));
    }
  });

  it("never retries a streaming body", async () => {
    // A 429, which a PUT with a buffered body would be retried on.
    const { client, server } = makeClient(withTokens(() => json(429, {})));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("streamed"));
        controller.close();
      },
    });
    const response = await client.fetch(url("/api/v1/teams/x/"), { method: "PUT", body: stream });
    expect(response.status).toBe(429);
    expect(server.api()).toHaveLength(1);
    expect(server.api()[0]?.body).toBe("streamed");
  });
});

describe("Retry-After and backoff", () => {
  it("honours Retry-After in seconds", async () => {
    const { client, clock } = makeClient(
      withTokens((_r, i) => (i === 1 ? json(429, {}, { "Retry-After": "3" }) : ok())),
    );
    await client.send(new Request(url("/api/v1/teams/")));
    expect(clock.sleeps).toEqual([3000]);
  });

  it("honours Retry-After as an HTTP date relative to now()", async () => {
    const { client, clock } = makeClient(
      withTokens((_r, i) =>
        i === 1 ? json(503, {}, { "Retry-After": new Date(clock.t + 7_000).toUTCString() }) : ok(),
      ),
    );
    await client.send(new Request(url("/api/v1/teams/")));
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(6_000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(7_000);
  });

  it("parses invalid and past Retry-After values as 0", () => {
    const now = Date.UTC(2026, 10, 28);
    expect(parseRetryAfter("soon", now)).toBe(0);
    expect(parseRetryAfter("-3", now)).toBe(0);
    expect(parseRetryAfter(new Date(now - 60_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(" 12 ", now)).toBe(12_000);
  });

  it("ends the call with CERTN_RATE_LIMITED when Retry-After exceeds maxRetryAfterMs", async () => {
    const answer = { detail: "Request was throttled. Expected available in 61 seconds." };
    const { client, server, clock } = makeClient(
      withTokens(() => json(429, answer, { "Retry-After": "61" })),
    );
    const error = await rejectionOf(client.send(new Request(url("/api/v1/teams/"))));
    // The answer as a CertnHttpError: its status, method, URL and parsed body, plus retryAfterMs.
    expect(isCertnHttpError(error)).toBe(true);
    expect(error).toMatchObject({ method: "GET", url: url("/api/v1/teams/"), body: answer });
    expect((error as Error).message).toMatch(/-> 429: .*Request was throttled.*over retry\.maxRetryAfterMs/);
    expect(code(error)).toBe(CertnErrorCode.RATE_LIMITED);
    expect((error as { status?: number }).status).toBe(429);
    expect((error as { retryAfterMs?: number }).retryAfterMs).toBe(61_000);
    expect(clock.sleeps).toEqual([]);
    expect(server.api()).toHaveLength(1);
  });

  it("tells onAttempt the server's Retry-After, retried or not (how a rate budget hears of a 429)", async () => {
    const { client } = makeClient(
      withTokens((_r, i) => (i === 1 ? json(429, {}, { "Retry-After": "2" }) : json(429, {}))),
      { retry: { retries: 1 } },
    );
    const attempts: {
      status: number | undefined;
      retryAfterMs: number | undefined;
      retryInMs: number | undefined;
    }[] = [];
    const response = await client.send(new Request(url("/api/v1/teams/")), {
      onAttempt: ({ status, retryAfterMs, retryInMs }) => attempts.push({ status, retryAfterMs, retryInMs }),
    });
    expect(response.status).toBe(429);
    expect(attempts).toEqual([
      { status: 429, retryAfterMs: 2_000, retryInMs: 2_000 },
      { status: 429, retryAfterMs: undefined, retryInMs: undefined },
    ]);
  });

  it("lets maxRetryAfterMs (not maxDelayMs) cap Retry-After", async () => {
    const { client, clock } = makeClient(
      withTokens((_r, i) => (i === 1 ? json(429, {}, { "Retry-After": "30" }) : ok())),
      {
        retry: { maxDelayMs: 100 },
      },
    );
    await client.send(new Request(url("/api/v1/teams/")));
    expect(clock.sleeps).toEqual([30_000]);
  });

  it("uses full jitter within min(maxDelayMs, base * 2^n) with a seeded random", async () => {
    const { client, clock } = makeClient(
      withTokens(() => json(503, {})),
      {
        retry: { retries: 6, baseDelayMs: 100, maxDelayMs: 1_000 },
        random: seededRandom(7),
      },
    );
    await client.send(new Request(url("/api/v1/teams/")));
    const expected = seededRandom(7);
    const policy = { ...DEFAULT_RETRY_POLICY, retries: 6, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(clock.sleeps).toEqual([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n, expected)));
    clock.sleeps.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(1_000, 100 * 2 ** n));
    });
  });

  it("backoff reaches the cap but never exceeds it", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 2_000 };
    expect(backoffDelay(policy, 10, () => 0.999999)).toBeLessThanOrEqual(2_000);
    expect(backoffDelay(policy, 10, () => 0.999999)).toBeGreaterThan(1_990);
    expect(backoffDelay(policy, 0, () => 0.999999)).toBeLessThan(500);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});

describe("timeouts and aborts", () => {
  it("times out when headers never arrive (CertnTimeoutError, code CERTN_TIMEOUT)", async () => {
    const { client, server } = makeClient(withTokens(hang), { timeoutMs: 20, retry: { retries: 1 } });
    const error = await rejectionOf(client.send(new Request(url("/api/v1/teams/"))));
    expect(isCertnTimeoutError(error)).toBe(true);
    expect(code(error)).toBe(CertnErrorCode.TIMEOUT);
    expect(server.api()).toHaveLength(2);
  });

  it("times out even when the fetch ignores the abort signal", async () => {
    const { client } = makeClient(
      withTokens(() => new Promise<Response>(() => undefined)),
      {
        timeoutMs: 20,
        retry: { retries: 0 },
      },
    );
    expect(isCertnTimeoutError(await rejectionOf(client.send(new Request(url("/api/v1/teams/")))))).toBe(
      true,
    );
  });

  it("aborts a body that stalls after the headers", async () => {
    const { client } = makeClient(
      withTokens(() => partialBody()),
      { timeoutMs: 30 },
    );
    const response = await client.send(new Request(url("/api/v1/teams/")));
    expect(response.status).toBe(200);
    const error = await rejectionOf(response.text());
    expect(isCertnTimeoutError(error)).toBe(true);
  });

  it("reports the caller's abort as the caller's, not as a timeout", async () => {
    const { client } = makeClient(withTokens(hang), { timeoutMs: 10_000 });
    const controller = new AbortController();
    const reason = new Error("caller gave up");
    const pending = client.send(new Request(url("/api/v1/teams/")), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 5);
    const error = await rejectionOf(pending);
    expect(error).toBe(reason);
    expect(isCertnTimeoutError(error)).toBe(false);
  });

  it("rejects at once with the caller's reason when already aborted", async () => {
    const { client, server } = makeClient(withTokens(ok));
    const controller = new AbortController();
    controller.abort();
    const error = await rejectionOf(
      client.send(new Request(url("/api/v1/teams/")), { signal: controller.signal }),
    );
    expect((error as Error).name).toBe("AbortError");
    expect(server.api()).toHaveLength(0);
  });

  it("fails reading beyond maxBodyBytes with CERTN_RESPONSE_TOO_LARGE without reading the rest", async () => {
    let pulled = 0;
    const { client } = makeClient(
      withTokens(
        () =>
          new Response(
            new ReadableStream<Uint8Array>({
              pull(controller) {
                pulled += 1;
                controller.enqueue(new Uint8Array(1024));
                if (pulled > 1000) controller.close();
              },
            }),
          ),
      ),
    );
    const response = await client.send(new Request(url("/api/v1/teams/")), { maxBodyBytes: 4096 });
    const error = await rejectionOf(response.arrayBuffer());
    expect(isCertnResponseError(error)).toBe(true);
    expect(code(error)).toBe(CertnErrorCode.RESPONSE_TOO_LARGE);
    expect(pulled).toBeLessThan(20);
  });
});

describe("what counts as a network failure", () => {
  it("a request that cannot be built is CERTN_INVALID_REQUEST: nothing sent, not retried, no value echoed", async () => {
    const server = fakeFetch(() => json(200, {}));
    const client = createCertnClient({
      tokenProvider: async () => "tok\nsplit-header-value",
      fetch: server.fetch,
    });
    const error = await rejectionOf(client.send(new Request(url("/api/v1/teams/"))));
    expect(code(error)).toBe(CertnErrorCode.INVALID_REQUEST);
    expect(isCertnNetworkError(error)).toBe(false);
    expect(server.seen).toHaveLength(0);
    for (const text of [String(error), JSON.stringify(error), (error as Error).stack ?? ""]) {
      expect(text).not.toContain("split-header-value");
    }
  });

  it("fetch's own rejection (a TypeError) is CERTN_NETWORK", async () => {
    const { client } = makeClient(
      withTokens(() => Promise.reject(new TypeError("fetch failed"))),
      {
        retry: { retries: 0 },
      },
    );
    expect(isCertnNetworkError(await rejectionOf(client.send(new Request(url("/api/v1/teams/")))))).toBe(
      true,
    );
  });

  it("a connection that breaks while the body is read is CERTN_NETWORK, not a bare TypeError", async () => {
    const { client } = makeClient(withTokens(() => partialBody(new TypeError("terminated"))));
    const response = await client.send(new Request(url("/api/v1/teams/")));
    const error = await rejectionOf(response.text());
    expect(isCertnNetworkError(error)).toBe(true);
    expect((error as Error).message).toMatch(/connection failed while the body was read/);
  });
});

describe("egress, redirects and headers", () => {
  it("never follows a redirect, and nothing reaches the other origin", async () => {
    const { client, server } = makeClient(
      withTokens((r) =>
        r.path === "/api/v1/teams/"
          ? new Response(null, { status: 302, headers: { Location: "https://evil.example/steal" } })
          : ok(),
      ),
    );
    const response = await client.send(new Request(url("/api/v1/teams/")));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://evil.example/steal");
    expect(server.seen.every((r) => r.url.startsWith(`${BASE}/`))).toBe(true);
    expect(server.seen.every((r) => r.redirect === "manual")).toBe(true);
  });

  it("refuses another origin before anything is sent", async () => {
    const { client, server } = makeClient(withTokens(ok));
    for (const target of [
      "https://evil.example/api/",
      "http://demo-api.certn.co/api/",
      "https://demo-api.certn.co:8443/",
    ]) {
      const error = await rejectionOf(client.send(new Request(target)));
      expect(code(error)).toBe(CertnErrorCode.EGRESS_REFUSED);
      const viaFetch = await rejectionOf(client.fetch(target));
      expect(code(viaFetch)).toBe(CertnErrorCode.EGRESS_REFUSED);
    }
    expect(server.seen).toHaveLength(0);
  });

  it.each([
    "Authorization",
    "proxy-authorization",
    "COOKIE",
    "Host",
    "Content-Length",
    "Transfer-Encoding",
    "Connection",
    "Forwarded",
    "X-Forwarded-For",
    "x-forwarded-host",
    "Proxy-Connection",
    "X-HTTP-Method-Override",
  ])("refuses the caller header %s", async (name) => {
    const { client, server } = makeClient(withTokens(ok));
    const headers = new Headers();
    headers.set(name, "1");
    const error = await rejectionOf(client.send(new Request(url("/api/v1/teams/"), { headers })));
    expect(code(error)).toBe(CertnErrorCode.BLOCKED_HEADER);
    expect(server.seen).toHaveLength(0);
  });

  it("sends without a credential when auth is false", async () => {
    const { client, server } = makeClient(withTokens(ok));
    await client.send(new Request(url("/api/v1/teams/")), { auth: false });
    expect(server.tokens()).toHaveLength(0);
    expect(server.api()[0]?.headers.get("authorization")).toBeNull();
  });

  it("client.fetch resolves a path on the base URL and attaches the credential", async () => {
    const { client, server } = makeClient(withTokens(ok));
    const response = await client.fetch("/api/v1/teams/?page=2", { headers: { "X-Trace": "1" } });
    expect(response.status).toBe(200);
    expect(server.api()[0]?.url).toBe(`${BASE}/api/v1/teams/?page=2`);
    expect(server.api()[0]?.headers.get("authorization")).toBe("Bearer tok-1");
    expect(server.api()[0]?.headers.get("x-trace")).toBe("1");
  });

  it("ignores internal-only options passed to send", async () => {
    const { client, server } = makeClient(withTokens(ok));
    const sneaky = { trustedHeaders: { Cookie: "x" }, idempotent: false } as unknown as object;
    const response = await client.send(new Request(url("/api/v1/teams/")), sneaky);
    expect(response.status).toBe(200);
    expect(server.api()[0]?.headers.get("cookie")).toBeNull();
  });
});

describe("hooks", () => {
  it("awaits beforeAttempt and reports onAttempt once per attempt, 401 replay included", async () => {
    const { client } = makeClient(
      withTokens((r, i) =>
        r.headers.get("authorization") === "Bearer tok-1" ? json(401, {}) : i === 3 ? json(503, {}) : ok(),
      ),
    );
    let before = 0;
    const infos: AttemptInfo[] = [];
    const response = await client.send(new Request(url("/api/v1/teams/?secret=q")), {
      beforeAttempt: async () => {
        before += 1;
      },
      onAttempt: (info) => infos.push(info),
    });
    expect(response.status).toBe(200);
    expect(before).toBe(3);
    expect(infos.map((i) => [i.attempt, i.status, i.retryInMs !== undefined])).toEqual([
      [1, 401, true],
      [2, 503, true],
      [3, 200, false],
    ]);
    expect(infos.every((i) => i.url === `${BASE}/api/v1/teams/` && i.method === "GET")).toBe(true);
  });

  it("takes a synchronous beforeAttempt; one that throws fails the send with its error, nothing sent", async () => {
    const { client, server } = makeClient(withTokens(ok));
    let before = 0;
    const response = await client.send(new Request(url("/api/v1/teams/")), {
      beforeAttempt: () => {
        before += 1;
      },
    });
    expect(response.status).toBe(200);
    expect(before).toBe(1);
    const refusal = new Error("no slot");
    const sending = client.send(new Request(url("/api/v1/teams/")), {
      beforeAttempt: () => {
        throw refusal;
      },
    });
    expect(sending).toBeInstanceOf(Promise);
    expect(await rejectionOf(sending)).toBe(refusal);
    expect(server.api()).toHaveLength(1);
  });

  it("reports the error code of failed attempts", async () => {
    const { client } = makeClient(
      withTokens(() => Promise.reject(new TypeError("reset"))),
      { retry: { retries: 1 } },
    );
    const infos: AttemptInfo[] = [];
    await rejectionOf(client.send(new Request(url("/api/v1/teams/")), { onAttempt: (i) => infos.push(i) }));
    expect(infos.map((i) => i.errorCode)).toEqual([CertnErrorCode.NETWORK, CertnErrorCode.NETWORK]);
    expect(infos[0]?.retryInMs).toBeTypeOf("number");
    expect(infos[1]?.retryInMs).toBeUndefined();
  });
});
