import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalOrigin, checkEgress, parseBaseUrl } from "../../../src/core/origin.ts";
import {
  CERTN_CENTRIC_SANDBOX_URL,
  CERTN_DEMO_URL,
  CERTN_PRODUCTION_URL,
  CertnErrorCode,
  createCertnClient,
} from "../../../src/index.ts";
import { BASE, fakeFetch, json, makeClient, rejectionOf, withTokens } from "./harness.ts";

const hostile = [
  "https://demo-api.certn.co@evil.test/",
  "https://user:pass@demo-api.certn.co/api/v1/teams/",
  "https://demo-api.certn.co.evil.test/",
  "https://demo-api.certn.co./api/",
  "https://evil.test/demo-api.certn.co/",
  "https://2130706433/",
  "https://0177.0.0.1/",
  "https://0x7f.0.0.1/",
  "https://127.1/",
  "https://[::1]/",
  "https://[::ffff:127.0.0.1]/",
  "https://demo-api.certn.co:444/",
  "https://demo-api.certn.co:80/",
  "http://demo-api.certn.co/",
  "ws://demo-api.certn.co/",
  "ftp://demo-api.certn.co/",
  "file:///etc/passwd",
  "data:text/plain,hi",
  "//evil.test/x",
  "https://api.certn.co/",
];

