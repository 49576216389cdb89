/**
 * "A result never contains ... any Authorization, Cookie or Set-Cookie value" (collection format,
 * Redaction): a value a `header set-cookie` (or `cookie`, `authorization`) selector reads is a
 * secret from then on. It may still be sent by a later request, and shows as `[secret]` in
 * assertion values, captures, later URLs, events and every report.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Item } from "../../../src/collection/model.ts";
import { MAX_FOUND_SECRETS } from "../../../src/results/redact.ts";
import type { RunEvent } from "../../../src/results/result.ts";
import { runCollection, toJUnit, toNdjsonLine, toText } from "../../../src/runner/index.ts";
import { collectionOf } from "../../shared/runner/helpers.ts";
import { type LocalApi, startLocalApi } from "./local-api.ts";

const SESSION = "SESSIONSECRET123";
const BEARER = "RESPONSETOKEN777";

let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({
    "/login": () => ({
      headers: {
        "set-cookie": [`sid=${SESSION}; Path=/`, "b=2"],
        authorization: `Bearer ${BEARER}`,
        cookie: `seen=${SESSION}`,
      },
      // A body that repeats the cookie, as some servers do: reported (includeBodies) masked too.
      body: { ok: true, echoed: `sid=${SESSION}; Path=/, b=2`, first: `sid=${SESSION}; Path=/` },
    }),
    "/echo": (request) => ({ body: { url: request.url } }),
    "/rotating": (_request, count) => ({
      headers: { "set-cookie": `sid=rotating-${count}-value` },
      body: { echoed: `sid=rotating-${count}-value` },
    }),
  });
});

afterAll(() => api.close());

const login: Item = {
  name: "login",
  auth: "none",
  request: { method: "GET", url: "/login" },
  capture: { sid: "header set-cookie", bearer: "header Authorization" },
  assert: [
    { that: "header set-cookie", contains: "sid=" },
    { that: "header set-cookie", equals: "x" },
    { that: "header cookie", startsWith: "seen=" },
  ],
};
const useSession: Item = {
  name: "use session",
  auth: "none",
  request: { method: "GET", url: "/echo", query: { s: "{{sid}}", b: "{{bearer}}" } },
  assert: [{ that: "status", equals: 200 }],
};

describe("values read from credential headers", () => {
  it("are [secret] in assertion values, captures, later URLs, events and reports, and are still sent", async () => {
    const events: RunEvent[] = [];
    const result = await runCollection(collectionOf([login, useSession]), {
      client: api.client(),
      includeBodies: true,
      onEvent: (event) => events.push(event),
    });

    const [first, second] = result.items;
    expect(first?.status).toBe("failed");
    expect(first?.captures).toEqual({ sid: "[secret]", bearer: "[secret]" });
    expect(first?.assertions.map((assertion) => [assertion.passed, assertion.actual])).toEqual([
      [true, "[secret]"],
      [false, "[secret]"],
      [true, "[secret]"],
    ]);
    expect(second?.status).toBe("passed");
    expect(second?.request?.url).toContain("[secret]");
    // The later request sent the value itself.
    const sent = new URL(api.log.at(-1)?.url ?? "", api.origin).searchParams;
    expect([sent.get("s"), sent.get("b")]).toEqual([`sid=${SESSION}; Path=/, b=2`, `Bearer ${BEARER}`]);

    const everything = [
      JSON.stringify(result),
      ...events.map((event) => toNdjsonLine(event)),
      toJUnit(result),
      toText(result),
    ].join("\n");
    expect(everything).not.toContain(SESSION);
    expect(everything).not.toContain(BEARER);
  });

  it("are [secret] in a poll's conditions too", async () => {
    const result = await runCollection(
      collectionOf([
        {
          name: "poll on the cookie",
          auth: "none",
          request: { method: "GET", url: "/login" },
          poll: {
            until: [{ that: "header set-cookie", contains: "nothing like it" }],
            maxAttempts: 2,
            intervalMs: 0,
          },
        },
      ]),
      { client: api.client() },
    );
    expect(result.items[0]?.status).toBe("failed");
    expect(result.items[0]?.assertions[0]?.actual).toBe("[secret]");
    expect(JSON.stringify(result)).not.toContain(SESSION);
  });

  it(`fail the selector, rather than show it, past the ${MAX_FOUND_SECRETS} values one iteration keeps out`, async () => {
    const result = await runCollection(
      collectionOf([
        {
          name: "a new cookie on every attempt",
          auth: "none",
          request: { method: "GET", url: "/rotating" },
          poll: {
            until: [{ that: "header set-cookie", equals: "never" }],
            maxAttempts: MAX_FOUND_SECRETS + 2,
            intervalMs: 0,
          },
        },
      ]),
      { client: api.client(), rateLimit: false, includeBodies: true },
    );
    const [condition] = result.items[0]?.assertions ?? [];
    expect(condition?.message).toContain(`at most ${MAX_FOUND_SECRETS} credential values`);
    // The last body, which repeats a value no longer kept out, is withheld rather than shown.
    expect(String(result.items[0]?.response?.body)).toContain(
      "[body not shown: this iteration keeps the most",
    );
    expect(JSON.stringify(result)).not.toMatch(/rotating-\d+-value/);
  });

  it("are [secret] in what was selected before the header was read: a capture of the body that echoes it", async () => {
    const echoed = `sid=${SESSION}; Path=/, b=2`;
    const result = await runCollection(
      collectionOf([
        {
          name: "capture the echo first",
          auth: "none",
          request: { method: "GET", url: "/login" },
          capture: { echo: "$.echoed", cookie: "header set-cookie" },
          assert: [{ that: "$.echoed", equals: "something else" }],
        },
        { name: "no header selector at all", auth: "none", request: { method: "GET", url: "/login" } },
      ]),
      { client: api.client(), includeBodies: true },
    );
    expect(result.items[0]?.captures).toEqual({ echo: "[secret]", cookie: "[secret]" });
    expect(result.items[0]?.assertions[0]?.actual).toBe("[secret]");
    // A body that repeats the cookie is masked though no selector read the header.
    expect(JSON.stringify(result.items[1]?.response?.body)).not.toContain(SESSION);
    expect(JSON.stringify(result)).not.toContain(SESSION);
    expect(echoed).toContain(SESSION);
  });
});

describe("a body that echoes one Set-Cookie line of several", () => {
  it("shows it masked, each line being a secret of its own", async () => {
    const result = await runCollection(
      collectionOf([
        {
          name: "echo one line",
          auth: "none",
          request: { method: "GET", url: "/login" },
          capture: { first: "$.first" },
        },
      ]),
      { client: api.client(), includeBodies: true },
    );
    expect(result.items[0]?.captures).toEqual({ first: "[secret]" });
    expect(JSON.stringify(result)).not.toContain(SESSION);
  });
});
