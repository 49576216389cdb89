import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import { createCertnClient } from "../../../src/index.ts";
import { toItemError } from "../../../src/runner/errors.ts";
import { runCollection } from "../../../src/runner/index.ts";
import {
  CENTRIC_RATE_LIMIT,
  defaultRateLimit,
  PARTNER_RATE_LIMIT,
} from "../../../src/runner/rate-limiter.ts";
import { collectionOf, createTestTransport, json } from "./helpers.ts";

function one(
  item: Partial<Item> & { request: NonNullable<Extract<Item, { request: unknown }>["request"]> },
): Item[] {
  return [{ name: "item", ...item }];
}

describe("egress", () => {
  const refused = [
    "https://evil.test/api/",
    "https://demo-api.certn.co@evil.test/",
    "https://user:pw@demo-api.certn.co/api/",
    "https://demo-api.certn.co.evil.test/",
    "https://demo-api.certn.co./api/",
    "https://demo-api.certn.co:8443/api/",
    "http://demo-api.certn.co/api/",
    "//evil.test/x",
    "\\\\evil.test\\x",
    "https://127.0.0.1/",
    "https://[::1]/",
    "https://2130706433/",
    "ftp://demo-api.certn.co/",
  ];
  for (const url of refused) {
    it(`refuses ${url} and sends nothing`, async () => {
      const transport = createTestTransport(() => json({}));
      const result = await runCollection(collectionOf(one({ request: { method: "GET", url } })), {
        client: transport,
      });
      expect(result.items[0]?.status).toBe("errored");
      expect(result.items[0]?.error?.code).toBe("CERTN_EGRESS_REFUSED");
      expect(transport.sent).toHaveLength(0);
      expect(transport.options).toHaveLength(0);
    });
  }

  it("refuses a templated host that resolves elsewhere, accepts one that resolves to the base origin", async () => {
    const transport = createTestTransport(() => json({}));
    const result = await runCollection(
      collectionOf([
        { name: "elsewhere", request: { method: "GET", url: "https://{{host}}/api/" } },
        { name: "same", request: { method: "GET", url: "https://{{sameHost}}/api/" } },
        { name: "path", request: { method: "GET", url: "{{base}}/api/v1/" } },
      ]),
      {
        client: transport,
        variables: { host: "evil.test", sameHost: "demo-api.certn.co", base: "https://demo-api.certn.co" },
      },
    );
    expect(result.items.map((item) => item.status)).toEqual(["errored", "passed", "passed"]);
    expect(transport.sent.map((request) => request.url)).toEqual([
      "https://demo-api.certn.co/api/",
      "https://demo-api.certn.co/api/v1/",
    ]);
  });

  it("never sends to a generated foreign URL (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.webUrl({ withQueryParameters: true, withFragments: true }), async (url) => {
        fc.pre(new URL(url).origin !== "https://demo-api.certn.co");
        const transport = createTestTransport(() => json({}));
        const result = await runCollection(collectionOf(one({ request: { method: "GET", url } })), {
          client: transport,
        });
        expect(transport.sent).toHaveLength(0);
        expect(result.items[0]?.status).toBe("errored");
      }),
      { numRuns: 60 },
    );
  });
});

describe("blocked headers", () => {
  for (const name of [
    "Authorization",
    "aUtHoRiZaTiOn",
    "COOKIE",
    "Host",
    "X-Forwarded-For",
    "proxy-foo",
    "X-HTTP-Method-Override",
  ]) {
    it(`refuses ${name} and sends nothing`, async () => {
      const transport = createTestTransport(() => json({}));
      const result = await runCollection(
        collectionOf(one({ request: { method: "GET", url: "/a", headers: { [name]: "x" } } })),
        { client: transport },
      );
      expect(result.items[0]?.error?.code).toBe("CERTN_BLOCKED_HEADER");
      expect(transport.sent).toHaveLength(0);
    });
  }

  it("sends ordinary headers with templated values", async () => {
    const transport = createTestTransport(() => json({}));
    await runCollection(
      collectionOf(
        one({ request: { method: "GET", url: "/a", headers: { "Accept-Language": "{{lang}}" } } }),
      ),
      { client: transport, variables: { lang: "fr" } },
    );
    expect(transport.sent[0]?.headers.get("accept-language")).toBe("fr");
  });
});

