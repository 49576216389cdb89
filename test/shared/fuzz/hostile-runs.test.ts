/**
 * Issue 12's fuzz test: random collections full of known-catastrophic patterns (nested
 * quantifiers, alternation under a star, backreferences), nested JSONPath descendants and filters,
 * and expensive JSON Schemas, run by the real runner and client (dry and real) against responses
 * that are deep, wide, long or not JSON at all. Every case must end within its time budget with a
 * result or clear validation issues: never a thrown exception, a stack overflow or a hang. Runs in
 * Node and inside workerd (where the clock may stand still during CPU work, so there the budget
 * holds trivially and the test timeout is what catches a hang).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonDepthExceeds, MAX_JSON_DEPTH } from "../../../src/core/json.ts";
import { createCertnClient } from "../../../src/index.ts";
import {
  MAX_JSONPATH_SHARED_VISITS,
  MAX_JSONPATH_VISITS,
  parseCollection,
  type RunResult,
  runCollection,
} from "../../../src/runner/index.ts";

/**
 * Longest one evaluation (an assertion or a skipIf condition) may take. The work budgets end the
 * worst one in a few tenths of a second on a quiet machine; an unbounded catastrophic pattern or
 * path takes minutes. The margin is for a loaded 2-core machine. A case may take this much per
 * evaluation it holds.
 */
const EVALUATION_BUDGET_MS = 2_000;

function chain(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
}

/** A document under the depth limit where nested descendants are cubic: 90 levels, each with a fan. */
function deepAndWide(): unknown {
  let value: unknown = { a: 1 };
  for (let level = 0; level < 90; level++) {
    value = { a: value, b: Array.from({ length: 12 }, (_, index) => ({ a: index, t: "a".repeat(30) })) };
  }
  return value;
}

const BODIES: Record<string, string> = {
  tooDeep: JSON.stringify(chain(1500, "leaf")),
  deepAndWide: JSON.stringify(deepAndWide()),
  wide: JSON.stringify(
    Array.from({ length: 20_000 }, (_, id) => ({ id, a: { b: id % 7 }, t: `${"a".repeat(25)}!` })),
  ),
  longText: JSON.stringify({
    t: `${"a".repeat(60_000)}!`,
    b: Array.from({ length: 40 }, () => `${"a".repeat(2_000)}!`),
    [`${"a".repeat(500)}!`]: 1,
  }),
  notJson: `<html>${"(".repeat(20_000)}</html>`,
  empty: "",
};

/** Backtracking engines take time exponential in the text on these. */
const CATASTROPHIC = [
  "^(a+)+$",
  "(a|a)*b",
  "^(a*)*$",
  "^(a|aa)+$",
  "(.*a){12}",
  "((a+)+)+c",
  "^(\\w+\\s?)*$",
  "(a+)+(b+)+$",
  "^([a-z]+)*!$",
];
/** Only backtracking can run these: validation refuses them. */
const BACKTRACKING_ONLY = ["(a+)\\1$", "(?=(a+))\\1", "(?<=a+)b", "(?<x>a)\\k<x>"];

const pattern = fc.oneof(
  { arbitrary: fc.constantFrom(...CATASTROPHIC), weight: 6 },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom("a", "\\w", ".", "[a-z]", "(a|aa)", "(a|a?)"),
        fc.constantFrom("+", "*", "{1,20}"),
        fc.constantFrom("+", "*", "{2,}"),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom("$", "!", "b", ""),
      )
      .map(([atom, inner, outer, depth, end]) => {
        let source = `${atom}${inner}`;
        for (let level = 0; level < depth; level++) source = `(${source})${outer}`;
        return `^${source}${end}`;
      }),
  },
  // Rarer, since one refused pattern refuses the whole collection.
  { arbitrary: fc.constantFrom(...BACKTRACKING_ONLY), weight: 1 },
);

const hostileText = fc
  .tuple(fc.integer({ min: 20, max: 60_000 }), fc.constantFrom("!", "b", ""))
  .map(([length, end]) => `${"a".repeat(length)}${end}`);

