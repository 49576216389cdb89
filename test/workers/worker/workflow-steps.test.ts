/**
 * The Workflow steps of a durable run, counted before it starts: one per exchange (request or
 * poll attempt), two per slice of each webhook wait (a `wait` item, a poll interval with `wakeOn`)
 * and two more, three at the end; poll intervals are sleeps, which the engine does not count. A run planned over the
 * limit is refused with 422 `RUN_TOO_LARGE` and the arithmetic; every bundled collection passes,
 * and a fan-out is checked as its parent and one child.
 */
import { describe, expect, it } from "vitest";
import type { Collection } from "../../../src/collection/model.ts";
import { parseCollection } from "../../../src/runner/index.ts";
import { estimateWorkerRun } from "../../../src/worker/budget.ts";
import { BUNDLED_COLLECTIONS } from "../../../src/worker/bundled-collections.ts";
import { readWorkerConfig } from "../../../src/worker/config.ts";
import { waitSliceMs } from "../../../src/worker/durable-run.ts";
import type { Env } from "../../../src/worker/env.ts";
import { WorkerError } from "../../../src/worker/errors.ts";
import { checkRunCanStart } from "../../../src/worker/run-execution.ts";
import type { WorkerRunInputs } from "../../../src/worker/run-inputs.ts";
import {
  durableRunSteps,
  enforceStepLimit,
  fanOutParentSteps,
  MAX_PLANNED_STEPS,
  waitSteps,
} from "../../../src/worker/workflow-steps.ts";

const config = readWorkerConfig({} as Env, { kind: "api-key", apiKey: "key", apiKeyScheme: "Api-Key" });

const oneGet: Collection = {
  formatVersion: 1,
  name: "one",
  items: [{ name: "users", request: { method: "GET", url: "/api/v1/users/" } }],
};

/** The refusal of a durable start of `collection` with `inputs`, or undefined when it may start. */
function refusal(collection: Collection, inputs: WorkerRunInputs): WorkerError | undefined {
  try {
    checkRunCanStart({ collection, source: "ad-hoc", inputs, config }, "durable");
    return undefined;
  } catch (error) {
    if (error instanceof WorkerError) return error;
    throw error;
  }
}

const rows = (count: number) => Array.from({ length: count }, (_, i) => ({ i }));

