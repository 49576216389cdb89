/**
 * The one scenario every runtime runs (Node, workerd, Deno, Bun, Chromium): against the simulator
 * served over real HTTP on 127.0.0.1, get a token, list teams across pages, order a quick screen
 * and poll it to completion, then run a bundled collection with the runner.
 * Runtime-neutral on purpose: only web standards, and the library's public entry points.
 */
import certnSmoke from "../../collections/certn-smoke.json" with { type: "json" };
import { createCertnClient } from "../../src/index.ts";
import { parseCollection, runCollection } from "../../src/runner/index.ts";

/** Where the simulator listens and which demo credentials it accepts. */
export interface ScenarioContext {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

/** One named check; it throws when the runtime does not behave. */
export interface ScenarioCheck {
  name: string;
  run(context: ScenarioContext): Promise<void>;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function clientFor(context: ScenarioContext) {
  return createCertnClient({
    clientId: context.clientId,
    clientSecret: context.clientSecret,
    baseUrl: context.baseUrl,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The checks, in the order they run. */
export const scenario: ScenarioCheck[] = [
  {
    name: "gets an access token with client credentials",
    async run(context) {
      const client = clientFor(context);
      const token = await client.getAccessToken();
      check(typeof token === "string" && token.length >= 20, "expected an opaque access token");
      check((await client.getAccessToken()) === token, "the second call must be served from the cache");
    },
  },
  {
    name: "lists teams across pages",
    async run(context) {
      const client = clientFor(context);
      const first = await client.teams.list({ page_size: 2 });
      check(first.count > 2, `expected more than one page of teams, count is ${first.count}`);
      check(first.next !== null, "the first page must link to the next one");
      const ids = new Set<string>();
      for await (const team of client.teams.all({ page_size: 2 })) ids.add(team.id);
      check(
        ids.size === first.count,
        `all() yielded ${ids.size} distinct teams, the API counts ${first.count}`,
      );
    },
  },
  {
    name: "orders a quick screen and polls it to completion",
    async run(context) {
      const client = clientFor(context);
      const users = await client.users.list();
      const owner = users.results[0];
      check(owner !== undefined, "the account must have a user to own the order");
      const applicant = await client.hr.applications.quick({
        owner_id: owner.id,
        request_softcheck: true,
        information: {
          first_name: "Rhea",
          last_name: "Runtime",
          date_of_birth: "1990-01-01",
          addresses: [
            {
              address: "1 Test Street",
              city: "Victoria",
              province_state: "BC",
              country: "CA",
              current: true,
            },
          ],
        },
        position_or_property_location: { city: "Victoria", province_state: "BC", country: "CA" },
      });
      check(applicant.status === "Analyzing", `a new quick screen is Analyzing, got ${applicant.status}`);
      let status = applicant.status;
      for (let attempt = 0; attempt < 40 && status !== "Returned"; attempt++) {
        await sleep(250);
        status = (await client.hr.applications.get(applicant.id)).status;
      }
      check(status === "Returned", `the screen must complete, last status ${status}`);
    },
  },
  {
    name: "runs the bundled certn-smoke collection with the runner",
    async run(context) {
      const parsed = parseCollection(certnSmoke);
      check(parsed.ok, "the bundled collection must be valid");
      const result = await runCollection(parsed.collection, { client: clientFor(context) });
      const { summary } = result;
      check(
        summary.items > 0 && summary.passed === summary.items,
        `expected every item to pass: ${JSON.stringify(summary)}`,
      );
      check(summary.requests >= summary.items, "every item sends at least one request");
    },
  },
];
