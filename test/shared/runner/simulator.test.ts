/**
 * End to end: the real client over the Certn simulator (no network), driven by runCollection.
 * The runner's clock is the simulator's, so polling and rate-limit waits advance simulated time.
 */
import { describe, expect, it } from "vitest";
import smoke from "../../../collections/certn-smoke.json";
import type { Item } from "../../../src/collection/model.ts";
import { secretForms } from "../../../src/core/mask-secrets.ts";
import { createCertnClient } from "../../../src/index.ts";
import type { RunEvent } from "../../../src/results/result.ts";
import { parseCollection, runCollection, toJUnit, toText } from "../../../src/runner/index.ts";
import { createCertnSimulator, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET } from "../../../src/simulator/index.ts";
import { collectionOf } from "./helpers.ts";

type SimOptions = Parameters<typeof createCertnSimulator>[0];

function setup(options: SimOptions = {}) {
  const sim = createCertnSimulator(options);
  const client = createCertnClient({
    clientId: DEMO_CLIENT_ID,
    clientSecret: DEMO_CLIENT_SECRET,
    fetch: sim.fetch,
    now: () => sim.clock.now(),
    retry: { retries: 0 },
  });
  const clock = {
    now: () => sim.clock.now(),
    sleep: async (ms: number) => {
      sim.clock.advance(Math.max(0, ms));
    },
  };
  return { sim, client, clock };
}