const jsonPath = fc
  .array(
    fc.constantFrom(
      "..*",
      "..a",
      "..[?@..a]",
      "[?@..[?@..a]]",
      "..[?@..[?@..a]]",
      "[*]",
      ".a",
      ".b[*]",
      "..[?match(@, '(a+)+$')]",
      "..[?search(@.t, '(a|a)*!')]",
      "..[?@ == $]",
      "..[?@.a == $.b[0].a]",
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((segments) => `$${segments.join("")}`);

function refFanOut(depth: number): Record<string, unknown> {
  const $defs: Record<string, unknown> = { [`d${depth}`]: { type: ["string", "number", "object", "array"] } };
  for (let level = 0; level < depth; level++) {
    $defs[`d${level}`] = { anyOf: [{ $ref: `#/$defs/d${level + 1}` }, { $ref: `#/$defs/d${level + 1}` }] };
  }
  return { $defs, allOf: [{ $ref: "#/$defs/d0" }, { $ref: "#/$defs/d0" }] };
}

const schema = fc.oneof(
  pattern.map((source) => ({ type: "string", pattern: source })),
  pattern.map((source) => ({
    patternProperties: { [source]: { type: "number" } },
    additionalProperties: true,
  })),
  pattern.map((source) => ({ items: { properties: { t: { pattern: source } } } })),
  pattern.map((source) => ({ properties: { b: { items: { pattern: source, format: "url" } } } })),
  fc.integer({ min: 10, max: 40 }).map(refFanOut),
  fc.constant({ uniqueItems: true }),
  fc.constant({ format: "url" }),
);

const selector = fc.oneof(jsonPath, fc.constantFrom("body", "$.t", "$[*].t", "$..t", "var long"));

const assertion = fc.oneof(
  fc.tuple(selector, pattern).map(([that, matches]) => ({ that, matches })),
  jsonPath.map((that) => ({ that, exists: true })),
  fc.tuple(selector, schema).map(([that, value]) => ({ that, schema: value })),
);

const item = fc.record(
  {
    name: fc.constantFrom("one", "two"),
    request: fc.constant({ method: "GET", url: "/api/v1/x/" }),
    skipIf: fc.array(
      pattern.map((matches) => ({ that: "var long", matches })),
      { maxLength: 1 },
    ),
    assert: fc.array(assertion, { minLength: 1, maxLength: 2 }),
  },
  { requiredKeys: ["name", "request", "assert"] },
);

const hostileCase = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 2 }),
  body: fc.constantFrom(...Object.keys(BODIES)),
  long: hostileText,
  dryRun: fc.boolean(),
});

type Case = typeof hostileCase extends fc.Arbitrary<infer T> ? T : never;
/** A case as runCase takes it: the generated ones, or items written out (parsed like any collection). */
type RunInput = Pick<Case, "body" | "long" | "dryRun"> & { items: readonly unknown[] };

const STATUSES = new Set(["passed", "failed", "errored", "skipped"]);

/** Runs one case as a user would: validate, then run with the real client over a hostile fetch. */
async function runCase(input: RunInput): Promise<{ issues: number; result?: RunResult }> {
  const parsed = parseCollection({ formatVersion: 1, name: "fuzz", items: input.items });
  if (!parsed.ok) {
    for (const issue of parsed.issues) {
      expect(issue.path).toMatch(/^(\/|$)/);
      expect(issue.message.length).toBeGreaterThan(0);
    }
    expect(parsed.issues.length).toBeGreaterThan(0);
    return { issues: parsed.issues.length };
  }
  const body = BODIES[input.body] ?? "";
  const client = createCertnClient({
    apiKey: "fuzz-api-key",
    retry: { retries: 0 },
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } }),
  });
  const result = await runCollection(parsed.collection, {
    client,
    dryRun: input.dryRun,
    variables: { long: input.long },
  });
  return { issues: 0, result };
}

/** What a `$` selector on a body nested deeper than MAX_JSON_DEPTH fails with. */
const TOO_DEEP = `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels, the most the runner reads`;

function checkResult(result: RunResult, input: Case): void {
  expect(result.items.length).toBeGreaterThan(0);
  for (const entry of result.items) {
    expect(STATUSES.has(entry.status)).toBe(true);
    const text = JSON.stringify(entry);
    expect(text).not.toMatch(/call stack|too much recursion/i);
    if (entry.status === "errored") expect(entry.error?.code).not.toBe("CERTN_UNEXPECTED");
    // A body nested too deep no longer errors its item: each `$` selector on it fails, saying so.
    expect(entry.error?.code).not.toBe("CERTN_RESPONSE_TOO_DEEP");
    if (input.body === "tooDeep" && !input.dryRun && entry.status !== "skipped") {
      expect(entry.status).not.toBe("errored");
      for (const outcome of entry.assertions.filter((assertion) => assertion.that.startsWith("$"))) {
        expect(outcome).toMatchObject({
          passed: false,
          message: `cannot apply ${outcome.that}: ${TOO_DEEP}`,
        });
      }
    }
  }
}

