/**
 * Which events a wait takes. Only those received since its run began (less a few seconds): an
 * event of days before is another run's, and used to pass a wait at once or spend a poll's
 * attempts. And personal values: a receiver compares the event as it arrived, and the event's row
 * keeps what its masking replaced only as keyed digests, which a wait's look at stored events
 * compares; before, both compared the masked body, so a wait on an e-mail address never woke.
 */
import { describe, expect, it } from "vitest";
import { maskPersonal } from "../../src/runner/index.ts";
import { RUN_START_MARGIN_MS } from "../../src/worker/store/webhook-events.ts";
import { EventComparison, maskedValueDigests, matchKey } from "../../src/worker/wait-match.ts";
import { type Harness, jsonOf } from "../workers/worker/harness.ts";
import {
  bindings,
  countRows,
  deliverCentric,
  deliverPartner,
  durableHarness,
  liveRuns,
  type RunView,
  runView,
  settled,
  startDurable,
  tokenFor,
  untilStatus,
} from "./helpers.ts";

/** A collection of one wait, for `match`. */
function waitFor(webhook: "certn" | "certncentric", match: Record<string, string>) {
  return {
    formatVersion: 1,
    name: "wait",
    items: [{ name: "Event", wait: { webhook, match, timeoutMs: 600_000 } }],
  };
}

const caseEvent = (caseId: string, eventType = "CASE_REPORT_READY") => ({
  id: crypto.randomUUID(),
  event_type: eventType,
  object_type: "CASE",
  object_id: caseId,
});

/** Moves stored events' reception `ms` into the past, as if they had arrived then. */
async function receivedEarlier(ms: number, ...eventIds: string[]): Promise<void> {
  const db = bindings.DB as D1Database;
  for (const eventId of eventIds) {
    await db
      .prepare("UPDATE webhook_events SET received_at = received_at - ? WHERE event_id = ?")
      .bind(ms, eventId)
      .run();
  }
}

/** Waits until the run waits for a webhook, or has ended. */
async function untilWaitingOrEnded(h: Harness, runId: string, auth: string): Promise<RunView> {
  const until = Date.now() + 15_000;
  for (;;) {
    const view = await runView(h, runId, auth);
    const waits = view.status === "waiting" && view.waitingFor?.kind === "webhook";
    if (waits || ["passed", "failed", "errored"].includes(view.status) || Date.now() > until) return view;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a wait takes the events received since its run began", () => {
  it("and passes by one about its case received before", async () => {
    const h = durableHarness();
    const auth = await tokenFor("otto");
    const caseId = `case-${crypto.randomUUID()}`;
    const old = caseEvent(caseId);
    expect((await deliverCentric(h, old)).status).toBe(200);
    await receivedEarlier(60_000, old.id);
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitFor("certncentric", { "$.object_id": "{{caseId}}" }),
      variables: { caseId },
    });
    expect((await untilWaitingOrEnded(h, runId, auth)).status).toBe("waiting");
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(0);
    // An event received since the run began is taken.
    const fresh = caseEvent(caseId);
    expect((await deliverCentric(h, fresh)).status).toBe(200);
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
    expect(await countRows("webhook_takes", "run_id = ? AND event_id = ?", runId, fresh.id)).toBe(1);
  });

  it("so a poll's wakeOn spends no attempt on events received before", async () => {
    const h = durableHarness();
    const auth = await tokenFor("olga");
    const caseId = `case-${crypto.randomUUID()}`;
    const old = Array.from({ length: 6 }, () => caseEvent(caseId, "CHECK_STATUS_CHANGED"));
    for (const event of old) expect((await deliverCentric(h, event)).status).toBe(200);
    await receivedEarlier(RUN_START_MARGIN_MS + 60_000, ...old.map((event) => event.id));
    const collection = {
      formatVersion: 1,
      name: "poll",
      items: [
        {
          name: "Poll",
          request: { method: "GET", url: "/api/public/groups/" },
          poll: {
            until: [{ that: "$.count", equals: -1 }],
            wakeOn: { webhook: "certncentric", match: { "$.object_id": caseId } },
            intervalMs: 3_600_000,
            maxAttempts: 5,
          },
        },
      ],
    };
    const runId = await startDurable(h, "/runs", auth, { collection });
    // An hour between attempts, unless an event comes while the run waits.
    expect((await untilWaitingOrEnded(h, runId, auth)).status).toBe("waiting");
    expect(await countRows("webhook_takes", "run_id = ?", runId)).toBe(0);
    expect(h.sim.requests["GET /api/public/groups/"]).toBe(1);
    expect((await h.call(`/runs/${runId}/cancel`, { method: "POST", auth })).status).toBe(202);
    expect(await settled(runId)).toBe("complete");
  });
});

