import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Assertion, Item, JsonValue, RequestItem } from "../../../src/collection/model.ts";
import { runCollection, toJUnit, toText } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, FakeClock } from "./helpers.ts";

const selector = fc.constantFrom(
  "status",
  "duration",
  "body",
  "header x-a",
  "$.a",
  "$.b[0]",
  "$..c",
  "$.a[?@ > 1]",
  "var v",
);
const jsonValue: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>;
const templated = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom("{{v}}", "x{{v}}", "{{missing}}", "{{$uuid}}"),
);

const assertion: fc.Arbitrary<Assertion> = fc
  .tuple(
    selector,
    fc.oneof(
      fc.record({ equals: fc.oneof(jsonValue, templated, fc.constantFrom("2xx", "5xx")) }),
      fc.record({ notEquals: jsonValue }),
      fc.record({ exists: fc.boolean() }),
      fc.record({ type: fc.constantFrom("string", "number", "boolean", "object", "array", "null") }),
      fc.record({ matches: fc.constantFrom("^a", "/B/i", "(", "x{2,}") }),
      fc.record({ contains: fc.oneof(jsonValue, templated) }),
      fc.record({ oneOf: fc.array(jsonValue, { maxLength: 3 }) }),
      fc.record({ lessThan: fc.integer() }),
      fc.record({ length: fc.nat(5) }),
      fc.record({ startsWith: templated }),
      fc.record({
        schema: fc.constantFrom<Assertion["schema"]>({ type: "object" }, true, { $ref: "https://x.test/s" }),
      }),
    ),
  )
  .map(([that, op]) => ({ that, ...op }) as Assertion);

const requestItem: fc.Arbitrary<RequestItem> = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 10 }),
    request: fc.record(
      {
        method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        url: fc.constantFrom(
          "/a",
          "/b/{{v}}",
          "/c/{{id}}",
          "https://demo-api.certn.co/d",
          "https://evil.test/",
        ),
        query: fc.dictionary(fc.constantFrom("q", "r"), templated, { maxKeys: 2 }),
        headers: fc.dictionary(fc.constantFrom("X-A", "Accept-Language", "Cookie"), templated, {
          maxKeys: 2,
        }),
      },
      { requiredKeys: ["method", "url"] },
    ),
    assert: fc.array(assertion, { maxLength: 4 }),
    capture: fc.dictionary(fc.constantFrom("id", "v", "secretName"), selector, { maxKeys: 2 }),
    skip: fc.boolean(),
    skipIf: fc.array(fc.record({ that: fc.constant("var v"), equals: jsonValue }), { maxLength: 1 }),
    poll: fc.record({
      until: fc.array(assertion, { minLength: 1, maxLength: 2 }),
      failIf: fc.array(assertion, { maxLength: 1 }),
      intervalMs: fc.nat(5000),
      maxAttempts: fc.integer({ min: 1, max: 3 }),
    }),
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
  },
  { requiredKeys: ["name", "request"] },
) as fc.Arbitrary<RequestItem>;

const items: fc.Arbitrary<Item[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: requestItem },
    {
      weight: 1,
      arbitrary: fc.record({
        name: fc.string({ maxLength: 5 }),
        items: fc.array(requestItem, { maxLength: 2 }),
      }),
    },
  ),
  { minLength: 1, maxLength: 4 },
);

const reply = fc.record({
  status: fc.constantFrom(200, 201, 204, 302, 400, 404, 429, 500, 503),
  body: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    fc.string(),
    fc.constant(""),
  ),
  retryAfter: fc.option(fc.constantFrom("1", "120", "soon"), { nil: undefined }),
  throws: fc.boolean(),
});

function countRequests(list: readonly Item[]): number {
  return list.reduce((total, item) => total + ("items" in item ? countRequests(item.items) : 1), 0);
}

describe("runCollection never throws", () => {
  it("for arbitrary small collections against arbitrary responses", async () => {
    await fc.assert(
      fc.asyncProperty(
        items,
        fc.array(reply, { minLength: 1, maxLength: 6 }),
        fc.record({
          iterations: fc.integer({ min: 1, max: 2 }),
          concurrency: fc.integer({ min: 1, max: 3 }),
          bail: fc.boolean(),
          dryRun: fc.boolean(),
          includeBodies: fc.boolean(),
        }),
        async (list, replies, runOptions) => {
          const clock = new FakeClock();
          const transport = createTestTransport((_request, info) => {
            const next = replies[info.index % replies.length];
            if (!next) throw new Error("no reply");
            if (next.throws && info.index % 3 === 2) {
              throw Object.assign(new Error("connection reset"), { code: "CERTN_NETWORK" });
            }
            const headers: Record<string, string> =
              next.retryAfter === undefined ? {} : { "retry-after": next.retryAfter };
            const body = next.status === 204 ? null : next.body;
            return new Response(body, { status: next.status, headers });
          });
          const result = await runCollection(collectionOf(list, { variables: { v: "x" } }), {
            client: transport,
            secrets: { secretName: "hunter2" },
            now: clock.now,
            sleep: clock.sleep,
            rateLimit: false,
            ...runOptions,
          });
          expect(result.summary.items).toBe(countRequests(list) * runOptions.iterations);
          const { passed, failed, errored, skipped } = result.summary;
          expect(passed + failed + errored + skipped).toBe(result.summary.items);
          expect(result.summary.requests).toBe(transport.sent.length);
          if (runOptions.dryRun) expect(transport.sent).toHaveLength(0);
          expect(
            transport.sent.every((request) => request.url.startsWith("https://demo-api.certn.co/")),
          ).toBe(true);
          expect(() => JSON.stringify(result)).not.toThrow();
          expect(typeof toJUnit(result)).toBe("string");
          expect(typeof toText(result)).toBe("string");
          expect(JSON.stringify(result)).not.toContain("hunter2");
        },
      ),
      { numRuns: 60 },
    );
  });
});
