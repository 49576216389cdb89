/**
 * The blocked headers of collection-format.md ("Egress"), written out here independently of the
 * source, checked against every layer that must refuse them: collection validation (with the JSON
 * Pointer of the header), the Postman importer (dropped, with a warning), the runner (item
 * errored) and the transport itself (nothing sent).
 */
import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/collection/parse.ts";
import { importPostman } from "../../../src/collection/postman/index.ts";
import { createCertnClient } from "../../../src/index.ts";
import { runCollection } from "../../../src/runner/index.ts";

/** The list of collection-format.md, "Egress", as the document words it. */
const BLOCKED = [
  "Authorization",
  "Proxy-Authorization",
  "Cookie",
  "Host",
  "Content-Length",
  "Transfer-Encoding",
  "Connection",
  "Forwarded",
  "X-HTTP-Method-Override",
  // "any X-Forwarded-*" and "any Proxy-*"
  "X-Forwarded-For",
  "X-Forwarded-Host",
  "X-Forwarded-Proto",
  "Proxy-Connection",
  "Proxy-Anything",
];

/** Near misses that are ordinary headers: a test that refused everything would fail here. */
const ALLOWED = [
  "Accept",
  "X-Request-Id",
  "Hostname",
  "Cookies",
  "X-Forwarded",
  "Forwarded-For",
  "Proxy",
  "Api-Key",
];

/** Every letter case worth trying: as written, lower, upper, and alternating. */
function spellings(name: string): string[] {
  const alternating = [...name].map((char, i) => (i % 2 ? char.toLowerCase() : char.toUpperCase())).join("");
  return [...new Set([name, name.toLowerCase(), name.toUpperCase(), alternating])];
}

const BLOCKED_SPELLINGS = BLOCKED.flatMap(spellings);
const BASE = "https://demo-api.certn.co";

function collectionWithHeader(name: string) {
  return {
    formatVersion: 1,
    name: "headers",
    items: [{ name: "item", request: { method: "GET", url: "/api/v1/users/", headers: { [name]: "1" } } }],
  };
}

function postmanWithHeader(name: string) {
  return {
    info: {
      name: "headers",
      schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    item: [
      {
        name: "item",
        request: { method: "GET", url: "/api/v1/users/", header: [{ key: name, value: "1" }] },
      },
    ],
  };
}

/** A client over a recording fetch; the API key keeps token requests out of the count. */
function recordingClient() {
  const seen: Request[] = [];
  const client = createCertnClient({
    apiKey: "test-key",
    baseUrl: BASE,
    fetch: async (input, init) => {
      seen.push(new Request(input, init));
      return new Response("{}", { headers: { "content-type": "application/json" } });
    },
  });
  return { client, seen };
}

describe("blocked headers, in every letter case", () => {
  it.each(BLOCKED_SPELLINGS)("collection validation refuses %s at its JSON Pointer", (name) => {
    const result = parseCollection(collectionWithHeader(name));
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((issue) => issue.path)).toEqual([`/items/0/request/headers/${name}`]);
    expect(issues[0]?.message).toMatch(/cannot set/);
  });

  it.each(BLOCKED_SPELLINGS)("the Postman importer drops %s and says so", (name) => {
    const { collection, warnings } = importPostman(postmanWithHeader(name));
    const item = collection.items[0] as { request: { headers?: Record<string, string> } };
    const names = Object.keys(item.request.headers ?? {}).map((key) => key.toLowerCase());
    expect(names).not.toContain(name.toLowerCase());
    expect(warnings.some((warning) => warning.includes("dropped"))).toBe(true);
    expect(parseCollection(collection).ok).toBe(true);
  });

  it.each(BLOCKED_SPELLINGS)("the runner errors an item that sets %s and sends nothing", async (name) => {
    const { client, seen } = recordingClient();
    const result = await runCollection(collectionWithHeader(name) as never, { client });
    expect(result.items[0]?.status).toBe("errored");
    expect(result.items[0]?.error?.code).toBe("CERTN_BLOCKED_HEADER");
    expect(seen).toHaveLength(0);
  });

  it.each(BLOCKED_SPELLINGS)("the transport refuses %s before anything is sent", async (name) => {
    const { client, seen } = recordingClient();
    const headers = new Headers();
    headers.set(name, "1");
    const error = await client.send(new Request(`${BASE}/api/v1/users/`, { headers })).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((error as { code?: string } | undefined)?.code).toBe("CERTN_BLOCKED_HEADER");
    expect(String((error as Error).message)).not.toContain('"1"');
    expect(seen).toHaveLength(0);
  });

  it.each(ALLOWED)("every layer lets the ordinary header %s through", async (name) => {
    expect(parseCollection(collectionWithHeader(name)).ok).toBe(true);
    const { collection } = importPostman(postmanWithHeader(name));
    expect(
      (collection.items[0] as { request: { headers?: Record<string, string> } }).request.headers,
    ).toEqual({
      [name]: "1",
    });
    const { client, seen } = recordingClient();
    const result = await runCollection(collectionWithHeader(name) as never, { client });
    expect(result.items[0]?.status).toBe("passed");
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.get(name)).toBe("1");
  });
});
