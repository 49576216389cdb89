/**
 * The cause of a failed request, read from the error chain `fetch` builds. Failures that need the
 * outside world here (DNS, an expired certificate) are built the way undici builds them: a
 * `TypeError("fetch failed")` whose `cause` is the system error with its `code`. The rest are
 * real, in token-check.e2e.test.ts.
 */
import { describe, expect, it } from "vitest";
import { describeNetworkCause } from "../../../src/cli/network-cause.ts";
import { tokenFailureReason } from "../../../src/cli/token-check.ts";
import { CertnAuthError, CertnNetworkError, CertnTimeoutError } from "../../../src/index.ts";

/** What undici's fetch rejects with when the connection fails with `code`. */
function fetchFailed(code: string, message = `${code} happened`): TypeError {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
}

/** As the client wraps it. */
function network(cause: unknown): CertnNetworkError {
  return new CertnNetworkError(
    "POST https://demo-api.certn.co/token/: the request failed before a response arrived",
    {
      cause,
    },
  );
}

const CONTEXT = {
  baseUrl: "https://demo-api.certn.co",
  credentialSource: "CERTN_CLIENT_ID/CERTN_CLIENT_SECRET",
  proxyVariables: [],
};

describe("describeNetworkCause", () => {
  it.each([
    ["ENOTFOUND", "host name not found [ENOTFOUND]"],
    ["EAI_AGAIN", "host name lookup failed (DNS did not answer) [EAI_AGAIN]"],
    ["ECONNREFUSED", "connection refused (nothing listens on that host and port) [ECONNREFUSED]"],
    ["UND_ERR_CONNECT_TIMEOUT", "the connection timed out [UND_ERR_CONNECT_TIMEOUT]"],
    ["CERT_HAS_EXPIRED", "TLS failed: the server's certificate has expired [CERT_HAS_EXPIRED]"],
    [
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "TLS failed: the server's certificate is for another host name [ERR_TLS_CERT_ALTNAME_INVALID]",
    ],
    ["CERT_REVOKED", "TLS failed [CERT_REVOKED]"],
    ["ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", "TLS failed [ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE]"],
    ["EWHATEVER", "the connection failed [EWHATEVER]"],
  ])("%s", (code, expected) => {
    expect(describeNetworkCause(network(fetchFailed(code)))).toBe(expected);
  });

  it("prefers the innermost code (undici wraps the system error in its own)", () => {
    const inner = Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.example"), { code: "ENOTFOUND" });
    const wrapped = Object.assign(new Error("connect failed", { cause: inner }), { code: "UND_ERR_SOCKET" });
    expect(describeNetworkCause(new TypeError("fetch failed", { cause: wrapped }))).toBe(
      "host name not found [ENOTFOUND]",
    );
  });

  it("reads the members of an AggregateError (every address of a host name tried)", () => {
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: "ECONNREFUSED" });
    const all = new AggregateError([refused("::1:8443"), refused("127.0.0.1:8443")], "all failed");
    expect(describeNetworkCause(new TypeError("fetch failed", { cause: all }))).toBe(
      "connection refused (nothing listens on that host and port) [ECONNREFUSED]",
    );
  });

  it("says nothing it does not know, and survives a cause cycle", () => {
    expect(describeNetworkCause(new TypeError("fetch failed"))).toBeUndefined();
    const looped: Error & { cause?: unknown } = new Error("loop");
    looped.cause = looped;
    expect(describeNetworkCause(looped)).toBeUndefined();
    expect(describeNetworkCause("not an error")).toBeUndefined();
  });

  it("never repeats the system error's own message (it may hold a proxy URL with a password)", () => {
    const text = describeNetworkCause(
      fetchFailed("ECONNRESET", "socket hang up at http://u:pw-123@proxy:3128"),
    );
    expect(text).toBe("the connection was reset before an answer arrived [ECONNRESET]");
  });
});

describe("tokenFailureReason", () => {
  it("network: the token URL and the cause", () => {
    expect(tokenFailureReason(network(fetchFailed("ENOTFOUND")), CONTEXT)).toBe(
      "POST https://demo-api.certn.co/token/: host name not found [ENOTFOUND]",
    );
  });

  it("refused credentials: Certn's answer and which variables to check", () => {
    const refused = new CertnAuthError(
      "POST https://demo-api.certn.co/token/ -> 401: the token endpoint refused the client credentials (invalid_client)",
      { code: "CERTN_AUTH_REFUSED", status: 401 },
    );
    const reason = tokenFailureReason(refused, CONTEXT);
    expect(reason).toMatch(
      /^POST https:\/\/demo-api\.certn\.co\/token\/ -> 401: .*\(invalid_client\); check CERTN_CLIENT_ID\/CERTN_CLIENT_SECRET/,
    );
  });

  it("timeout: points at --timeout", () => {
    const timeout = new CertnTimeoutError(
      "POST https://demo-api.certn.co/token/: no complete response within 50 ms",
      {
        timeoutMs: 50,
      },
    );
    expect(tokenFailureReason(timeout, CONTEXT)).toBe(
      "POST https://demo-api.certn.co/token/: no complete response within 50 ms (--timeout sets how long to wait)",
    );
  });

  it("an error that is not the library's: only its kind, never its message", () => {
    expect(tokenFailureReason(new RangeError("secret-ish detail"), CONTEXT)).toBe(
      "POST https://demo-api.certn.co/token/: RangeError",
    );
  });
});
