/**
 * The durable seam: a run driven through `steps` as a durable engine drives it (each exchange one
 * recorded step, a replay from the start after every pause) sends each request once and ends with
 * the result an in-process run gives.
 */
import { describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import type { JsonValue } from "../../../src/core/json.ts";
import { type DurableSteps, type RunResult, runCollection } from "../../../src/runner/index.ts";
import { collectionOf, createTestTransport, FakeClock, json } from "./helpers.ts";

const items: Item[] = [
  {
    name: "Order",
    request: { method: "POST", url: "/api/public/cases/order/", json: { email: "a@example.com" } },
    capture: { caseId: "$.id" },
    assert: [{ that: "status", equals: 201 }],
  },
  {
    name: "Case complete",
    request: { method: "GET", url: "/api/public/cases/{{caseId}}/" },
    poll: {
      until: [{ that: "$.overall_status", equals: "COMPLETE" }],
      intervalMs: 3_600_000,
      maxAttempts: 3,
    },
    capture: { status: "$.overall_status" },
    assert: [{ that: "status", equals: 200 }],
  },
  {
    name: "Report",
    request: { method: "GET", url: "/api/public/cases/{{caseId}}/report/" },
    assert: [{ that: "$.file_id", equals: "f-1" }],
  },
];

/** The API: an order, a case complete on the second look, a report. */
function api() {
  let looks = 0;
  return createTestTransport((request) => {
    if (request.method === "POST") return json({ id: "case-7" }, 201);
    if (request.url.endsWith("/report/")) return json({ file_id: "f-1" });
    looks += 1;
    return json({ overall_status: looks >= 2 ? "COMPLETE" : "IN_PROGRESS" });
  });
}

/**
 * A durable engine in miniature: step outputs kept as JSON text by name; a sleep not yet over
 * evicts the run (its promise never settles, as an instance goes to sleep) and is over on replay.
 */
function engine() {
  const recorded = new Map<string, string>();
  const calls: Array<{ name: string; writes: boolean; replayed: boolean }> = [];
  let evicted: () => void = () => undefined;
  const steps = (): { steps: DurableSteps; paused: Promise<void> } => {
    const paused = new Promise<void>((resolve) => {
      evicted = resolve;
    });
    return {
      paused,
      steps: {
        async exchange(name, options, exchange) {
          const kept = recorded.get(name);
          calls.push({ name, writes: options.writes, replayed: kept !== undefined });
          if (kept !== undefined) return JSON.parse(kept);
          const output = JSON.stringify(await exchange());
          recorded.set(name, output);
          return JSON.parse(output);
        },
        sleep(name) {
          if (recorded.has(name)) return Promise.resolve();
          recorded.set(name, "null");
          evicted();
          return new Promise<void>(() => undefined);
        },
      },
    };
  };
  return { recorded, calls, steps };
}

function comparable(result: RunResult): JsonValue {
  return JSON.parse(JSON.stringify(result.items.map(({ durationMs: _d, ...item }) => item))) as JsonValue;
}

describe("a durable run", () => {
  it("replays recorded steps without sending again and ends with the in-process result", async () => {
    const clock = new FakeClock();
    const transport = api();
    const durable = engine();

    // First invocation: runs until the poll's interval, where the engine evicts it.
    const first = durable.steps();
    void runCollection(collectionOf(items), { client: transport, steps: first.steps, now: clock.now });
    await first.paused;
    expect(transport.sent.map((sent) => sent.method)).toEqual(["POST", "GET"]);

    // Second invocation: replays the order and the first look, sends the second look and the report.
    const second = durable.steps();
    const result = await runCollection(collectionOf(items), {
      client: transport,
      steps: second.steps,
      now: clock.now,
    });
    expect(transport.sent.map((sent) => sent.method)).toEqual(["POST", "GET", "GET", "GET"]);
    expect(result.summary).toMatchObject({ passed: 3, failed: 0, errored: 0, requests: 4 });
    expect(result.items[1]?.attempts).toBe(2);
    expect(result.items[1]?.captures?.status).toBe("COMPLETE");

    // Only the order's step is a write the engine must never run twice; names are stable.
    const writes = durable.calls.filter((call) => call.writes).map((call) => call.name);
    expect(new Set(writes)).toEqual(new Set(["0/0 Order: POST"]));
    expect(durable.calls.filter((call) => call.replayed).map((call) => call.name)).toEqual([
      "0/0 Order: POST",
      "0/1 Case complete: GET attempt 1",
    ]);

    // The same collection in-process gives the same items.
    const inProcess = await runCollection(collectionOf(items), {
      client: api(),
      now: clock.now,
      sleep: clock.sleep,
    });
    expect(comparable(result)).toEqual(comparable(inProcess));
  });

  it("records a failed exchange as data, so a replay fails the item the same way without sending", async () => {
    const transport = createTestTransport(() => {
      throw new TypeError("socket hang up");
    });
    const durable = engine();
    const collection = collectionOf([items[0] as Item]);
    const first = await runCollection(collection, { client: transport, steps: durable.steps().steps });
    const replay = await runCollection(collection, { client: transport, steps: durable.steps().steps });
    expect(first.items[0]?.error?.code).toBe("CERTN_NETWORK");
    expect(replay.items[0]?.error).toEqual(first.items[0]?.error);
    expect(transport.sent).toHaveLength(1);
  });
});
