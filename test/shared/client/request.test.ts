import { describe, expect, it } from "vitest";
import {
  CertnAuthError,
  CertnError,
  CertnErrorCode,
  CertnHttpError,
  CertnNetworkError,
  CertnResponseError,
  CertnTimeoutError,
  isCertnAuthError,
  isCertnError,
  isCertnHttpError,
  isCertnNetworkError,
  isCertnResponseError,
  isCertnTimeoutError,
} from "../../../src/index.ts";
import { BASE, CLIENT_SECRET, json, makeClient, rejectionOf, withTokens } from "./harness.ts";

describe("client.request", () => {
  it("sends JSON with query parameters and returns the parsed body", async () => {
    const { client, server } = makeClient(withTokens(() => json(201, { id: "x" })));
    const body = await client.request<{ id: string }>("post", "/api/v1/teams/", {
      query: { page: 2, tag: ["a", "b"], skip: undefined },
      json: { name: "Team" },
      headers: { "X-Request-Id": "r1" },
    });
    expect(body).toEqual({ id: "x" });
    const [sent] = server.api();
    expect(sent?.method).toBe("POST");
    expect(sent?.url).toBe(`${BASE}/api/v1/teams/?page=2&tag=a&tag=b`);
    expect(sent?.headers.get("content-type")).toBe("application/json");
    expect(sent?.headers.get("x-request-id")).toBe("r1");
    expect(JSON.parse(sent?.body ?? "")).toEqual({ name: "Team" });
  });

  it("returns undefined for 204 and for an empty body", async () => {
    const { client } = makeClient(
      withTokens((_r, i) => (i === 1 ? new Response(null, { status: 204 }) : new Response(""))),
    );
    expect(await client.request("DELETE", "/api/v2/applicants/a/")).toBeUndefined();
    expect(await client.request("GET", "/api/v1/teams/")).toBeUndefined();
  });

  it("throws CertnResponseError for a 200 that is not JSON", async () => {
    const { client } = makeClient(withTokens(() => new Response("<html>oops</html>", { status: 200 })));
    const error = await rejectionOf(client.request("GET", "/api/v1/teams/"));
    expect(isCertnResponseError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `GET ${BASE}/api/v1/teams/ -> 200: the response body is not valid JSON`,
    );
  });

  it("throws CertnHttpError with status, body and METHOD URL -> STATUS (no query)", async () => {
    const body = {
      email: ["This field is required."],
      information: { addresses: ["This field is required."] },
    };
    const { client } = makeClient(withTokens(() => json(400, body)));
    const error = await rejectionOf(
      client.request("POST", "/api/v1/hr/applications/invite/", { query: { secret: "q" }, json: {} }),
    );
    expect(isCertnHttpError(error)).toBe(true);
    const http = error as CertnHttpError;
    expect(http.status).toBe(400);
    expect(http.body).toEqual(body);
    expect(http.code).toBe(CertnErrorCode.HTTP);
    expect(http.message).toBe(
      `POST ${BASE}/api/v1/hr/applications/invite/ -> 400: email: This field is required.; information.addresses: This field is required.`,
    );
    expect(http.message).not.toContain("secret=q");
  });

  it("summarises without echoing submitted values", async () => {
    const { client } = makeClient(
      withTokens(() =>
        json(400, { country: ['"Jane Doe 1987-03-04" is not a valid choice.'], non_field_errors: ["Bad."] }),
      ),
    );
    const error = (await rejectionOf(client.request("POST", "/api/v1/teams/", { json: {} }))) as Error;
    expect(error.message).toContain('country: "…" is not a valid choice.');
    expect(error.message).toContain("Bad.");
    expect(error.message).not.toContain("Jane");
  });

  it("keeps Certn's account-configuration message, check flag included", async () => {
    const message =
      'Account not configured to "request_equifax". Please contact support@certn.co to update your plan.';
    const { client } = makeClient(withTokens(() => json(400, { request_equifax: [message] })));
    const error = (await rejectionOf(
      client.request("POST", "/api/v1/hr/applications/quick/", { json: {} }),
    )) as Error;
    expect(error.message).toContain(`request_equifax: ${message}`);
  });

  it("reads DRF detail bodies", async () => {
    const { client } = makeClient(withTokens(() => json(404, { detail: "Not found." })));
    const error = (await rejectionOf(client.request("GET", "/api/v1/teams/x/"))) as Error;
    expect(error.message).toBe(`GET ${BASE}/api/v1/teams/x/ -> 404: Not found.`);
  });

  it("parses CertnCentric's error envelope", async () => {
    const envelope = {
      type: "validation_error",
      errors: [
        { code: "required", detail: "email_address is required", attr: "email_address" },
        { code: "invalid", detail: "bad", attr: "check_types_with_arguments" },
      ],
    };
    const { client } = makeClient(withTokens(() => json(400, envelope)));
    const error = (await rejectionOf(
      client.request("POST", "/api/public/cases/order/", { json: {} }),
    )) as CertnHttpError;
    expect(error.message).toBe(
      `POST ${BASE}/api/public/cases/order/ -> 400: email_address: email_address is required (+1 more)`,
    );
    expect(error.errors).toEqual(envelope.errors);
  });

  it("keeps a non-JSON error body as text", async () => {
    const { client } = makeClient(
      withTokens(
        () => new Response("<h1>Server Error</h1>", { status: 500, statusText: "Internal Server Error" }),
      ),
    );
    const error = (await rejectionOf(
      client.request("GET", "/api/v1/teams/", { send: { retry: { retries: 0 } } }),
    )) as CertnHttpError;
    expect(error.status).toBe(500);
    expect(error.body).toBe("<h1>Server Error</h1>");
    expect(error.message).toBe(`GET ${BASE}/api/v1/teams/ -> 500 Internal Server Error`);
  });

  it.each(["/api/v1/teams/", "/api/v2/applicants/", "/hr/v1/applicants/"])(
    "turns a 410 from the partner path %s into CERTN_API_RETIRED",
    async (path) => {
      const { client } = makeClient(withTokens(() => json(410, { detail: "Gone" })));
      const error = (await rejectionOf(client.request("GET", path))) as CertnHttpError;
      expect(isCertnHttpError(error)).toBe(true);
      expect(error.code).toBe(CertnErrorCode.API_RETIRED);
      expect(error.status).toBe(410);
      expect(error.message).toContain("partner API is retired");
      expect(error.message).toContain("apiKeyScheme: 'Api-Key'");
      expect(error.message).toContain("CERTN_CENTRIC_SANDBOX_URL");
    },
  );

  it("leaves a 410 elsewhere as a plain HTTP error", async () => {
    const { client } = makeClient(withTokens(() => json(410, { detail: "Gone" })));
    const error = (await rejectionOf(client.request("GET", "/api/public/cases/x/"))) as CertnHttpError;
    expect(error.code).toBe(CertnErrorCode.HTTP);
  });

  it("refuses a path that is not a single-slash path", async () => {
    const { client, server } = makeClient(withTokens(() => json(200, {})));
    await expect(client.request("GET", "//evil.test/x")).rejects.toThrow(TypeError);
    await expect(client.request("GET", "https://evil.test/x")).rejects.toThrow(TypeError);
    expect(server.seen).toHaveLength(0);
  });
});

