/**
 * The `poll.wakeOn` of the bundled collections matches the webhooks the simulator sends about the
 * object the poll reads: the partner webhook's applicant body (`$.id`) and the CertnCentric event
 * (`$.object_id`), so a run that receives webhooks re-reads as soon as one arrives.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCentricCollection } from "../../../src/collection/api-family.ts";
import {
  type Collection,
  type Item,
  isFolder,
  isWaitItem,
  type RequestItem,
} from "../../../src/collection/model.ts";
import { expandText } from "../../../src/collection/template.ts";
import type { JsonValue } from "../../../src/core/json.ts";
import { createCertnClient } from "../../../src/index.ts";
import { createWebhookHub, eventMatches, parseCollection, runCollection } from "../../../src/runner/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";

const DIR = join(import.meta.dirname, "../../../collections");

function load(name: string): Collection {
  const parsed = parseCollection(readFileSync(join(DIR, name), "utf8"));
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.issues)}`);
  return parsed.collection;
}

function requests(items: readonly Item[]): RequestItem[] {
  return items.flatMap((item) => {
    if (isFolder(item)) return requests(item.items);
    return isWaitItem(item) ? [] : [item];
  });
}

describe.each([
  ["hr-quick-screen.json", "certn"],
  ["pm-quick-screen.json", "certn"],
  ["centric-quickscreen.json", "certncentric"],
] as const)("%s", (name, webhook) => {
  it(`wakes its poll on the ${webhook} webhooks the simulator sends about what it polls`, async () => {
    // The simulator's webhooks go straight into the hub (signatures are the receiver's business).
    let deliver: (body: JsonValue) => void = () => {};
    const receive = async (request: Request) => {
      // CertnCentric verifies the endpoint first: answer its challenge.
      const challenge = new URL(request.url).searchParams.get("challenge");
      if (request.method === "GET" && challenge !== null) return new Response(challenge);
      deliver((await request.json()) as JsonValue);
      return new Response("ok");
    };
    const target = { url: "https://receiver.example/webhooks", secret: "s", fetch: receive };
    const sim = createCertnSimulator({ webhook: target, centric: { webhook: target } });
    const clock = { now: () => sim.clock.now(), sleep: async (ms: number) => sim.clock.advance(ms) };
    const hub = createWebhookHub({ sleep: clock.sleep });
    deliver = (body) => hub.deliver(webhook, body);
    const collection = load(name);
    const client = isCentricCollection(collection)
      ? createCertnClient({
          apiKey: sim.centric.apiKeys[0]!,
          apiKeyScheme: "Api-Key",
          fetch: sim.fetch,
          ...clock,
        })
      : createCertnClient({ ...sim.credentials, fetch: sim.fetch, ...clock });
    const result = await runCollection(collection, { client, webhooks: hub, ...clock });
    expect(result.items.filter((item) => item.status !== "passed")).toEqual([]);

    const polls = requests(collection.items).filter((item) => item.poll?.wakeOn !== undefined);
    expect(polls).toHaveLength(1);
    const wakeOn = polls[0]!.poll!.wakeOn!;
    expect(wakeOn.webhook).toBe(webhook);
    const captured = Object.assign({}, ...result.items.map((item) => item.captures ?? {})) as Record<
      string,
      JsonValue
    >;
    const match = Object.fromEntries(
      Object.entries(wakeOn.match).map(([selector, template]) => [
        selector,
        expandText(template, (variable) => captured[variable]),
      ]),
    );
    const delivered = hub.delivered.filter((event) => event.webhook === webhook);
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.some((event) => eventMatches(match, event.body))).toBe(true);
  });
});