describe("paid orders guard and dry run", () => {
  const orders: Array<[string, string]> = [
    ["POST", "/api/v1/hr/applications/quick/"],
    ["POST", "/api/v1/pm/applications/invite/"],
    ["POST", "/hr/v1/applications/quick/"],
    ["POST", "/api/v2/applications/invite/"],
    ["PUT", "/api/v1/hr/applicants/123/packages/"],
    ["POST", "/api/public/cases/order/"],
    ["POST", "/api/public/cases/order-package/"],
    ["POST", "/api/v1/hr/applications/qu%69ck/"],
    // Spellings that once slipped through (issue 12.4).
    ["POST", "/api/v1/hr/applications//quick/"],
    ["POST", "/api/v1/hr/applications/quick//"],
    ["POST", "/api/v1/hr/applications/quick/;x"],
    ["POST", "/api/v1/hr/applications/quick/%2F"],
    ["POST", "/api/v1/hr/applications/quick.json"],
    ["POST", "/api/public//cases/order/"],
    ["PATCH", "/api/v1/hr/applicants/x/packages/"],
    ["PUT", "/api/v1/hr/applicants/x/packages/"],
    // A write the guard does not know to be free fails closed.
    ["POST", "/api/v1/hr/something-new/"],
  ];
  for (const [method, url] of orders) {
    it(`refuses ${method} ${url} on production, sends it with allowOrders`, async () => {
      const transport = createTestTransport(() => json({}, 201), "https://api.certn.co");
      const collection = collectionOf(one({ request: { method: method as "POST", url, json: {} } }));
      const refused = await runCollection(collection, { client: transport });
      expect(refused.items[0]?.error?.code).toBe("CERTN_ORDER_GUARD");
      expect(transport.sent).toHaveLength(0);
      const allowed = await runCollection(collection, { client: transport, allowOrders: true });
      expect(allowed.items[0]?.status).toBe("passed");
      expect(transport.sent).toHaveLength(1);
    });
  }

  it("guards a client whose base URL is spelled with a trailing dot or in capitals", async () => {
    const fetched: string[] = [];
    const client = createCertnClient({
      apiKey: "k",
      baseUrl: "https://API.certn.co.",
      fetch: async (input) => {
        fetched.push(String(input instanceof Request ? input.url : input));
        return json({}, 201);
      },
    });
    const transport = createTestTransport(() => json({}, 201), "https://API.Certn.co.");
    const collection = collectionOf(
      one({ request: { method: "POST", url: "/api/v1/hr/applications/quick/", json: {} } }),
    );
    for (const runner of [client, transport]) {
      const result = await runCollection(collection, { client: runner });
      expect(result.items[0]?.error?.code).toBe("CERTN_ORDER_GUARD");
    }
    expect(fetched).toHaveLength(0);
    expect(transport.sent).toHaveLength(0);
  });

  it("lets known-free writes through on production", async () => {
    const transport = createTestTransport(() => json({}), "https://api.ca.certn.co");
    const result = await runCollection(
      collectionOf([
        { name: "cancel", request: { method: "POST", url: "/api/public/cases/abc-123/cancel/", json: {} } },
        { name: "report", request: { method: "POST", url: "/api/public/cases/abc-123/generate-report/" } },
      ]),
      { client: transport },
    );
    expect(result.items.map((item) => item.status)).toEqual(["passed", "passed"]);
    expect(transport.sent).toHaveLength(2);
  });

  it("lets orders through on the demo API and on non-order routes in production", async () => {
    const demo = createTestTransport(() => json({}, 201));
    const prod = createTestTransport(() => json({}), "https://api.ca.certn.co");
    const demoResult = await runCollection(
      collectionOf(one({ request: { method: "POST", url: "/api/v1/hr/applications/quick/", json: {} } })),
      { client: demo },
    );
    const prodResult = await runCollection(
      collectionOf(one({ request: { method: "GET", url: "/api/v1/hr/applications/quick/" } })),
      { client: prod },
    );
    expect(demoResult.items[0]?.status).toBe("passed");
    expect(prodResult.items[0]?.status).toBe("passed");
  });

  it("dry run resolves everything, sends nothing and flags orders", async () => {
    const transport = createTestTransport(() => json({}), "https://api.certn.co");
    const result = await runCollection(
      collectionOf([
        {
          name: "order",
          request: { method: "POST", url: "/api/v1/hr/applications/quick/", json: { email: "{{email}}" } },
          capture: { applicantId: "$.id" },
        },
        { name: "read", request: { method: "GET", url: "/api/v1/hr/applicants/{{applicantId}}/" } },
        { name: "broken", request: { method: "GET", url: "/x/{{nope}}" } },
      ]),
      { client: transport, dryRun: true, variables: { email: "a@b.c" } },
    );
    expect(transport.sent).toHaveLength(0);
    expect(transport.options).toHaveLength(0);
    expect(result.dryRun).toBe(true);
    expect(result.items.map((item) => item.status)).toEqual(["skipped", "skipped", "errored"]);
    expect(result.items[0]).toMatchObject({
      wouldOrder: true,
      request: { method: "POST", url: "https://api.certn.co/api/v1/hr/applications/quick/" },
    });
    expect(result.items[1]?.request?.url).toBe("https://api.certn.co/api/v1/hr/applicants/:applicantId/");
    expect(result.summary.requests).toBe(0);
  });
});

