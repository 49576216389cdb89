import { describe, expect, it } from "vitest";
import { isBlockedHeader } from "../../../src/collection/blocked-headers.ts";
import { isBlockedHeader as transportRefuses } from "../../../src/core/blocked-headers.ts";

const BLOCKED = [
  "Authorization",
  "authorization",
  "PROXY-AUTHORIZATION",
  "Cookie",
  "Host",
  "Content-Length",
  "Transfer-Encoding",
  "Connection",
  "Forwarded",
  "X-Forwarded-For",
  "x-forwarded-proto",
  "Proxy-Connection",
  "proxy-anything",
  "X-HTTP-Method-Override",
];
const ALLOWED = [
  "Accept",
  "Content-Type",
  "X-Request-Id",
  "Hostname",
  "Cookies",
  "X-Forwarded",
  "Forwarded-For",
  "Set-Cookie2",
  "Api-Key",
];

describe("isBlockedHeader", () => {
  it.each(BLOCKED)("blocks %s", (name) => {
    expect(isBlockedHeader(name)).toBe(true);
    expect(isBlockedHeader(` ${name} `)).toBe(true);
  });

  it.each(ALLOWED)("allows %s", (name) => {
    expect(isBlockedHeader(name)).toBe(false);
  });

  it("agrees with the transport's own check, so validation and sending refuse the same names", () => {
    for (const name of [...BLOCKED, ...ALLOWED]) expect(isBlockedHeader(name)).toBe(transportRefuses(name));
  });
});