describe("base URL", () => {
  it("defaults to the demo API; production and sandbox are exported", () => {
    const client = createCertnClient({ clientId: "a", clientSecret: "b" });
    expect(client.baseUrl).toBe(CERTN_DEMO_URL);
    expect(CERTN_DEMO_URL).toBe("https://demo-api.certn.co");
    expect(CERTN_PRODUCTION_URL).toBe("https://api.certn.co");
    expect(CERTN_CENTRIC_SANDBOX_URL).toBe("https://api.sandbox.certn.co");
    expect(createCertnClient({ apiKey: "k" }).baseUrl).toBe(CERTN_DEMO_URL);
  });

  it.each(["http://localhost:8788", "http://127.0.0.1:8788/", "http://127.5.6.7", "http://[::1]:9000"])(
    "accepts http: on the loopback host %s",
    (base) => {
      expect(parseBaseUrl(base)).toBe(new URL(base).origin);
    },
  );

  it.each([
    "http://demo-api.certn.co",
    "http://10.0.0.1",
    "http://localhost.evil.test",
    "ftp://demo-api.certn.co",
    "https://user:pw@demo-api.certn.co",
    "https://demo-api.certn.co/api/v1/",
    "not a url",
  ])("refuses %s with a TypeError", (base) => {
    expect(() => createCertnClient({ clientId: "a", clientSecret: "b", baseUrl: base })).toThrow(TypeError);
  });

  it("normalises the base URL to its origin", () => {
    expect(createCertnClient({ apiKey: "k", baseUrl: "HTTPS://Demo-API.certn.co:443/" }).baseUrl).toBe(BASE);
  });

  it("drops the trailing dot of a fully qualified host, so every check sees one origin", () => {
    expect(parseBaseUrl("https://api.certn.co.")).toBe(CERTN_PRODUCTION_URL);
    expect(createCertnClient({ apiKey: "k", baseUrl: "https://API.Certn.CO./" }).baseUrl).toBe(
      CERTN_PRODUCTION_URL,
    );
    expect(parseBaseUrl("http://localhost.:8788")).toBe("http://localhost:8788");
    expect(canonicalOrigin("https://api.ca.certn.co.:443/x?y")).toBe("https://api.ca.certn.co");
    for (const base of ["https://api.certn.co..", "https://.", "https://a..certn.co"]) {
      expect(() => parseBaseUrl(base)).toThrow(/empty labels/);
      expect(canonicalOrigin(base)).toBeUndefined();
    }
  });

  it("still refuses a request URL spelled with a trailing dot (not normalised, refused)", async () => {
    const seen: string[] = [];
    const client = createCertnClient({
      apiKey: "k",
      baseUrl: "https://api.certn.co.",
      fetch: async (input) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return new Response("{}");
      },
    });
    const error = await client
      .send(new Request("https://api.certn.co./api/v1/users/"))
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("CERTN_EGRESS_REFUSED");
    expect((await client.send(new Request("https://api.certn.co/api/v1/users/"))).status).toBe(200);
    expect(seen).toEqual(["https://api.certn.co/api/v1/users/"]);
  });

  it("refuses option mistakes with clear TypeErrors", () => {
    expect(() => createCertnClient({} as never)).toThrow(/credentials are required/);
    expect(() => createCertnClient({ clientId: "a", clientSecret: "b", apiKey: "c" } as never)).toThrow(
      /exactly one/,
    );
    expect(() => createCertnClient({ clientId: "", clientSecret: "c" })).toThrow(/clientId/);
    expect(() => createCertnClient({ clientId: "a", clientSecret: "" })).toThrow(/clientSecret/);
    expect(() => createCertnClient({ apiKey: "k", apiKeyScheme: "Token" as never })).toThrow(/apiKeyScheme/);
    expect(() => createCertnClient({ apiKey: "k", timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createCertnClient({ apiKey: "k", retry: { retries: -1 } })).toThrow(/retries/);
    expect(() => createCertnClient({ apiKey: "k", tokenStore: {} as never })).toThrow(/tokenStore/);
  });
});

describe("egress check", () => {
  it.each(hostile)("refuses %s and sends nothing", async (target) => {
    const { client, server } = makeClient(withTokens(() => json(200, {})));
    const error = await rejectionOf(client.fetch(target));
    expect((error as { code?: string }).code).toBe(CertnErrorCode.EGRESS_REFUSED);
    expect(server.seen).toHaveLength(0);
  });

  const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  const hostileUrl = fc.oneof(
    // user info in front of the real host or of another host
    fc
      .tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.constantFrom("demo-api.certn.co", "evil.test"))
      .map(([user, host]) => `https://${user}@${host}/x`),
    fc.tuple(label, label).map(([a, b]) => `https://${a}:${b}@demo-api.certn.co/`),
    // suffix and prefix tricks, trailing dots
    label.map((l) => `https://demo-api.certn.co.${l}.test/`),
    label.map((l) => `https://${l}.demo-api.certn.co/`),
    label.map((l) => `https://${l}demo-api.certn.co/`),
    fc.constantFrom("https://demo-api.certn.co./", "https://demo-api.certn.co../"),
    // IPv4 literals in dotted, decimal, octal and hex notation
    fc
      .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
      .chain(([a, b, c, d]) =>
        fc.constantFrom(
          `https://${a}.${b}.${c}.${d}/`,
          `https://${((a << 24) >>> 0) + (b << 16) + (c << 8) + d}/`,
          `https://0${a.toString(8)}.0${b.toString(8)}.0${c.toString(8)}.0${d.toString(8)}/`,
          `https://0x${a.toString(16)}.0x${b.toString(16)}.${c}.${d}/`,
        ),
      ),
    // IPv6 literals
    fc
      .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
      .map((parts) => `https://[${parts.map((p) => p.toString(16)).join(":")}]/`),
    // other ports and schemes
    fc
      .integer({ min: 1, max: 65535 })
      .filter((p) => p !== 443)
      .map((p) => `https://demo-api.certn.co:${p}/`),
    fc
      .constantFrom("http", "ws", "wss", "ftp", "file", "javascript", "data")
      .map((s) => `${s}://demo-api.certn.co/`),
  );

  it("property: hostile URLs are refused with CERTN_EGRESS_REFUSED and nothing is sent", async () => {
    const server = fakeFetch(() => json(200, {}));
    const client = createCertnClient({ apiKey: "k", baseUrl: BASE, fetch: server.fetch });
    await fc.assert(
      fc.asyncProperty(hostileUrl, async (target) => {
        const error = await rejectionOf(client.fetch(target));
        expect((error as { code?: string }).code).toBe(CertnErrorCode.EGRESS_REFUSED);
        expect(() => checkEgress(target, BASE)).toThrow();
      }),
      { numRuns: 300 },
    );
    expect(server.seen).toHaveLength(0);
  });

  it("property: any path and query on the base origin is allowed", () => {
    fc.assert(
      fc.property(fc.webPath(), fc.webQueryParameters(), (path, query) => {
        const target = `${BASE}${path.startsWith("/") ? path : `/${path}`}?${query}`;
        expect(checkEgress(target, BASE).origin).toBe(BASE);
      }),
    );
  });
});
