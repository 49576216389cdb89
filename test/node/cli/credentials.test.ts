import { describe, expect, it } from "vitest";
import { credentialsFromEnv } from "../../../src/cli/credentials.ts";
import { UsageError } from "../../../src/cli/usage-error.ts";

describe("credentialsFromEnv", () => {
  it("reads CERTN_CLIENT_ID / CERTN_CLIENT_SECRET and CERTN_BASE_URL", () => {
    expect(
      credentialsFromEnv({
        CERTN_CLIENT_ID: "id",
        CERTN_CLIENT_SECRET: "secret",
        CERTN_BASE_URL: "https://api.certn.co",
      }),
    ).toEqual({
      credentials: { clientId: "id", clientSecret: "secret" },
      baseUrl: "https://api.certn.co",
      source: "CERTN_CLIENT_ID/CERTN_CLIENT_SECRET",
    });
  });

  it("falls back to the getting-started names CLIENT_ID / CLIENT_SECRET, after the CERTN_ ones", () => {
    expect(credentialsFromEnv({ CLIENT_ID: "g", CLIENT_SECRET: "s" }).credentials).toEqual({
      clientId: "g",
      clientSecret: "s",
    });
    expect(
      credentialsFromEnv({
        CLIENT_ID: "g",
        CLIENT_SECRET: "s",
        CERTN_CLIENT_ID: "c",
        CERTN_CLIENT_SECRET: "t",
      }).credentials,
    ).toEqual({ clientId: "c", clientSecret: "t" });
  });

  it("reads an API key with its scheme (Bearer by default, Api-Key for CertnCentric)", () => {
    expect(credentialsFromEnv({ CERTN_API_KEY: "k" }).credentials).toEqual({
      apiKey: "k",
      apiKeyScheme: "Bearer",
    });
    expect(credentialsFromEnv({ CERTN_API_KEY: "k", CERTN_API_KEY_SCHEME: "api-key" }).credentials).toEqual({
      apiKey: "k",
      apiKeyScheme: "Api-Key",
    });
  });

  it("reports nothing set as no credential, and empty values as unset", () => {
    expect(credentialsFromEnv({ CERTN_CLIENT_ID: " ", HOME: "unused" })).toEqual({
      credentials: undefined,
      baseUrl: undefined,
      source: undefined,
    });
  });

  it("refuses half a pair, two kinds at once and an unknown scheme, naming variables only", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ CERTN_CLIENT_ID: "id" }, /CERTN_CLIENT_ID is set but CERTN_CLIENT_SECRET is not/],
      [{ CLIENT_SECRET: "hunter2" }, /CLIENT_SECRET is set but CLIENT_ID is not/],
      [{ CERTN_CLIENT_ID: "id", CERTN_CLIENT_SECRET: "hunter2", CERTN_API_KEY: "k" }, /keep only one/],
      [{ CERTN_API_KEY: "k", CERTN_API_KEY_SCHEME: "Token" }, /CERTN_API_KEY_SCHEME must be "Api-Key"/],
    ];
    for (const [env, message] of cases) {
      let error: unknown;
      try {
        credentialsFromEnv(env);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("hunter2");
    }
  });
});
