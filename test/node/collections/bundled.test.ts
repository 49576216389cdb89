/**
 * Every collection shipped in collections/ is valid and runs green against the simulator through
 * the runner, as a bare run (no variables): whatever it needs, it finds out itself. Waits (poll
 * intervals) advance the simulator's clock, so nothing here sleeps.
 */
import { readdirSync, readFileSync } from "node:fs";
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
import { createCertnClient } from "../../../src/index.ts";
import { parseCollection, type RunOptions, runCollection } from "../../../src/runner/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { estimateWorkerRun } from "../../../src/worker/budget.ts";

/** The Worker's default RUNNER_SUBREQUEST_BUDGET (design.md: fits the Workers free plan). */
const WORKER_DEFAULT_BUDGET = 45;
/** Subrequests one invocation may send on the Workers paid plan. */
const WORKER_PAID_PLAN_SUBREQUESTS = 1000;

const DIR = join(import.meta.dirname, "../../../collections");
const FILES = readdirSync(DIR)
  .filter((name) => name.endsWith(".json") && !name.endsWith(".schema.json"))
  .sort();
const ORDER_PATH =
  /\/applications\/(quick|invite)\/$|\/applicants\/[^/]+\/packages\/$|\/cases\/order(-package)?\/$/;

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

/**
 * A simulator and clients on simulated time (sleeping advances the simulator's clock): client
 * credentials for the partner API, the CertnCentric API key for `/api/public/` collections.
 */
function setup(options: Parameters<typeof createCertnSimulator>[0] = {}) {
  const sim = createCertnSimulator(options);
  const clock = { now: () => sim.clock.now(), sleep: async (ms: number) => sim.clock.advance(ms) };
  const { clientId, clientSecret } = sim.credentials;
  const partner = createCertnClient({ clientId, clientSecret, fetch: sim.fetch, ...clock });
  const centric = createCertnClient({
    apiKey: sim.centric.apiKeys[0]!,
    apiKeyScheme: "Api-Key",
    fetch: sim.fetch,
    ...clock,
  });
  const run = (collection: Collection, extra: Partial<RunOptions> = {}) =>
    runCollection(collection, {
      client: isCentricCollection(collection) ? centric : partner,
      ...clock,
      ...extra,
    });
  return { sim, run };
}

