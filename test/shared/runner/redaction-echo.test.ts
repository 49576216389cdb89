/**
 * A server that echoes the `Authorization` header it received (in its body, in a header, in an
 * error detail) must not get the access token, the client secret or its Basic form into any
 * result, event or report. The real client gets its tokens from the simulator; the echo routes
 * sit in front of it. A revoked token makes the client refresh mid-run, and the new token must be
 * masked as well.
 */
import { describe, expect, it } from "vitest";
import { secretForms } from "../../../src/core/mask-secrets.ts";
import { createCertnClient } from "../../../src/index.ts";
import type { RunEvent, RunResult } from "../../../src/results/result.ts";
import { runCollection, toJUnit, toNdjsonLine, toText } from "../../../src/runner/index.ts";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { collectionOf, createTestTransport, json } from "./helpers.ts";

/** The simulator behind echo routes: `/echo/...` repeats the credential, `/revoke/` revokes every token. */
function echoingApi() {
  const simulator = createCertnSimulator();
  const seenTokens = new Set<string>();
  const seenPaths: string[] = [];
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const authorization = request.headers.get("authorization") ?? "";
    if (url.pathname.startsWith("/echo/") || url.pathname === "/revoke/") {
      const token = authorization.replace(/^Bearer /, "");
      if (!simulator.liveTokens().includes(token))
        return json({ detail: `${authorization} is not valid` }, 401);
      seenTokens.add(token);
      seenPaths.push(url.pathname + url.search);
      if (url.pathname === "/revoke/") {
        simulator.revokeTokens();
        return new Response(null, { status: 204 });
      }
      return json({ authorization, token, nested: { note: `you sent ${authorization}` }, id: "x-1" }, 200, {
        "x-echo-authorization": authorization,
      });
    }
    return simulator.fetch(request);
  };
  return { simulator, fetch, seenTokens, seenPaths };
}

/** Every text a run can end up in: the result as JSON, NDJSON events and result, JUnit, text. */
function outputsOf(result: RunResult, events: RunEvent[]): Record<string, string> {
  return {
    json: JSON.stringify(result),
    ndjson: events.map(toNdjsonLine).join("") + toNdjsonLine({ type: "result", result }),
    junit: toJUnit(result),
    text: toText(result),
  };
}

function expectNoneOf(outputs: Record<string, string>, secrets: readonly string[]): void {
  secrets.forEach((secret, index) => {
    for (const form of secretForms(secret)) {
      for (const [where, output] of Object.entries(outputs)) {
        // The message names the credential by its position only: a failing test prints no part of it.
        expect(output.includes(form), `${where} holds a form of credential #${index}`).toBe(false);
      }
    }
  });
}

const ECHO_COLLECTION = collectionOf([
  {
    name: "echo",
    request: { method: "GET", url: "/echo/" },
    assert: [
      { that: "$.authorization", equals: "nope" },
      { that: "header x-echo-authorization", equals: "nope" },
      { that: "$", equals: {} },
      { that: "$.nested.note", startsWith: "zzz" },
    ],
    capture: { auth: "$.authorization", tok: "$.token", hdr: "header x-echo-authorization" },
  },
  {
    name: "reuse the captured token",
    request: {
      method: "POST",
      url: "/echo/{{tok}}/",
      query: { t: "{{tok}}" },
      json: { auth: "{{auth}}", t: "{{tok}}", header: "{{hdr}}" },
    },
    assert: [{ that: "var tok", equals: "x" }],
  },
  { name: "revoke", request: { method: "POST", url: "/revoke/" }, assert: [{ that: "status", equals: 204 }] },
  {
    name: "after the refresh",
    request: { method: "GET", url: "/echo/" },
    assert: [{ that: "$.authorization", equals: "nope" }],
    capture: { tok2: "$.token" },
  },
  {
    name: "reuse the refreshed token",
    request: { method: "GET", url: "/echo/{{tok2}}/", query: { q: "{{tok2}}" } },
    assert: [{ that: "$.token", notEquals: "{{tok2}}" }],
  },
]);