describe("runCollection with the real client and the simulator", () => {
  it("runs the bundled smoke collection", async () => {
    const parsed = parseCollection(smoke);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { client, clock, sim } = setup();
    const result = await runCollection(parsed.collection, { client, ...clock });
    const countItems = (list: readonly Item[]): number =>
      list.reduce((total, item) => total + ("items" in item ? countItems(item.items) : 1), 0);
    const count = countItems(parsed.collection.items);
    expect(count).toBeGreaterThanOrEqual(3);
    expect(result.summary).toMatchObject({
      items: count,
      passed: count,
      failed: 0,
      errored: 0,
      requests: count,
    });
    const users = result.items.find((item) => item.name === "List users");
    expect(users?.captures?.ownerId).toEqual(expect.any(String));
    expect(sim.tokenRequests).toBe(1);
    const everything = JSON.stringify(result) + toJUnit(result) + toText(result);
    expect(everything).not.toContain(DEMO_CLIENT_SECRET);
    for (const token of sim.liveTokens()) expect(everything).not.toContain(token);
  });

  it("orders a quick screen, polls it to completion and reads the report fields", async () => {
    const { client, clock } = setup();
    const events: RunEvent[] = [];
    const result = await runCollection(
      collectionOf([
        {
          name: "Owner",
          request: { method: "GET", url: "/api/v1/users/" },
          capture: { ownerId: "$.results[0].id" },
        },
        {
          name: "Quick screen",
          request: {
            method: "POST",
            url: "/api/v1/hr/applications/quick/",
            json: {
              request_softcheck: true,
              owner_id: "{{ownerId}}",
              email: "{{email}}",
              information: {
                first_name: "{{firstName}}",
                last_name: "Doe",
                date_of_birth: "1990-01-01",
                addresses: [{ address: "1 Main St", city: "Victoria", province_state: "BC", country: "CA" }],
              },
              position_or_property_location: { city: "Victoria", province_state: "BC", country: "CA" },
            },
          },
          capture: { applicantId: "$.id" },
          assert: [
            { that: "status", equals: 201 },
            { that: "$.information.first_name", equals: "{{firstName}}" },
          ],
        },
        {
          name: "Wait for the report",
          request: { method: "GET", url: "/api/v1/hr/applicants/{{applicantId}}/" },
          poll: {
            until: [{ that: "$.report_status", equals: "COMPLETE" }],
            failIf: [{ that: "$.report_status", oneOf: ["CANCELLED", "ACTION_REQUIRED"] }],
            intervalMs: 2000,
            maxAttempts: 30,
          },
          assert: [
            { that: "$.id", equals: "{{applicantId}}" },
            { that: "$.report_status", matches: "/^complete$/i" },
          ],
        },
      ]),
      {
        client,
        variables: { email: "jane.doe@example.com", firstName: "Jane" },
        ...clock,
        onEvent: (e) => events.push(e),
      },
    );
    expect(result.items.map((item) => [item.name, item.status, item.error?.code])).toEqual([
      ["Owner", "passed", undefined],
      ["Quick screen", "passed", undefined],
      ["Wait for the report", "passed", undefined],
    ]);
    const polls = events.filter((event) => event.type === "attempt" && event.poll !== undefined);
    expect(polls.length).toBe(result.items[2]?.attempts);
    expect(polls.length).toBeGreaterThan(1);
    // The applicant's name never reaches the result.
    expect(JSON.stringify(result)).not.toContain("Jane");
  });

  it("paces requests under the simulator's rate limit: no 429 at all", async () => {
    const perMinute = 4;
    const { client, clock } = setup({ rateLimit: { perMinute, perDay: 10_000 } });
    const events: RunEvent[] = [];
    const items = Array.from({ length: perMinute }, (_, index) => ({
      name: `teams ${index}`,
      request: { method: "GET" as const, url: "/api/v1/teams/" },
      assert: [{ that: "status", equals: 200 }],
    }));
    const result = await runCollection(collectionOf(items), {
      client,
      iterations: 3,
      concurrency: 2,
      rateLimit: { requests: perMinute, perMs: 60_000 },
      ...clock,
      onEvent: (event) => events.push(event),
    });
    const statuses = events.flatMap((event) => (event.type === "attempt" ? [event.status] : []));
    expect(statuses).toHaveLength(3 * perMinute);
    expect(statuses.filter((status) => status === 429)).toEqual([]);
    expect(result.summary).toMatchObject({ passed: 3 * perMinute, requests: 3 * perMinute });
  });

  it("without pacing, the same run meets 429s (the test can fail)", async () => {
    const perMinute = 4;
    const { client, clock } = setup({ rateLimit: { perMinute, perDay: 10_000 } });
    const items = Array.from({ length: perMinute * 2 }, (_, index) => ({
      name: `teams ${index}`,
      request: { method: "GET" as const, url: "/api/v1/teams/" },
    }));
    const result = await runCollection(collectionOf(items), { client, rateLimit: false, ...clock });
    expect(result.items.some((item) => item.response?.status === 429)).toBe(true);
  });

  it("keeps run secrets out of everything, even when the server echoes them", async () => {
    const { client, clock } = setup();
    const secret = "s3cr3t-tag value/+&";
    const events: RunEvent[] = [];
    const result = await runCollection(
      collectionOf([
        {
          name: "search",
          request: { method: "GET", url: "/api/v1/hr/applicants/", query: { search: "{{tag}}" } },
          assert: [{ that: "status", equals: 200 }],
        },
      ]),
      {
        client,
        secrets: { tag: secret },
        includeBodies: true,
        ...clock,
        onEvent: (event) => events.push(event),
      },
    );
    expect(result.items[0]?.status).toBe("passed");
    const all = JSON.stringify(result) + JSON.stringify(events) + toJUnit(result) + toText(result);
    for (const form of [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
    ]) {
      expect(all).not.toContain(form);
    }
    expect(all).not.toContain(DEMO_CLIENT_SECRET);
    expect(all.toLowerCase()).not.toContain("bearer");
  });

  it("keeps every string and number inside an object-valued secret out of everything", async () => {
    const { client, clock } = setup();
    const inner = { text: "s3cr3t-value", slashed: "an0ther s3cr3t/ü", number: 73_529_164 };
    const obj = { k: inner.text, nested: { list: [inner.slashed, inner.number, true, null] } };
    const events: RunEvent[] = [];
    const result = await runCollection(
      collectionOf([
        {
          name: "search",
          request: { method: "GET", url: "/api/v1/hr/applicants/", query: { search: "{{obj}}" } },
          assert: [
            { that: "status", equals: "{{obj}}" },
            { that: "var obj", equals: {} },
            { that: "status", oneOf: ["{{obj}}", 1] },
          ],
          capture: { copy: "var obj" },
        },
      ]),
      { client, secrets: { obj }, includeBodies: true, ...clock, onEvent: (event) => events.push(event) },
    );
    const outputs = {
      json: JSON.stringify(result),
      events: JSON.stringify(events),
      junit: toJUnit(result),
      text: toText(result),
    };
    for (const [where, output] of Object.entries(outputs)) {
      for (const [name, value] of Object.entries(inner)) {
        for (const form of secretForms(String(value))) {
          expect(output.includes(form), `${where} holds a form of ${name}`).toBe(false);
        }
      }
    }
    const item = result.items[0];
    expect(item?.status).toBe("failed");
    expect(item?.assertions[0]?.expected).toEqual({
      k: "[secret]",
      nested: { list: ["[secret]", "[secret]", true, null] },
    });
  });
});
