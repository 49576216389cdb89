import { describe, expect, it } from "vitest";
import { createCertnSimulator } from "../../../src/simulator/index.ts";
import { basicHeaders, obj } from "../../shared/simulator/helpers.ts";

const URL_ = "https://demo-api.certn.co/token/";

describe("POST /token/ (certn-api.md §2.1)", () => {
  it("issues a 30-character bearer token for Basic client credentials with no-store headers", async () => {
    const sim = createCertnSimulator();
    const { clientId, clientSecret } = sim.credentials;
    const response = await sim.fetch(URL_, {
      method: "POST",
      headers: basicHeaders(clientId, clientSecret),
      body: "grant_type=client_credentials",
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    const body = obj(await response.json());
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    expect(body.access_token).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(body.expires_in).toBe(36000);
    expect(body.token_type).toBe("Bearer");
    expect(sim.liveTokens()).toEqual([body.access_token]);
    expect(sim.tokenRequests).toBe(1);
  });

  it("inferred §7 #2: accepts client_id/client_secret in the form body", async () => {
    const sim = createCertnSimulator();
    const { clientId, clientSecret } = sim.credentials;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: clientSecret,
    });
    const response = await sim.fetch(URL_, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(response.status).toBe(200);
  });

  it("inferred §7 #1: a wrong secret, an unknown client or no credentials get 401 invalid_client", async () => {
    const sim = createCertnSimulator();
    const cases = [
      basicHeaders(sim.credentials.clientId, "wrong-secret"),
      basicHeaders("nobody", sim.credentials.clientSecret),
      { "content-type": "application/x-www-form-urlencoded" },
      { ...basicHeaders("x", "y"), authorization: "Basic %%%not-base64" },
    ];
    for (const headers of cases) {
      const response = await sim.fetch(URL_, {
        method: "POST",
        headers,
        body: "grant_type=client_credentials",
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: "invalid_client" });
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
    expect(sim.liveTokens()).toEqual([]);
    expect(sim.tokenRequests).toBe(cases.length);
  });

  it("inferred §7 #1: a missing grant_type is 400 invalid_request, another grant 400 unsupported_grant_type", async () => {
    const sim = createCertnSimulator();
    const headers = basicHeaders(sim.credentials.clientId, sim.credentials.clientSecret);
    const missing = await sim.fetch(URL_, { method: "POST", headers, body: "" });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: "invalid_request",
      error_description: "Request is missing grant type.",
    });
    const other = await sim.fetch(URL_, { method: "POST", headers, body: "grant_type=password" });
    expect(other.status).toBe(400);
    expect(await other.json()).toEqual({ error: "unsupported_grant_type" });
  });

  it("inferred §2.1: a JSON token request has no readable grant_type (only form bodies are parsed)", async () => {
    const sim = createCertnSimulator();
    const headers = {
      ...basicHeaders(sim.credentials.clientId, sim.credentials.clientSecret),
      "content-type": "application/json",
    };
    const response = await sim.fetch(URL_, {
      method: "POST",
      headers,
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: "invalid_request",
      error_description: "Request is missing grant type.",
    });
  });

  it("answers other methods with 405 and Allow: POST", async () => {
    const sim = createCertnSimulator();
    const response = await sim.fetch(URL_);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("uses the configured expires_in and custom clients", async () => {
    const sim = createCertnSimulator({
      tokenExpiresIn: 120,
      clients: [{ clientId: "alpha", clientSecret: "alpha-secret" }],
    });
    expect(sim.credentials.clientId).toBe("alpha");
    const response = await sim.fetch(URL_, {
      method: "POST",
      headers: basicHeaders("alpha", "alpha-secret"),
      body: "grant_type=client_credentials",
    });
    expect(obj(await response.json()).expires_in).toBe(120);
    const demo = await sim.fetch(URL_, {
      method: "POST",
      headers: basicHeaders("certn-demo-client", "certn-demo-secret-please-change"),
      body: "grant_type=client_credentials",
    });
    expect(demo.status).toBe(401);
  });

  it("is deterministic: the same seed issues the same tokens, another seed different ones", async () => {
    const issue = async (seed: number) => {
      const sim = createCertnSimulator({ seed });
      const response = await sim.fetch(URL_, {
        method: "POST",
        headers: basicHeaders(sim.credentials.clientId, sim.credentials.clientSecret),
        body: "grant_type=client_credentials",
      });
      return obj(await response.json()).access_token;
    };
    expect(await issue(7)).toBe(await issue(7));
    expect(await issue(7)).not.toBe(await issue(8));
  });

  it("decodes form-url-encoded Basic credentials (RFC 6749 §2.3.1)", async () => {
    const sim = createCertnSimulator({ clients: [{ clientId: "id with space", clientSecret: "s:e/c+r%t" }] });
    const encoded = `${encodeURIComponent("id with space")}:${encodeURIComponent("s:e/c+r%t")}`;
    const response = await sim.fetch(URL_, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(encoded)}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    expect(response.status).toBe(200);
  });
});