describe("a server echoing the Authorization header", () => {
  it.each([false, true])(
    "gets no token, secret or Basic form into any report (includeBodies %s)",
    async (includeBodies) => {
      const api = echoingApi();
      const { clientId, clientSecret } = api.simulator.credentials;
      const client = createCertnClient({ clientId, clientSecret, fetch: api.fetch, retry: { retries: 0 } });
      const events: RunEvent[] = [];
      const result = await runCollection(ECHO_COLLECTION, {
        client,
        includeBodies,
        onEvent: (event) => events.push(event),
      });

      // The run really sent the tokens, captured ones included, and refreshed once mid-run.
      const tokens = [...api.seenTokens];
      expect(tokens).toHaveLength(2);
      expect(api.seenPaths).toContain(`/echo/${tokens[0]}/?t=${tokens[0]}`);
      expect(api.seenPaths).toContain(`/echo/${tokens[1]}/?q=${tokens[1]}`);
      expect(result.items.map((item) => item.status)).toEqual([
        "failed",
        "failed",
        "passed",
        "failed",
        "failed",
      ]);

      const outputs = outputsOf(result, events);
      expectNoneOf(outputs, [clientSecret, `${clientId}:${clientSecret}`, ...tokens]);
      for (const [where, output] of Object.entries(outputs)) {
        for (const token of tokens) expect(output, where).not.toContain(`Bearer ${token}`);
      }
      // What was echoed is still reported, masked.
      expect(result.items[0]?.assertions[0]?.actual).toBe("Bearer [secret]");
      expect(result.items[0]?.assertions[1]?.actual).toBe("Bearer [secret]");
      expect(result.items[0]?.captures).toEqual({
        auth: "Bearer [secret]",
        tok: "[secret]",
        hdr: "Bearer [secret]",
      });
      expect(result.items[1]?.request?.url).toBe("https://demo-api.certn.co/echo/[secret]/?t=[secret]");
      expect(result.items[3]?.assertions[0]?.actual).toBe("Bearer [secret]");
      expect(result.items[4]?.request?.url).toBe("https://demo-api.certn.co/echo/[secret]/?q=[secret]");
      if (includeBodies) {
        expect(result.items[1]?.request?.body).toEqual({
          auth: "Bearer [secret]",
          t: "[secret]",
          header: "Bearer [secret]",
        });
        expect(result.items[0]?.response?.headers?.["x-echo-authorization"]).toBe("Bearer [secret]");
      }
    },
  );

  it("masks the tokens of a caller's tokenProvider, a forced refresh's included", async () => {
    const provided: string[] = [];
    const client = createCertnClient({
      // Cached inside, as a provider should be; a forced refresh makes a new one.
      tokenProvider: async ({ forceRefresh }) => {
        if (provided.length === 0 || forceRefresh)
          provided.push(`prov-${provided.length}-${crypto.randomUUID()}`);
        return provided.at(-1) ?? "";
      },
      fetch: async (input, init) => {
        const authorization = new Request(input, init).headers.get("authorization") ?? "";
        // The first token is refused, so the client asks the provider for a fresh one.
        if (authorization.includes("prov-0-")) return json({ detail: `${authorization} expired` }, 401);
        return json({ authorization });
      },
    });
    const result = await runCollection(
      collectionOf([
        {
          name: "echo",
          request: { method: "GET", url: "/api/v1/me/" },
          assert: [{ that: "$.authorization", equals: "x" }],
        },
      ]),
      { client, includeBodies: true },
    );
    expect(provided).toHaveLength(2);
    expectNoneOf(outputsOf(result, []), provided);
    expect(result.items[0]?.assertions[0]?.actual).toBe("Bearer [secret]");
  });

  it("masks the API key of an API-key client", async () => {
    const simulator = createCertnSimulator();
    const [apiKey = ""] = simulator.credentials.apiKeys;
    const transport = createCertnClient({
      apiKey,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        return json({ authorization: request.headers.get("authorization") }, 200, {
          "x-echo": request.headers.get("authorization") ?? "",
        });
      },
    });
    const result = await runCollection(
      collectionOf([
        {
          name: "echo",
          request: { method: "GET", url: "/api/v1/me/" },
          assert: [{ that: "$.authorization", equals: "x" }],
          capture: { key: "header x-echo" },
        },
      ]),
      { client: transport, includeBodies: true },
    );
    expectNoneOf(outputsOf(result, []), [apiKey]);
    expect(result.items[0]?.captures).toEqual({ key: "Bearer [secret]" });
  });
});

describe("the Transport seam", () => {
  it("asks the transport's maskSecrets for every text, so a value it learns mid-run is masked", async () => {
    const learned: string[] = [];
    const base = createTestTransport((request) => {
      const token = `tok-${learned.length}-${"abcdef".repeat(3)}`;
      learned.push(token);
      return json({ token, url: request.url });
    });
    const transport = {
      baseUrl: base.baseUrl,
      send: base.send,
      maskSecrets: (text: string) => learned.reduce((out, token) => out.split(token).join("[secret]"), text),
    };
    const items = [0, 1, 2].map((index) => ({
      name: `call ${index}`,
      request: { method: "GET" as const, url: "/a" },
      assert: [{ that: "$.token", equals: "nope" }],
      capture: { [`t${index}`]: "$.token" },
    }));
    const result = await runCollection(collectionOf(items), { client: transport });
    expect(learned).toHaveLength(3);
    const text = JSON.stringify(result);
    for (const token of learned) expect(text).not.toContain(token);
    expect(result.items.map((item) => item.assertions[0]?.actual)).toEqual([
      "[secret]",
      "[secret]",
      "[secret]",
    ]);
  });

  it("reports a text as [secret] when the transport's maskSecrets throws", async () => {
    const base = createTestTransport(() => json({ token: "tok-that-leaks-123" }));
    const transport = {
      baseUrl: base.baseUrl,
      send: base.send,
      maskSecrets: (): string => {
        throw new Error("broken");
      },
    };
    const result = await runCollection(
      collectionOf([
        { name: "a", request: { method: "GET", url: "/a" }, assert: [{ that: "$.token", equals: "x" }] },
      ]),
      { client: transport },
    );
    expect(JSON.stringify(result)).not.toContain("tok-that-leaks-123");
    expect(result.items[0]?.assertions[0]?.actual).toBe("[secret]");
  });
});