describe("a wait on a personal value", () => {
  it("wakes on the event that carries it", async () => {
    const h = durableHarness();
    const auth = await tokenFor("pia");
    const email = `jane.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitFor("certn", { "$.email": "{{email}}" }),
      variables: { email },
    });
    expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
    // Another applicant's event does not wake it.
    const other = { id: crypto.randomUUID(), email: "someone.else@example.com", status: "Returned" };
    expect((await deliverPartner(h, other)).status).toBe(200);
    expect((await runView(h, runId, auth)).status).toBe("waiting");
    const applicant = { id: crypto.randomUUID(), email, status: "Returned", report_status: "COMPLETE" };
    expect((await deliverPartner(h, applicant)).status).toBe(200);
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
  });

  it("takes the stored event that carries it, which keeps the value only as a digest", async () => {
    const h = durableHarness();
    const auth = await tokenFor("pol");
    const email = `john.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const applicant = {
      id: crypto.randomUUID(),
      email,
      information: { first_name: "John" },
      status: "Returned",
    };
    expect((await deliverPartner(h, applicant)).status).toBe(200);
    const row = await (bindings.DB as D1Database)
      .prepare("SELECT body, digests FROM webhook_events WHERE source = 'certn' AND body LIKE ?")
      .bind(`%${applicant.id}%`)
      .first<{ body: string; digests: string | null }>();
    expect(row?.digests).toEqual(expect.any(String));
    expect(`${row?.body} ${row?.digests}`).not.toContain(email);
    expect(`${row?.body} ${row?.digests}`).not.toContain("John");

    const runId = await startDurable(h, "/runs", auth, {
      collection: waitFor("certn", { "$.email": "{{email}}", "$.information.first_name": "John" }),
      variables: { email },
    });
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
  });

  it("wakes on Certn's repeat of the event after a failed hand-off, by the stored digests", async () => {
    const h = durableHarness();
    const auth = await tokenFor("pim");
    const email = `jo.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const runId = await startDurable(h, "/runs", auth, {
      collection: waitFor("certn", { "$.email": "{{email}}" }),
      variables: { email },
    });
    expect((await untilStatus(h, runId, auth, "waiting")).status).toBe("waiting");
    const applicant = { id: crypto.randomUUID(), email, status: "Returned" };
    const real = liveRuns();
    const failing = {
      create: real.create.bind(real),
      createBatch: real.createBatch.bind(real),
      get: async () => {
        throw new Error("transient: Workflow binding unavailable");
      },
    } as Workflow;
    expect((await deliverPartner({ ...h, env: { ...h.env, RUNS: failing } }, applicant)).status).toBe(503);
    // The repeat is offered from what was stored: the masked body and its digests.
    const repeat = await deliverPartner(h, applicant);
    expect(await jsonOf(repeat)).toEqual({ received: true, duplicate: true });
    expect(await settled(runId)).toBe("complete");
    expect((await runView(h, runId, auth)).status).toBe("passed");
  });

  it("is compared with a stored event by the digests of its masked values, at their places", async () => {
    const key = await matchKey(bindings, "certn");
    const received = {
      id: "applicant-1",
      email: "ann@example.com",
      emails: ["ann@example.com", "ann.b@example.com"],
      address: { street_address: "1 Main St", city: "Victoria" },
      notes: ["ops", "wrote to ann@example.com"],
      "ann@example.com": "a name that is an address",
      count: 3,
    };
    const masked = maskPersonal(received);
    const digests = await maskedValueDigests(received, masked, key);
    expect(digests).toBeDefined();
    for (const personal of ["ann@example.com", "ann.b@example.com", "1 Main St", "Victoria"]) {
      expect(digests).not.toContain(personal);
    }
    const stored = new EventComparison(masked, key, JSON.parse(digests ?? "null"));
    const matches = (match: Record<string, string>) => stored.matchesWait(match);
    expect(await matches({ "$.email": "ann@example.com" })).toBe(true);
    expect(await matches({ "$.email": "bob@example.com" })).toBe(false);
    expect(await matches({ "$.emails[-1]": "ann.b@example.com" })).toBe(true);
    expect(await matches({ "$.address.city": "Victoria" })).toBe(true);
    expect(await matches({ "$.notes[0]": "ops", "$.notes[1]": "wrote to ann@example.com" })).toBe(true);
    expect(await matches({ "$.id": "applicant-1", "$.count": "3" })).toBe(true);
    expect(await matches({ "$.id": "applicant-2" })).toBe(false);
    // A member whose name the masking changes is not kept, not even digested: never matched.
    expect(await matches({ "$['ann@example.com']": "a name that is an address" })).toBe(false);
    // Nothing masked, nothing kept; a row without digests (as before them) compares its body.
    expect(await maskedValueDigests({ id: "c-1" }, { id: "c-1" }, key)).toBeUndefined();
    expect(await new EventComparison({ id: "c-1" }, key).matchesWait({ "$.id": "c-1" })).toBe(true);
  });
});