describe("hostile collections and responses", () => {
  it("every case ends in time with a result or clear issues", async () => {
    const seen = { issues: 0, results: 0 };
    await fc.assert(
      fc.asyncProperty(hostileCase, async (input) => {
        const started = performance.now();
        const outcome = await runCase(input);
        const elapsed = performance.now() - started;
        const evaluations = input.items.reduce(
          (sum, entry) => sum + entry.assert.length + (entry.skipIf?.length ?? 0),
          0,
        );
        expect(elapsed).toBeLessThan(EVALUATION_BUDGET_MS * evaluations);
        if (outcome.result === undefined) {
          seen.issues++;
          return;
        }
        seen.results++;
        checkResult(outcome.result, input);
      }),
      { numRuns: 60, endOnFailure: true },
    );
    // The generators reach both outcomes: refused up front, and run.
    expect(seen.issues).toBeGreaterThan(0);
    expect(seen.results).toBeGreaterThan(0);
  }, 120_000);

  it("fails the $ selectors of an item whose response nests deeper than the limit, and nothing else", async () => {
    const deep = BODIES.tooDeep as string;
    expect(jsonDepthExceeds(JSON.parse(deep), MAX_JSON_DEPTH)).toBe(true);
    const { result } = await runCase({
      items: [
        {
          name: "one",
          request: { method: "GET", url: "/api/v1/x/" },
          assert: [
            { that: "$..a", exists: true },
            { that: "status", equals: 200 },
            { that: "header content-type", equals: "application/json" },
            { that: "body", type: "string" },
          ],
        },
      ],
      body: "tooDeep",
      long: "a",
      dryRun: false,
    });
    // The body reaches no selector, comparison or report, parsed or as text (its personal fields
    // could not be masked by key): `$` and `body` fail saying why, while status and headers still
    // work. The item failed; nothing errored.
    expect(result?.items[0]).toMatchObject({
      status: "failed",
      error: null,
      response: { status: 200 },
      assertions: [
        { that: "$..a", op: "exists", passed: false, message: `cannot apply $..a: ${TOO_DEEP}` },
        { that: "status", op: "equals", expected: 200, actual: 200, passed: true },
        { that: "header content-type", op: "equals", actual: "application/json", passed: true },
        {
          that: "body",
          op: "type",
          expected: "string",
          passed: false,
          message: `cannot read body: ${TOO_DEEP}`,
        },
      ],
    });
    expect(result?.items[0]?.assertions).toHaveLength(4);
    expect(result?.summary).toMatchObject({ failed: 1, errored: 0, requests: 1 });
  });

  it("fails, not hangs, on each hostile shape", async () => {
    const cases: Array<[Case["items"][number]["assert"][number], string, RegExp]> = [
      [{ that: "$.t", matches: "^(a+)+$" }, "longText", /^$/],
      [{ that: "$..[?@..[?@..a]]", exists: true }, "deepAndWide", /JSONPath evaluation visited more than/],
      [{ that: "body", schema: refFanOut(40) }, "wide", /JSON Schema validation took more than/],
      [{ that: "body", schema: { uniqueItems: true } }, "wide", /JSON Schema validation took more than/],
      [
        { that: "$.b", schema: { items: { pattern: "^(a|aa)+$" } } },
        "longText",
        /String does not match pattern/,
      ],
    ];
    for (const [check, body, message] of cases) {
      const started = performance.now();
      const { result } = await runCase({
        items: [
          {
            name: "one",
            request: { method: "GET", url: "/api/v1/x/" },
            skipIf: [{ that: "var long", matches: "^(a|a)*$" }],
            assert: [check],
          },
        ],
        body,
        long: `${"a".repeat(50)}!`,
        dryRun: false,
      });
      expect(performance.now() - started).toBeLessThan(EVALUATION_BUDGET_MS * 2);
      const entry = result?.items[0];
      expect(entry?.status).toBe("failed");
      const failed = entry?.assertions.find((outcome) => !outcome.passed);
      expect(failed?.message ?? "").toMatch(message);
    }
  }, 60_000);

  it("bounds the JSONPath work of all of an item's assertions together, not only each one", async () => {
    const heavy = { that: "$..[?@..[?@..a]]", exists: true };
    const { result } = await runCase({
      items: [
        {
          name: "one",
          request: { method: "GET", url: "/api/v1/x/" },
          assert: [...Array.from({ length: 99 }, () => heavy), { that: "$.a.a.a", exists: true }],
        },
      ],
      body: "deepAndWide",
      long: "a",
      dryRun: false,
    });
    const messages = result?.items[0]?.assertions.map((outcome) => outcome.message ?? "passed") ?? [];
    expect(messages).toHaveLength(100);
    // Each heavy one stops at its own budget until the response's shared one is spent (a few of
    // them fit); every later one, the cheap last one included, stops at once, saying why.
    const own = messages.filter((message) =>
      /^cannot apply .*JSONPath evaluation visited more than/.test(message),
    );
    const shared = messages.filter((message) =>
      message.includes(
        `the JSONPath selections on this response visited more than ${MAX_JSONPATH_SHARED_VISITS.toLocaleString("en-US")} nodes in all`,
      ),
    );
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThanOrEqual(MAX_JSONPATH_SHARED_VISITS / MAX_JSONPATH_VISITS);
    expect(shared).toHaveLength(100 - own.length);
    expect(messages.at(-1)).toBe(shared.at(-1));
  }, 60_000);

  it("tests a hostile skipIf in a dry run, which needs no credential, at once", async () => {
    const started = performance.now();
    const { result } = await runCase({
      items: [
        {
          name: "one",
          request: { method: "GET", url: "/api/v1/x/" },
          skipIf: [{ that: "var long", matches: "^(a+)+$" }],
          assert: [{ that: "status", matches: "^(a|aa)+$" }],
        },
      ],
      body: "empty",
      long: `${"a".repeat(60_000)}!`,
      dryRun: true,
    });
    expect(performance.now() - started).toBeLessThan(EVALUATION_BUDGET_MS);
    expect(result?.items[0]).toMatchObject({ status: "skipped", skipReason: "dry run: nothing was sent" });
  });
});
