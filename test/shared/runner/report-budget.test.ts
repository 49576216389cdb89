import { describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import {
  MAX_REPORTED_SOURCE_CHARACTERS,
  NOT_SHOWN,
  ReportBudget,
} from "../../../src/results/report-budget.ts";
import { runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, json } from "./helpers.ts";

const SECRET = "sk_live_4f7c2a9e1b3d";

/** A body of about 3 MB (over a quarter of the budget): 30,000 records, one holding the secret. */
function bigBody(): unknown {
  const records = Array.from({ length: 30_000 }, (_, index) => ({
    id: `case-${index}`,
    status: "COMPLETE",
    note: index === 0 ? `token ${SECRET}` : "n".repeat(64),
  }));
  return { count: records.length, records };
}

describe("what reports redact of one response is bounded", () => {
  it("shows the first whole-body values, then NOT_SHOWN, while every assertion still decides", async () => {
    const transport = createTestTransport(() => json(bigBody()));
    const item: Item = {
      name: "big",
      request: { method: "GET", url: "/api/v1/cases/" },
      // A hundred whole-body selections (each redacted whole before its 1 KB cut: 11 s before the
      // budget), then a small one.
      assert: [
        ...Array.from({ length: 100 }, () => ({ that: "$", exists: true })),
        { that: "status", equals: 200 },
      ],
    };
    const result = await runCollection(collectionOf([item]), {
      client: transport,
      secrets: { token: SECRET },
    });
    const assertions = result.items[0]?.assertions ?? [];
    expect(assertions).toHaveLength(101);
    expect(assertions.every((assertion) => assertion.passed)).toBe(true);
    const shownWhole = assertions.slice(0, 100).filter((assertion) => assertion.actual !== NOT_SHOWN);
    // 3 MB each: three fit in 10 MiB, the fourth does not, and none after it.
    expect(shownWhole).toHaveLength(3);
    expect(assertions[3]?.actual).toBe(NOT_SHOWN);
    for (const assertion of shownWhole) {
      expect(assertion.actual).toEqual(expect.stringContaining("[truncated,"));
      expect(JSON.stringify(assertion.actual)).not.toContain(SECRET);
      expect(JSON.stringify(assertion.actual)).toContain("[secret]");
    }
    // A small value after the budget is gone is still shown.
    expect(assertions[100]).toMatchObject({ that: "status", actual: 200, passed: true });
  });

  it("keeps a capture whole for the requests that send it, however little of it is shown", async () => {
    const transport = createTestTransport((request) =>
      new URL(request.url).pathname === "/api/v1/cases/" ? json(bigBody()) : json({ ok: true }),
    );
    const items: Item[] = [
      {
        name: "read",
        request: { method: "GET", url: "/api/v1/cases/" },
        capture: Object.fromEntries(Array.from({ length: 5 }, (_, index) => [`all${index}`, "$.records"])),
      },
      { name: "send", request: { method: "POST", url: "/api/v1/echo/", json: { last: "{{all4}}" } } },
    ];
    const result = await runCollection(collectionOf(items), {
      client: transport,
      secrets: { token: SECRET },
    });
    const captures = result.items[0]?.captures ?? {};
    expect(Object.values(captures).filter((value) => value === NOT_SHOWN)).toHaveLength(2);
    expect(captures.all4).toBe(NOT_SHOWN);
    // The variable itself was not cut: the next request sent all 30,000 records.
    expect(JSON.parse(transport.sent[1]?.body ?? "{}").last).toHaveLength(30_000);
  });

  it("measures each object once per response, however many selections report it", () => {
    const budget = new ReportBudget();
    let enumerations = 0;
    // A flat object of 100,000 keys: listing its keys costs all of them, whatever a count stops at.
    const flat = new Proxy(
      Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`k${index}`, index])),
      {
        ownKeys(target) {
          enumerations += 1;
          return Reflect.ownKeys(target);
        },
      },
    );
    const body = { flat, list: [flat] };
    for (let round = 0; round < 100; round += 1) {
      budget.afford(body);
      budget.afford(flat);
      budget.afford([flat, flat]);
    }
    expect(enumerations).toBe(1);
  });

  it("counts the keys of a large object for what rebuilding them costs", () => {
    // 100,000 keys are 1.3 MB of JSON, but redacting them is a hash table rebuilt four times.
    const flat = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`k${index}`, 1]));
    expect(new ReportBudget().afford(flat)).toBe(false);
    // The same keys spread over small objects cost their characters.
    const spread = Array.from({ length: 1_000 }, (_, row) =>
      Object.fromEntries(Array.from({ length: 100 }, (_, index) => [`k${row * 100 + index}`, 1])),
    );
    expect(new ReportBudget().afford(spread)).toBe(true);
  });

  it("measures a value that holds itself without looping", () => {
    const looped: Record<string, unknown> = { name: "x".repeat(5_000) };
    looped.self = looped;
    expect(new ReportBudget(6_000).afford(looped)).toBe(true);
  });

  it("always shows small values, and spends large ones from the limit", () => {
    const budget = new ReportBudget(10_000);
    expect(budget.afford("x".repeat(6_000))).toBe(true);
    expect(budget.afford("x".repeat(6_000))).toBe(false);
    expect(budget.afford({ small: "x".repeat(1_000) })).toBe(true);
    expect(budget.afford("x".repeat(5_000))).toBe(false);
    expect(new ReportBudget().limit).toBe(MAX_REPORTED_SOURCE_CHARACTERS);
  });
});
