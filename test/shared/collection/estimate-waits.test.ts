/**
 * The worst-case estimate of collections with webhook waits: a wait item gives one result and
 * sends nothing; a poll's `wakeOn` leaves its worst case (every attempt made) unchanged.
 */
import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/collection/parse.ts";
import { estimateRequests, RESULT_ITEM_BYTES } from "../../../src/runner/estimate.ts";

function collectionOf(items: unknown[]) {
  const parsed = parseCollection({ formatVersion: 1, name: "c", items });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.collection;
}

const poll = {
  name: "Case complete",
  request: { method: "GET", url: "/api/public/cases/{{caseId}}/" },
  poll: { until: [{ that: "$.overall_status", equals: "COMPLETE" }], maxAttempts: 5 },
};

const wakingPoll = {
  ...poll,
  poll: { ...poll.poll, wakeOn: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" } } },
};

const wait = {
  name: "Report ready",
  wait: { webhook: "certncentric", match: { "$.object_id": "{{caseId}}" }, timeoutMs: 86_400_000 },
};

describe("estimateRequests with webhook waits", () => {
  it("counts a wait item as one result and no request", () => {
    const estimate = estimateRequests(collectionOf([wait, { name: "f", items: [wait] }]), { iterations: 3 });
    expect(estimate).toMatchObject({
      requests: 0,
      pollAttempts: 0,
      replays: 0,
      perIteration: 0,
      apiRequests: 0,
      total: 0,
      items: 2,
      itemResults: 6,
      resultBytesPerIteration: 2 * RESULT_ITEM_BYTES,
    });
  });

  it("gives a wakeOn poll the same worst case as the plain poll (every attempt counted)", () => {
    const options = { tokenCredentials: true, defaultRetries: 2 };
    const plain = estimateRequests(collectionOf([poll]), {}, options);
    const woken = estimateRequests(collectionOf([wakingPoll]), {}, options);
    expect(woken).toEqual(plain);
    // 5 attempts × (1 + 2 retries + 1 replay after a 401), + 2 × (1 + 2) token requests.
    expect(woken).toMatchObject({ requests: 1, pollAttempts: 4, perIteration: 20, total: 26 });
  });

  it("adds nothing to the requests of the request items around a wait", () => {
    const order = { name: "Order", request: { method: "POST", url: "/x" }, retry: { retries: 0 } };
    const estimate = estimateRequests(collectionOf([order, wakingPoll, wait]), {}, { defaultRetries: 0 });
    // 1 order + 5 poll attempts; the wait item adds a result only.
    expect(estimate).toMatchObject({ requests: 2, pollAttempts: 4, perIteration: 6, items: 3 });
  });
});