describe("the steps of a durable run", () => {
  it("counts an exchange per request and poll attempt, the steps of each webhook wait, three at the end", () => {
    const collection: Collection = {
      formatVersion: 1,
      name: "mixed",
      items: [
        {
          name: "folder",
          items: [
            { name: "read", request: { method: "GET", url: "/api/v1/users/" } },
            { name: "skipped", skip: true, request: { method: "GET", url: "/api/v1/users/" } },
            {
              name: "polled",
              request: { method: "GET", url: "/api/v1/users/" },
              poll: { until: [{ that: "status", equals: 200 }], maxAttempts: 5 },
            },
          ],
        },
        {
          name: "woken",
          request: { method: "GET", url: "/api/v1/users/" },
          poll: {
            until: [{ that: "status", equals: 200 }],
            maxAttempts: 4,
            wakeOn: { webhook: "certn", match: { "$.id": "x" } },
          },
        },
        { name: "event", wait: { webhook: "certn", match: { "$.id": "x" }, timeoutMs: 600_000 } },
      ],
    };
    const inputs = { iterations: 2 };
    const estimate = estimateWorkerRun(collection, inputs, {
      tokenCredentials: false,
      storedCollection: false,
    });
    const steps = durableRunSteps(collection.items, estimate);
    // 3 requests + (4 + 3) poll attempts; 3 woken intervals of one slice (4 steps each) and a
    // 10-minute wait of four slices (1 + 2 + 4 + 3 minutes: 10 steps).
    expect(steps.steps).toBe((10 + 3 * 4 + 10) * 2 + 3);
    expect(steps.arithmetic).toBe(
      "3 requests + 7 poll attempts + 22 steps of 4 webhook waits = 32 per iteration; × 2 iterations = 64, " +
        "+ 3 (finish, next fan-out child, monitor alert) = 67",
    );
  });

  it("counts a wait's steps as the durable run takes them: two a slice of its waitForEvent and two more", () => {
    /** The steps of durable-run.ts's waitForWebhook for a wait that times out after `timeoutMs`. */
    const simulated = (timeoutMs: number): number => {
      let steps = 1; // the step that closes the wait
      for (let slice = 1, waited = 0; ; slice += 1) {
        steps += 1; // the look at stored events
        const sliceMs = Math.min(waitSliceMs(slice), timeoutMs - waited);
        if (sliceMs <= 0) return steps;
        steps += 1; // the waitForEvent
        waited += sliceMs;
      }
    };
    for (const timeoutMs of [
      0,
      1,
      4_000,
      60_000,
      60_001,
      600_000,
      86_400_000,
      7 * 86_400_000,
      30 * 86_400_000,
    ]) {
      expect(waitSteps(timeoutMs), String(timeoutMs)).toBe(simulated(timeoutMs));
    }
  });

  it("refuses 10,000 rows × 1 request with 422 RUN_TOO_LARGE and the arithmetic", () => {
    const refused = refusal(oneGet, { data: rows(10_000) });
    expect(refused?.code).toBe("RUN_TOO_LARGE");
    expect(refused?.status).toBe(422);
    expect(refused?.message).toBe(
      `this durable run may take 10003 Workflow steps, over the ${MAX_PLANNED_STEPS} one instance is ` +
        "planned for (Workflows allow 10000; 1000 are kept for retries after a wait for a rate-limit slot): " +
        "1 requests + 0 poll attempts + 0 steps of 0 webhook waits = 1 per iteration; × 10000 iterations = " +
        "10000, + 3 (finish, next fan-out child, monitor alert) = 10003. Fan the data rows out " +
        '("fanOut": true: each row runs as a run of its own), or use fewer iterations, data rows, poll ' +
        "attempts or webhook waits.",
    );
  });

  it("refuses a polled item of 30 attempts × 400 rows, allows it × 250", () => {
    const polled: Collection = {
      formatVersion: 1,
      name: "polled",
      items: [
        {
          name: "poll",
          request: { method: "GET", url: "/api/v1/users/" },
          poll: { until: [{ that: "status", equals: 200 }] },
        },
      ],
    };
    expect(refusal(polled, { data: rows(400) })?.code).toBe("RUN_TOO_LARGE");
    expect(refusal(polled, { data: rows(250) })).toBeUndefined();
  });

  it("holds neither dry runs (they send nothing) nor immediate runs (their budget is subrequests)", () => {
    expect(refusal(oneGet, { data: rows(10_000), dryRun: true })).toBeUndefined();
    const immediate = (() => {
      try {
        checkRunCanStart(
          { collection: oneGet, source: "ad-hoc", inputs: { data: rows(10_000) }, config },
          "immediate",
        );
      } catch (error) {
        return error as WorkerError;
      }
    })();
    expect(immediate?.code).toBe("SUBREQUEST_BUDGET_EXCEEDED");
  });

  it("lets every bundled collection start durably, as it is and with 20 data rows", () => {
    const perIteration: number[] = [];
    for (const [id, value] of Object.entries(BUNDLED_COLLECTIONS)) {
      const parsed = parseCollection(value);
      if (!parsed.ok) throw new Error(`${id} does not parse`);
      expect(refusal(parsed.collection, {}), id).toBeUndefined();
      expect(refusal(parsed.collection, { data: rows(20) }), id).toBeUndefined();
      const estimate = estimateWorkerRun(
        parsed.collection,
        {},
        { tokenCredentials: true, storedCollection: false },
      );
      perIteration.push(durableRunSteps(parsed.collection.items, estimate).steps - 3);
    }
    // As docs/worker.md (Fan-out, Steps) says.
    expect([Math.min(...perIteration), Math.max(...perIteration)]).toEqual([3, 125]);
  });
});

describe("the steps of a fan-out parent", () => {
  it("are a batch per 100 rows and its end, far under the limit at 10,000 rows", () => {
    expect(fanOutParentSteps(10_000)).toMatchObject({ kind: "fan-out parent", steps: 102 });
    expect(fanOutParentSteps(1).steps).toBe(3);
    expect(() => enforceStepLimit(fanOutParentSteps(10_000))).not.toThrow();
    expect(() => enforceStepLimit({ ...fanOutParentSteps(10_000), steps: MAX_PLANNED_STEPS + 1 })).toThrow(
      /this fan-out parent may take 9001 Workflow steps/,
    );
  });
});
