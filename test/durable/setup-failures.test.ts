/**
 * A durable run whose set-up fails (its sealed inputs no longer open after the Certn secret was
 * rotated) ends with its instance: the record is `errored`, not left `queued`.
 */
import { describe, expect, it } from "vitest";
import type { Collection } from "../../src/collection/model.ts";
import { isCentricCollection } from "../../src/runner/index.ts";
import type { CertnCredentials } from "../../src/worker/config.ts";
import { durableHarness, runView, settled, startDurable, tokenFor, WAIT_THEN_READ } from "./helpers.ts";
import { useDurableDeps } from "./main.ts";

describe("a durable run whose set-up fails", () => {
  it("ends errored when the Certn secret was rotated since it started (its inputs do not open)", async () => {
    const h = durableHarness();
    const auth = await tokenFor("setup-rotated");
    // The Workflow sees rotated credentials, as after `wrangler secret put` between start and run.
    useDurableDeps({
      certnFetch: h.sim.fetch as typeof fetch,
      credentials: (collection: Collection): CertnCredentials =>
        isCentricCollection(collection)
          ? { kind: "api-key", apiKey: "rotated-key-000000000000000000", apiKeyScheme: "Api-Key" }
          : { kind: "client-credentials", clientId: "x", clientSecret: "rotated-secret" },
    });
    const runId = await startDurable(h, "/runs", auth, {
      collection: WAIT_THEN_READ,
      variables: { caseId: `case-${crypto.randomUUID()}` },
    });
    expect(await settled(runId)).toBe("errored");
    const view = await runView(h, runId, auth);
    expect(view.status).toBe("errored");
    // Nothing reached Certn: the sealed inputs did not open under the rotated secret.
    expect(h.upstream).toEqual([]);
  });
});