describe("bundled collections", () => {
  it("include the ones an integration engineer reaches for first", () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        "certn-smoke.json",
        "general-resources.json",
        "hr-invite.json",
        "hr-quick-screen.json",
        "pm-quick-screen.json",
        "reports.json",
        "centric-smoke.json",
        "centric-quickscreen.json",
        "centric-invite-link.json",
      ]),
    );
  });

  describe.each(FILES)("%s", (name) => {
    it("is valid, points at its schema and says what it costs", () => {
      const raw = JSON.parse(readFileSync(join(DIR, name), "utf8")) as Record<string, unknown>;
      expect(raw.$schema).toBe("./collection.schema.json");
      const collection = load(name);
      expect(collection.description?.length ?? 0).toBeGreaterThan(80);
      const orders = requests(collection.items).filter(
        (item) => item.request.method !== "GET" && ORDER_PATH.test(item.request.url),
      );
      // A collection that orders checks says so, and never retries the order after an ambiguous failure.
      if (orders.length > 0) expect(collection.description).toMatch(/COST/);
      else expect(collection.description).toMatch(/cost(s)? nothing|orders nothing/i);
      for (const order of orders) expect(order.retry?.retries).toBe(0);
      for (const item of requests(collection.items)) {
        expect(item.assert?.length ?? 0, `${item.name} asserts something`).toBeGreaterThan(0);
      }
    });

    // A collection that waits for a report polls it, and every poll attempt counts with its
    // retries and 401 replay in the honest worst case: such a run needs a paid plan's budget as
    // one request (or a durable run, where each step is its own invocation). The rest fit the
    // free plan's default.
    it("fits the Worker's default subrequest budget, or a paid plan's when it polls", () => {
      const collection = load(name);
      const estimate = estimateWorkerRun(
        collection,
        {},
        { tokenCredentials: !isCentricCollection(collection), storedCollection: true },
      );
      const polls = requests(collection.items).some((item) => item.poll !== undefined);
      expect(estimate.subrequests).toBeLessThanOrEqual(
        polls ? WORKER_PAID_PLAN_SUBREQUESTS : WORKER_DEFAULT_BUDGET,
      );
    });

    it("runs green against the simulator with no variables", async () => {
      const { sim, run } = setup();
      const result = await run(load(name));
      const problems = result.items.filter((item) => item.status !== "passed");
      expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
      expect(result.summary.assertions.failed).toBe(0);
      expect(result.summary.requests).toBeGreaterThan(0);
      // Simulated data only: the owner the collection found is the simulator's.
      const owner = result.items
        .flatMap((item) => Object.entries(item.captures ?? {}))
        .find(([key]) => key === "ownerId");
      if (owner) expect(owner[1]).toBe(sim.ownerId);
    });
  });

  it("a quick screen that is cancelled fails fast on the poll instead of waiting it out", async () => {
    const { run } = setup();
    const result = await run(load("hr-quick-screen.json"), { variables: { lastName: "Cancelled" } });
    const wait = result.items.find((item) => item.name === "Wait for the report");
    expect(wait?.status).toBe("failed");
    expect(wait?.attempts).toBeLessThan(25);
    expect(result.items.at(-1)?.status).toBe("skipped");
  });

  it("a quick screen that needs action fails fast too (PM)", async () => {
    const { run } = setup();
    const result = await run(load("pm-quick-screen.json"), { variables: { lastName: "ActionRequired" } });
    expect(result.items.find((item) => item.name === "Wait for the tenant report")?.status).toBe("failed");
  });

  it("a CertnCentric quickscreen that is cancelled fails fast on the case poll", async () => {
    const { run } = setup();
    const result = await run(load("centric-quickscreen.json"), { variables: { familyName: "Cancelled" } });
    const wait = result.items.find((item) => item.name === "Wait for the case");
    expect(wait?.status).toBe("failed");
    expect(wait?.attempts).toBeLessThan(20);
    expect(result.items.slice(-3).map((item) => item.status)).toEqual(["skipped", "skipped", "skipped"]);
  });

  it("a CertnCentric report that fails to generate fails the report poll", async () => {
    const { run } = setup();
    const result = await run(load("centric-quickscreen.json"), { variables: { familyName: "ReportFailed" } });
    expect(result.items.find((item) => item.name === "Wait for the report file")?.status).toBe("failed");
  });

  it("the CertnCentric invite-link flow leaves its case cancelled", async () => {
    const { sim, run } = setup();
    const result = await run(load("centric-invite-link.json"));
    expect(result.summary.failed + result.summary.errored).toBe(0);
    expect(sim.requests["POST /api/public/cases/:id/cancel/"]).toBe(1);
  });

  it("reports.json orders nothing when given a finished applicant", async () => {
    const { sim, run } = setup();
    const first = await run(load("hr-quick-screen.json"));
    const applicantId = first.items
      .flatMap((item) => Object.entries(item.captures ?? {}))
      .find(([key]) => key === "applicantId")?.[1];
    expect(typeof applicantId).toBe("string");
    const ordersBefore = sim.requests["POST /api/v1/hr/applications/quick/"];
    const result = await run(load("reports.json"), { variables: { applicantId: applicantId as string } });
    expect(result.summary.failed + result.summary.errored).toBe(0);
    expect(result.items.filter((item) => item.status === "skipped").map((item) => item.name)).toEqual([
      "Find the ordering user",
      "Order a quick screen (softcheck)",
    ]);
    expect(sim.requests["POST /api/v1/hr/applications/quick/"]).toBe(ordersBefore);
  });

  it("the flows find the owner themselves but use an ownerId that is given", async () => {
    const { sim, run } = setup();
    const result = await run(load("hr-invite.json"), { variables: { ownerId: sim.ownerId } });
    expect(result.items[0]?.status).toBe("skipped");
    expect(result.summary.failed + result.summary.errored).toBe(0);
  });

  it("a dry run of every bundled collection sends nothing", async () => {
    const { sim, run } = setup();
    for (const name of FILES) {
      const result = await run(load(name), { dryRun: true });
      expect(result.summary.errored, name).toBe(0);
    }
    expect(sim.requests).toEqual({});
    expect(sim.tokenRequests).toBe(0);
  });
});