describe("responses", () => {
  it("errors a response larger than 5 MB without reading it all", async () => {
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const transport = createTestTransport(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull(controller) {
              pulled += 1;
              controller.enqueue(chunk);
              if (pulled > 100) controller.close();
            },
          }),
        ),
    );
    const result = await runCollection(collectionOf(one({ request: { method: "GET", url: "/big" } })), {
      client: transport,
    });
    expect(result.items[0]?.status).toBe("errored");
    expect(result.items[0]?.error?.code).toBe("CERTN_RESPONSE_TOO_LARGE");
    expect(result.items[0]?.error?.message).toMatch(/response too large/);
    expect(pulled).toBeLessThan(10);
  });

  it("errors at once on a Content-Length over the cap", async () => {
    const transport = createTestTransport(
      () => new Response("{}", { headers: { "content-length": String(6 * 1024 * 1024) } }),
    );
    const result = await runCollection(collectionOf(one({ request: { method: "GET", url: "/big" } })), {
      client: transport,
    });
    expect(result.items[0]?.error?.code).toBe("CERTN_RESPONSE_TOO_LARGE");
  });

  it("reports transport errors with their code", async () => {
    const transport = createTestTransport(() => {
      throw Object.assign(new Error("attempt timed out after 10 ms"), { code: "CERTN_TIMEOUT" });
    });
    const result = await runCollection(collectionOf(one({ request: { method: "GET", url: "/slow" } })), {
      client: transport,
    });
    expect(result.items[0]).toMatchObject({
      status: "errored",
      error: { code: "CERTN_TIMEOUT" },
      attempts: 1,
    });
  });
});

describe("what counts as a network failure", () => {
  it("a bare TypeError from the transport or its body is CERTN_NETWORK", async () => {
    const failing = createTestTransport(() => {
      throw new TypeError("fetch failed");
    });
    const broken = createTestTransport(
      () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.error(new TypeError("terminated"));
            },
          }),
        ),
    );
    for (const transport of [failing, broken]) {
      const result = await runCollection(collectionOf(one({ request: { method: "GET", url: "/a" } })), {
        client: transport,
      });
      expect(result.items[0]?.error?.code).toBe("CERTN_NETWORK");
    }
  });

  it("a TypeError from anywhere else is a bug (CERTN_UNEXPECTED), never a network failure", () => {
    expect(toItemError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toEqual({
      code: "CERTN_UNEXPECTED",
      message: "TypeError: Cannot read properties of undefined (reading 'x')",
    });
    expect(toItemError(Object.assign(new TypeError("x"), { code: "CERTN_TIMEOUT" })).code).toBe(
      "CERTN_TIMEOUT",
    );
  });
});

describe("default rate limit", () => {
  it("is 60/min for CertnCentric hosts and /api/public/ paths, 240/min otherwise", () => {
    expect(defaultRateLimit("https://api.sandbox.certn.co", [])).toEqual(CENTRIC_RATE_LIMIT);
    expect(defaultRateLimit("https://api.ca.certn.co", [])).toEqual(CENTRIC_RATE_LIMIT);
    expect(defaultRateLimit("https://demo-api.certn.co", ["/api/public/cases/"])).toEqual(CENTRIC_RATE_LIMIT);
    expect(defaultRateLimit("https://demo-api.certn.co", ["/api/v1/hr/applicants/"])).toEqual(
      PARTNER_RATE_LIMIT,
    );
    expect(defaultRateLimit("https://api.certn.co", [])).toEqual(PARTNER_RATE_LIMIT);
    expect(defaultRateLimit("https://api.evilcertn.co", [])).toEqual(PARTNER_RATE_LIMIT);
  });
});

describe("programmer errors and malformed collections", () => {
  it("throws a TypeError without a client", async () => {
    await expect(runCollection(collectionOf([]), {} as never)).rejects.toThrow(TypeError);
  });

  it("returns an errored result for a collection that is not one", async () => {
    const transport = createTestTransport(() => json({}));
    const result = await runCollection({ name: "x" } as never, { client: transport });
    expect(result.summary.errored).toBe(1);
    expect(result.items[0]?.error?.code).toBe("CERTN_INVALID_COLLECTION");
  });

  it("errors malformed items one by one", async () => {
    const transport = createTestTransport(() => json({}));
    const result = await runCollection(
      collectionOf([
        { name: "nothing" } as never,
        { name: "bad method", request: { method: "BREW", url: "/" } } as never,
        { name: "ok", request: { method: "GET", url: "/" } },
      ]),
      { client: transport },
    );
    expect(result.items.map((item) => [item.status, item.error?.code])).toEqual([
      ["errored", "CERTN_INVALID_ITEM"],
      ["errored", "CERTN_INVALID_REQUEST"],
      ["passed", undefined],
    ]);
  });
});