describe("errors", () => {
  const samples = (): CertnError[] => [
    new CertnError(CertnErrorCode.EGRESS_REFUSED, "base"),
    new CertnHttpError("GET u -> 400", { status: 400, method: "GET", url: "u", body: { email: ["x"] } }),
    new CertnAuthError("refused", { status: 401 }),
    new CertnTimeoutError("slow", { timeoutMs: 5 }),
    new CertnNetworkError("down", { cause: new TypeError("reset") }),
    new CertnResponseError("shape"),
  ];

  it("have guards that agree with the classes", () => {
    const [base, http, auth, timeout, network, response] = samples();
    expect([base, http, auth, timeout, network, response].every(isCertnError)).toBe(true);
    expect(isCertnHttpError(http)).toBe(true);
    expect(isCertnHttpError(auth)).toBe(false);
    expect(isCertnAuthError(auth)).toBe(true);
    expect(isCertnTimeoutError(timeout)).toBe(true);
    expect(isCertnNetworkError(network)).toBe(true);
    expect(isCertnResponseError(response)).toBe(true);
    expect(isCertnError(new Error("x"))).toBe(false);
    expect(isCertnError(null)).toBe(false);
    expect(isCertnError("CERTN")).toBe(false);
  });

  it("guards recognise errors from another copy of the package (brand, not instanceof)", () => {
    const foreign = Object.create(Error.prototype) as Record<symbol, unknown>;
    Object.defineProperty(foreign, Symbol.for("certn-edge.error"), { value: true });
    Object.defineProperty(foreign, Symbol.for("certn-edge.error.kind"), { value: "timeout" });
    expect(foreign instanceof CertnError).toBe(false);
    expect(isCertnError(foreign)).toBe(true);
    expect(isCertnTimeoutError(foreign)).toBe(true);
    expect(isCertnHttpError(foreign)).toBe(false);
  });

  it("serialise safely: JSON has code and message but never the body", () => {
    for (const error of samples()) {
      const text = JSON.stringify(error);
      const parsed = JSON.parse(text) as Record<string, unknown>;
      expect(parsed.code).toBe(error.code);
      expect(parsed.message).toBe(error.message);
      expect(text).not.toContain("email");
      expect(String(error)).toContain(error.message);
    }
  });

  it("never carry the secret, the Basic header or a token in any failure path", async () => {
    const basic = `Basic ${btoa(`test-client-id:${CLIENT_SECRET}`)}`;
    const failures: unknown[] = [];
    const handlers = [
      () => json(401, { error: "invalid_client" }),
      () => json(200, { expires_in: 5 }),
      () => json(500, { detail: "boom" }),
      () => Promise.reject(new TypeError("reset")),
    ];
    for (const handler of handlers) {
      const { client } = makeClient((r) => (r.path === "/token/" ? handler() : json(200, {})), {
        retry: { retries: 0 },
      });
      failures.push(await rejectionOf(client.request("GET", "/api/v1/teams/")));
    }
    const { client } = makeClient(withTokens(() => json(400, { detail: "tok-1 rejected" })));
    failures.push(await rejectionOf(client.request("GET", "/api/v1/teams/")));
    for (const error of failures) {
      const rendered = [
        String(error),
        JSON.stringify(error),
        (error as Error).stack ?? "",
        (error as Error).message,
      ];
      for (const text of rendered) {
        expect(text).not.toContain(CLIENT_SECRET);
        expect(text).not.toContain(basic.slice(6));
      }
    }
  });

  it("the client serialises to a safe summary", () => {
    const { client } = makeClient(withTokens(() => json(200, {})));
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      name: "CertnClient",
      baseUrl: BASE,
      auth: "client-credentials",
    });
    expect(String(client)).toBe(`CertnClient(${BASE}, client-credentials)`);
    expect(JSON.stringify(client)).not.toContain(CLIENT_SECRET);
    expect(Object.values(client).some((v) => typeof v === "string" && v.includes(CLIENT_SECRET))).toBe(false);
  });
});

describe("error summaries", () => {
  it("mask quoted input and SIN-shaped numbers, keep apostrophes and check flags", async () => {
    const { summarizeErrorBody } = await import("../../../src/core/error-summary.ts");
    expect(summarizeErrorBody({ sin: ["123-456-789 is not valid."] })).toBe("sin: … is not valid.");
    expect(summarizeErrorBody({ detail: "You don't have permission; it isn't allowed." })).toBe(
      "You don't have permission; it isn't allowed.",
    );
    expect(summarizeErrorBody({ detail: "Method 'DELETE' not allowed." })).toBe('Method "…" not allowed.');
    expect(summarizeErrorBody({ first_name: "Jane" })).toBeUndefined();
    expect(summarizeErrorBody({ a: ["1"], b: ["2"], c: ["3"], d: ["4"] })).toBe("a: 1; b: 2; c: 3");
  });
});
