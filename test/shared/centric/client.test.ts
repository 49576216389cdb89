import { describe, expect, it } from "vitest";
import { createCertnClient } from "../../../src/client.ts";
import { CERTN_CENTRIC_SANDBOX_URL } from "../../../src/core/base-urls.ts";
import { isCertnHttpError } from "../../../src/core/errors.ts";
import {
  type CertnCentricCaseStatus,
  createCentricResources,
  isCertnCentricTerminalStatus,
} from "../../../src/resources/centric/index.ts";
import { json, page } from "./context.ts";

const apiKey = "sk_test_abc123def456";

function centricClient(handler: (request: Request) => Response) {
  const seen: Request[] = [];
  const client = createCertnClient({
    apiKey,
    apiKeyScheme: "Api-Key",
    retry: { retries: 0 },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      seen.push(request);
      return handler(request);
    },
  });
  return { client, centric: createCentricResources(client), seen };
}

describe("CertnCentric through createCertnClient({ apiKey, apiKeyScheme: 'Api-Key' })", () => {
  it("sends Authorization: Api-Key to the sandbox origin by default", async () => {
    const { client, centric, seen } = centricClient(() => json(page([{ id: "c1" }], 1, null)));
    expect(client.baseUrl).toBe(CERTN_CENTRIC_SANDBOX_URL);
    await centric.cases.list({ page: 1, page_size: 1 });
    expect(seen[0]?.headers.get("authorization")).toBe(`Api-Key ${apiKey}`);
    expect(seen[0]?.url).toBe(`${CERTN_CENTRIC_SANDBOX_URL}/api/public/cases/?page=1&page_size=1`);
  });

  it("reports a 401 envelope as a CertnHttpError without the key (inferred drf-standardized-errors code)", async () => {
    const envelope = {
      type: "client_error",
      errors: [{ code: "authentication_failed", detail: "Invalid API key.", attr: null }],
    };
    const { centric, seen } = centricClient(() => json(envelope, 401));
    const error = await centric.groups.list().catch((e: unknown) => e);
    expect(isCertnHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401, errors: envelope.errors });
    expect(seen).toHaveLength(1);
    expect(String(error)).not.toContain(apiKey);
    expect(JSON.stringify(error)).not.toContain(apiKey);
    expect((error as Error).message).toMatch(/GET .*\/api\/public\/groups\/ -> 401/);
  });

  it("never retries an order after a 5xx (a POST may have ordered a paid check)", async () => {
    const client = createCertnClient({
      apiKey,
      apiKeyScheme: "Api-Key",
      retry: { retries: 3, baseDelayMs: 1 },
      sleep: async () => undefined,
      fetch: async () =>
        json({ type: "server_error", errors: [{ code: "error", detail: "boom", attr: null }] }, 500),
    });
    const attempts: number[] = [];
    const centric = createCentricResources({
      request: (method, path, options) =>
        client.request(method, path, {
          ...options,
          send: { onAttempt: (info) => attempts.push(info.attempt) },
        }),
    });
    await expect(
      centric.cases.order({
        email_address: "a@example.com",
        check_types_with_arguments: { IDENTITY_VERIFICATION_1: {} },
        send_invite_email: true,
      }),
    ).rejects.toMatchObject({ status: 500 });
    expect(attempts).toEqual([1]);
  });
});

describe("CertnCentric enums", () => {
  it("treat the five statuses public code calls final as terminal, and keep unknown values", () => {
    const unknown: CertnCentricCaseStatus = "SOME_FUTURE_STATUS";
    expect(isCertnCentricTerminalStatus(unknown)).toBe(false);
    for (const status of [
      "COMPLETE",
      "CANCELLED",
      "APPLICANT_EXPIRED",
      "APPLICANT_DECLINED",
      "INVITE_UNDELIVERABLE",
    ]) {
      expect(isCertnCentricTerminalStatus(status)).toBe(true);
    }
    for (const status of ["CASE_ORDERED", "IN_PROGRESS", "APPLICANT_INVITED", undefined, null]) {
      expect(isCertnCentricTerminalStatus(status)).toBe(false);
    }
  });
});
