import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createCertnClient, isCertnError } from "../../../src/index.ts";
import {
  CLIENT_SECRET,
  fakeFetch,
  json,
  makeClient,
  rejectionOf,
  withTokens,
} from "../../shared/client/harness.ts";

const API_KEY = "sk_test_never_print_me";

describe("inspection never shows credentials", () => {
  it("util.inspect, JSON and String of clients show a safe summary", async () => {
    const { client } = makeClient(withTokens(() => json(200, {})));
    await client.getAccessToken();
    const keyClient = createCertnClient({
      apiKey: API_KEY,
      apiKeyScheme: "Api-Key",
      fetch: fakeFetch(() => json(200, {})).fetch,
    });
    const providerClient = createCertnClient({ tokenProvider: async () => "provided-token-xyz" });
    for (const c of [client, keyClient, providerClient]) {
      for (const text of [
        inspect(c),
        inspect(c, { showHidden: true, depth: 10 }),
        JSON.stringify(c),
        String(c),
        `${c}`,
      ]) {
        expect(text).toContain("CertnClient");
        expect(text).not.toContain(CLIENT_SECRET);
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain("tok-1");
        expect(text).not.toContain("provided-token-xyz");
      }
    }
    expect(inspect(keyClient)).toBe("CertnClient(https://api.sandbox.certn.co, api-key)");
  });

  it("util.inspect of errors from every failure path is free of secrets and tokens", async () => {
    const basic = btoa(`test-client-id:${CLIENT_SECRET}`);
    const errors: unknown[] = [];
    for (const status of [400, 401, 410, 500]) {
      const { client } = makeClient(
        (r) => (r.path === "/token/" ? json(status, { error: "invalid_client" }) : json(200, {})),
        {
          retry: { retries: 0 },
        },
      );
      errors.push(await rejectionOf(client.request("GET", "/api/v1/users/")));
    }
    const { client } = makeClient(
      withTokens(() => json(403, { detail: "You do not have permission to perform this action." })),
    );
    errors.push(await rejectionOf(client.request("GET", "/api/v1/users/")));
    const keyClient = createCertnClient({ apiKey: API_KEY, fetch: fakeFetch(() => json(401, {})).fetch });
    errors.push(await rejectionOf(keyClient.request("GET", "/api/v2/teams/")));
    for (const error of errors) {
      expect(isCertnError(error)).toBe(true);
      const text = inspect(error, { showHidden: true, depth: 10 });
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(basic);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain("tok-1");
    }
  });

  it("logging an HTTP error does not dump the response body", async () => {
    const { client } = makeClient(withTokens(() => json(400, { first_name: ["x"], sin: "123-456-789" })));
    const error = await rejectionOf(client.request("POST", "/api/v1/hr/applications/quick/", { json: {} }));
    expect(inspect(error)).not.toContain("123-456-789");
    expect(JSON.stringify(error)).not.toContain("123-456-789");
    expect((error as { body: unknown }).body).toEqual({ first_name: ["x"], sin: "123-456-789" });
  });
});
