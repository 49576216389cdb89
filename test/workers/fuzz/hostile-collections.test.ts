/**
 * Issue 12 through the Worker, inside workerd: ad-hoc runs of collections full of catastrophic
 * patterns, nested JSONPath descendants and expensive schemas, dry (no credential needed) and
 * real (against upstream bodies that are deep, wide or long), each answered in time with a run
 * result or a 400 naming the pattern at its JSON Pointer, and `/health` answering after them all.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import {
  CALLER_SECRET,
  captureConsoleForFile,
  createHarness,
  type ErrorShape,
  jsonOf,
  unique,
} from "../worker/harness.ts";

captureConsoleForFile([CALLER_SECRET]);

/** Longest one request may take, with the work budgets holding every evaluation to a fraction of it. */
const REQUEST_BUDGET_MS = 10_000;

function deepAndWide(): unknown {
  let value: unknown = { a: 1 };
  for (let level = 0; level < 90; level++) {
    value = { a: value, b: Array.from({ length: 12 }, (_, index) => ({ a: index, t: "a".repeat(30) })) };
  }
  return value;
}

function chain(depth: number): unknown {
  let value: unknown = "leaf";
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

const BODIES = [
  JSON.stringify(deepAndWide()),
  JSON.stringify(chain(1500)),
  JSON.stringify({
    t: `${"a".repeat(60_000)}!`,
    b: Array.from({ length: 40 }, () => `${"a".repeat(2_000)}!`),
  }),
  JSON.stringify(Array.from({ length: 5_000 }, (_, id) => ({ id, a: { b: id % 7 } }))),
];

/** The body nested deeper than MAX_JSON_DEPTH (100), and what each `$` selector on it fails with. */
const TOO_DEEP_BODY = BODIES[1];
const TOO_DEEP = "the JSON body nests deeper than 100 levels, the most the runner reads";

/** An item of a run result, as the Worker answers it. */
interface RunItem {
  status: string;
  error: { code: string } | null;
  assertions: { that: string; passed: boolean; message?: string }[];
}

const CATASTROPHIC = ["^(a+)+$", "(a|a)*b", "^(a|aa)+$", "((a+)+)+c", "^(\\w+\\s?)*$", "(.*a){12}"];
const REFUSED = ["(a+)\\1$", "a(?=b)", "(?<!a)b"];
const PATHS = ["$..[?@..[?@..a]]", "$..[?@..a]..*", "$..[?search(@.t, '(a|a)*!')]", "$..*", "$.b[*]"];

const assertion = fc.oneof(
  fc
    .tuple(fc.constantFrom("$.t", "var long", "body"), fc.constantFrom(...CATASTROPHIC))
    .map(([that, matches]) => ({ that, matches })),
  fc.constantFrom(...PATHS).map((that) => ({ that, exists: true })),
  fc
    .constantFrom(...CATASTROPHIC)
    .map((pattern) => ({ that: "$.b", schema: { items: { pattern, format: "url" } } })),
  fc.constant({ that: "body", schema: { uniqueItems: true } }),
);

const hostileRun = fc.record({
  assert: fc.array(assertion, { minLength: 1, maxLength: 2 }),
  skipPattern: fc.constantFrom(...CATASTROPHIC),
  // Half the runs carry a refused pattern (fast-check's default makes it 5 in 6, and 15 runs of
  // only refusals would leave the runnable half of the property untested).
  refused: fc.option(fc.constantFrom(...REFUSED), { nil: undefined, freq: 2 }),
  body: fc.nat(BODIES.length - 1),
  dryRun: fc.boolean(),
});

describe("hostile collections posted to the Worker", () => {
  const sim = createCertnSimulator({
    clientId: unique("client"),
    clientSecret: `secret-${crypto.randomUUID()}`,
    rateLimit: false,
  });
  let body = BODIES[0] as string;
  // Tokens come from the simulator; every API response is the hostile body of the case.
  const certnFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.pathname === "/token/") return sim.fetch(input, init);
    return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
  const h = createHarness({ sim, app: { certnFetch } });

  it("answers every run in time with a result, or a 400 at the refused pattern", async () => {
    const seen = { refused: 0, ran: 0 };
    await fc.assert(
      fc.asyncProperty(hostileRun, async (input) => {
        body = BODIES[input.body] as string;
        const assert =
          input.refused === undefined
            ? input.assert
            : [...input.assert, { that: "$.t", matches: input.refused }];
        const collection = {
          formatVersion: 1,
          name: "hostile",
          items: [
            {
              name: "hostile",
              request: { method: "GET", url: "/api/v1/users/" },
              skipIf: [{ that: "var long", matches: input.skipPattern }],
              assert,
            },
          ],
        };
        const started = performance.now();
        const response = await h.call("/runs", {
          method: "POST",
          json: { collection, dryRun: input.dryRun, variables: { long: `${"a".repeat(5_000)}!` } },
        });
        expect(performance.now() - started).toBeLessThan(REQUEST_BUDGET_MS);
        if (input.refused !== undefined) {
          expect(response.status).toBe(400);
          const error = await jsonOf<ErrorShape>(response);
          expect(error.issues).toContainEqual({
            path: `/collection/items/0/assert/${assert.length - 1}/matches`,
            message: expect.stringContaining(`pattern ${JSON.stringify(input.refused)} cannot be used`),
          });
          seen.refused++;
          return;
        }
        expect(response.status).toBe(200);
        const result = await jsonOf<{ items: RunItem[] }>(response);
        const [entry] = result.items;
        // Nothing here errors an item: a body nested too deep fails its `$` selectors, saying so.
        expect(["passed", "failed", "skipped"]).toContain(entry?.status);
        expect(entry?.error ?? null).toBeNull();
        if (BODIES[input.body] === TOO_DEEP_BODY && !input.dryRun && entry?.status !== "skipped") {
          for (const outcome of entry?.assertions.filter((item) => item.that.startsWith("$")) ?? []) {
            expect(outcome).toMatchObject({
              passed: false,
              message: `cannot apply ${outcome.that}: ${TOO_DEEP}`,
            });
          }
        }
        expect(JSON.stringify(result)).not.toMatch(/call stack/i);
        seen.ran++;
      }),
      {
        numRuns: 15,
        endOnFailure: true,
        // One run that is never refused comes first, whatever the seed.
        examples: [
          [
            {
              assert: [{ that: "$.t", matches: CATASTROPHIC[0] as string }],
              skipPattern: CATASTROPHIC[0] as string,
              refused: undefined,
              body: 0,
              dryRun: false,
            },
          ],
        ],
      },
    );
    expect(seen.ran).toBeGreaterThan(0);
    const health = await h.call("/health", { auth: false });
    expect(health.status).toBe(200);
  }, 120_000);

  it("fails a nested-descendant assertion on its budget, and a $ selector on a too-deep response", async () => {
    const run = async (index: number, ...assert: Record<string, unknown>[]) => {
      body = BODIES[index] as string;
      const response = await h.call("/runs", {
        method: "POST",
        json: {
          collection: {
            formatVersion: 1,
            name: "budget",
            items: [
              {
                name: "deep",
                request: { method: "GET", url: "/api/v1/users/" },
                assert,
              },
            ],
          },
        },
      });
      expect(response.status).toBe(200);
      return (await jsonOf<{ items: Record<string, unknown>[] }>(response)).items[0];
    };
    const budget = await run(0, { that: "$..[?@..[?@..a]]", exists: true });
    expect(budget).toMatchObject({
      status: "failed",
      assertions: expect.arrayContaining([
        expect.objectContaining({
          message: expect.stringContaining("JSONPath evaluation visited more than"),
        }),
      ]),
    });
    // The too-deep body fails only its `$` selector, saying why; the status assertion passes.
    expect(await run(1, { that: "$..a", exists: true }, { that: "status", equals: 200 })).toMatchObject({
      status: "failed",
      error: null,
      assertions: [
        { that: "$..a", op: "exists", passed: false, message: `cannot apply $..a: ${TOO_DEEP}` },
        { that: "status", op: "equals", expected: 200, actual: 200, passed: true },
      ],
    });
  }, 60_000);
});
