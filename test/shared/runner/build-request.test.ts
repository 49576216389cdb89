import { describe, expect, it } from "vitest";
import type { JsonValue, RequestSpec } from "../../../src/collection/model.ts";
import { UnknownVariableError } from "../../../src/collection/template.ts";
import { buildRequest } from "../../../src/runner/build-request.ts";

const BASE = "https://demo-api.certn.co";

/** A lookup over fixed variables. */
const vars =
  (values: Record<string, JsonValue>) =>
  (name: string): JsonValue | undefined =>
    values[name];

describe("buildRequest: a bodiless request is reused while its templates expand the same", () => {
  it("gives the same request for the same expansion, and a new one when a value changes", () => {
    const spec: RequestSpec = {
      method: "GET",
      url: "/api/v1/applicants/{{id}}/",
      headers: { "X-Trace": "{{trace}}" },
    };
    const first = buildRequest(spec, vars({ id: "a1", trace: "t" }), BASE);
    expect(buildRequest(spec, vars({ id: "a1", trace: "t" }), BASE)).toBe(first);

    const otherId = buildRequest(spec, vars({ id: "a2", trace: "t" }), BASE);
    expect(otherId).not.toBe(first);
    expect(otherId.url.href).toBe(`${BASE}/api/v1/applicants/a2/`);
    expect(otherId.request.url).toBe(`${BASE}/api/v1/applicants/a2/`);

    const otherHeader = buildRequest(spec, vars({ id: "a2", trace: "u" }), BASE);
    expect(otherHeader).not.toBe(otherId);
    expect(otherHeader.request.headers.get("x-trace")).toBe("u");
    expect(otherHeader.headers).toEqual({ "X-Trace": "u" });
  });

  it("expands each template once, whether the request is reused or built anew", () => {
    const spec: RequestSpec = {
      method: "GET",
      url: "/api/v1/applicants/{{id}}/",
      query: { page: "{{page}}" },
      headers: { "X-Trace": "{{trace}}" },
    };
    const asked: string[] = [];
    const counting =
      (values: Record<string, JsonValue>) =>
      (name: string): JsonValue | undefined => {
        asked.push(name);
        return values[name];
      };
    buildRequest(spec, counting({ id: "a1", page: 1, trace: "t" }), BASE);
    expect(asked).toEqual(["id", "page", "trace"]);
    asked.length = 0;
    const reused = buildRequest(spec, counting({ id: "a1", page: 1, trace: "t" }), BASE);
    expect(asked).toEqual(["id", "page", "trace"]);
    asked.length = 0;
    const built = buildRequest(spec, counting({ id: "a2", page: 2, trace: "t" }), BASE);
    expect(asked).toEqual(["id", "page", "trace"]);
    expect(built).not.toBe(reused);
    expect(built.url.href).toBe(`${BASE}/api/v1/applicants/a2/?page=2`);
  });

  it("tells apart values whose concatenations are equal", () => {
    const spec: RequestSpec = { method: "GET", url: "/api/v1/teams/", query: { a: "{{x}}", b: "{{y}}" } };
    const one = buildRequest(spec, vars({ x: "1", y: "22" }), BASE);
    const two = buildRequest(spec, vars({ x: "12", y: "2" }), BASE);
    expect(two).not.toBe(one);
    expect(one.url.search).toBe("?a=1&b=22");
    expect(two.url.search).toBe("?a=12&b=2");
    // A value may look like the key's own separators.
    const three = buildRequest(spec, vars({ x: "1:1|", y: "2" }), BASE);
    expect(three.url.searchParams.get("a")).toBe("1:1|");
  });

  it("resolves against each base URL it is given", () => {
    const spec: RequestSpec = { method: "GET", url: "/api/v1/teams/" };
    const demo = buildRequest(spec, vars({}), BASE);
    const local = buildRequest(spec, vars({}), "http://127.0.0.1:8787");
    expect(local.url.origin).toBe("http://127.0.0.1:8787");
    expect(demo.url.origin).toBe(BASE);
  });

  it("builds a request with a body anew every time (sending consumes a body)", () => {
    const spec: RequestSpec = { method: "POST", url: "/api/v1/hr/applicants/", json: { email: "{{email}}" } };
    const lookup = vars({ email: "a@example.com" });
    const first = buildRequest(spec, lookup, BASE);
    const second = buildRequest(spec, lookup, BASE);
    expect(second).not.toBe(first);
    expect(second.request).not.toBe(first.request);
    expect(second.body).toEqual({ email: "a@example.com" });
  });

  it("reports a failed expansion as before, even after a reused build", () => {
    const spec: RequestSpec = { method: "GET", url: "/api/v1/applicants/{{id}}/" };
    buildRequest(spec, vars({ id: "a1" }), BASE);
    expect(() => buildRequest(spec, vars({}), BASE)).toThrow(UnknownVariableError);
  });

  it("still refuses a URL off the base origin that a template expands to", () => {
    const spec: RequestSpec = { method: "GET", url: "{{target}}" };
    buildRequest(spec, vars({ target: "/api/v1/teams/" }), BASE);
    expect(() => buildRequest(spec, vars({ target: "https://evil.example/steal" }), BASE)).toThrow(
      /egress|origin/i,
    );
  });
});
