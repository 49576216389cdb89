/**
 * The paid-order guard decides on a canonical form: no spelling of an ordering route, and no
 * spelling of a production origin, gets an order through without `allowOrders` (property-tested).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalPath,
  isOrderRequest,
  isProductionOrigin,
  isSafeWrite,
  orderGuardRefusal,
} from "../../../src/runner/order-guard.ts";

const PRODUCTION = [
  "https://api.certn.co",
  "https://api.ca.certn.co",
  "https://api.uk.certn.co",
  "https://api.au.certn.co",
];
const NOT_PRODUCTION = ["https://demo-api.certn.co", "https://api.sandbox.certn.co", "http://127.0.0.1:8788"];
const WRITES = ["POST", "PUT", "PATCH", "DELETE", "post", "Patch"];

/** Ordering routes as segments; `{id}` stands for an applicant id. */
const ORDER_ROUTES: string[][] = [
  ["api", "v1", "hr", "applications", "quick"],
  ["api", "v1", "hr", "applications", "invite"],
  ["api", "v1", "pm", "applications", "quick"],
  ["hr", "v1", "applications", "invite"],
  ["api", "v2", "applications", "quick"],
  ["api", "v1", "hr", "applicants", "{id}", "packages"],
  ["api", "v2", "applicants", "{id}", "packages"],
  ["api", "public", "cases", "order"],
  ["api", "public", "cases", "order-package"],
];

/** `path` appended to `origin` as written (not resolved: a leading `//` stays part of the path). */
const at = (origin: string, path: string): URL => new URL(`${origin}${path}`);

describe("canonicalPath", () => {
  it.each([
    ["/api/v1/hr/applications//quick/", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications/quick//", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications/quick/;x", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications/quick;jsessionid=1/", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications/quick/%2F", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications/quick.json", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications/quick.json/", "/api/v1/hr/applications/quick/"],
    ["/API/V1/HR/Applications/QUICK", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications%2Fquick%2F", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications%252Fquick", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/x/%2E%2E/applications/quick/", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications/quick%3Fx=1", "/api/v1/hr/applications/quick/"],
    ["/api/v1/hr/applications%5Cquick", "/api/v1/hr/applications/quick/"],
    ["/api/public//cases/order/", "/api/public/cases/order/"],
    ["/", "/"],
  ])("%s is %s", (path, canonical) => {
    expect(canonicalPath(at("https://api.certn.co", path).pathname)).toBe(canonical);
  });

  it("gives up (unknown) on an encoding that never settles", () => {
    expect(canonicalPath(`/a${"%25".repeat(3)}252F`)).toBeDefined();
    expect(canonicalPath(`/a%${"25".repeat(12)}2F`)).toBeUndefined();
  });
});

describe("origins", () => {
  it("counts every production origin in any spelling, and nothing else", () => {
    for (const origin of PRODUCTION) {
      expect(isProductionOrigin(origin)).toBe(true);
      expect(isProductionOrigin(`${origin.toUpperCase()}.`)).toBe(true);
      expect(isProductionOrigin(`${origin}.:443/any/path`)).toBe(true);
    }
    for (const origin of [
      ...NOT_PRODUCTION,
      "https://api.certn.co.evil.test",
      "https://api.certn.co:8443",
      "not a url",
    ]) {
      expect(isProductionOrigin(origin)).toBe(false);
    }
  });
});

describe("the guard", () => {
  it("refuses every write method on an ordering route, never a read", () => {
    const url = at("https://api.certn.co", "/api/v1/hr/applicants/x/packages/");
    for (const method of WRITES)
      expect(orderGuardRefusal(method, url, "https://api.certn.co")).toMatch(/orders a paid/);
    for (const method of ["GET", "HEAD", "OPTIONS", "get"]) {
      expect(orderGuardRefusal(method, url, "https://api.certn.co")).toBeUndefined();
    }
  });

  it("fails closed on production for a write it does not know, and lets known-free writes through", () => {
    const refused = [
      ["POST", "/api/v1/whatever/"],
      ["POST", "/api/public/cases/"],
      ["PUT", "/api/v1/hr/applicants/1/"],
      ["POST", "/api/public/cases/a.b/cancel/"],
      ["DELETE", "/api/public/cases/1/"],
      ["POST", "/api/v1/hr/applications/quick%20/"],
    ];
    for (const [method, path] of refused) {
      expect(
        orderGuardRefusal(
          method as string,
          at("https://api.ca.certn.co", path as string),
          "https://api.ca.certn.co",
        ),
      ).toMatch(/does not know to be free/);
    }
    const free = [
      ["POST", "/api/public/cases/0b6e-12/cancel/"],
      ["POST", "/api/public/cases/abc/generate-report/"],
      ["POST", "/api/v1/teams/"],
      ["PUT", "/api/v1/superteams/1234/"],
      ["DELETE", "/hr/v1/applicants/5/"],
      ["POST", "/api/v2/listings//"],
    ];
    for (const [method, path] of free) {
      const url = at("https://api.certn.co", path as string);
      expect(isSafeWrite(method as string, url)).toBe(true);
      expect(orderGuardRefusal(method as string, url, "https://api.certn.co")).toBeUndefined();
    }
  });

  it("refuses nothing off production", () => {
    for (const origin of NOT_PRODUCTION) {
      for (const path of ["/api/v1/hr/applications/quick/", "/api/v1/whatever/"]) {
        expect(orderGuardRefusal("POST", at(origin, path), origin)).toBeUndefined();
      }
    }
  });
});

/** A character as written, or percent-encoded (either hex case, maybe twice). */
const spelledChar = (char: string) =>
  fc.constantFrom("as-is", "upper", "encoded", "encoded-lower", "double").map((how) => {
    const hex = char.charCodeAt(0).toString(16).padStart(2, "0");
    if (how === "upper") return char.toUpperCase();
    if (how === "encoded") return `%${hex.toUpperCase()}`;
    if (how === "encoded-lower") return `%${hex.toLowerCase()}`;
    if (how === "double") return `%25${hex.toUpperCase()}`;
    return char;
  });

/** A segment spelled character by character, maybe with a `;parameter`. */
const spelledSegment = (segment: string) =>
  fc
    .tuple(fc.tuple(...[...segment].map(spelledChar)), fc.constantFrom("", ";x", ";jsessionid=1", ";"))
    .map(([chars, parameter]) => chars.join("") + parameter);

/** What may stand between two segments. */
const separator = fc.constantFrom(
  "/",
  "//",
  "///",
  "/./",
  "/%2F",
  "/%2f",
  "/zz/../",
  "/%2e/",
  "\\",
  "/%5C",
  "/%252F",
);
/** What may end the path. */
const ending = fc.constantFrom(
  "/",
  "",
  "//",
  "/;x",
  "/%2F",
  ".json",
  ".json/",
  ".api/",
  "/.",
  "/?q=1",
  "/#f",
  "%3F",
);

/** An ordering route in an arbitrary spelling. */
const orderSpelling = fc
  .constantFrom(...ORDER_ROUTES)
  .chain((route) =>
    fc.tuple(
      fc.tuple(...route.map((segment) => spelledSegment(segment === "{id}" ? "a1b2" : segment))),
      fc.array(separator, { minLength: route.length, maxLength: route.length }),
      ending,
    ),
  )
  .map(
    ([segments, separators, end]) =>
      segments.map((segment, i) => `${separators[i]}${segment}`).join("") + end,
  );

/** A production origin in an arbitrary spelling (letter case, trailing dot, default port). */
const productionSpelling = fc
  .tuple(fc.constantFrom(...PRODUCTION), fc.boolean(), fc.boolean(), fc.boolean())
  .map(
    ([origin, upper, dot, port]) =>
      `${upper ? origin.toUpperCase() : origin}${dot ? "." : ""}${port ? ":443" : ""}`,
  );

describe("property: every spelling of an order is refused on production", () => {
  it("whatever the path spelling, method case and origin spelling", () => {
    fc.assert(
      fc.property(orderSpelling, fc.constantFrom(...WRITES), productionSpelling, (path, method, origin) => {
        const url = at(origin, path);
        expect(isOrderRequest(method, url)).toBe(true);
        expect(orderGuardRefusal(method, url, origin)).toMatch(/orders a paid check/);
        expect(isSafeWrite(method, url)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("fails closed: a write to any path off the known-free list is refused on production", () => {
    // Pieces of ordering routes and of encodings, but never a whole known-free route.
    const pathChars = fc.constantFrom(
      "a",
      "/",
      "%",
      "2",
      "F",
      ";",
      ".",
      "quick",
      "order",
      "cases",
      "applications",
      "..",
    );
    fc.assert(
      fc.property(fc.array(pathChars, { maxLength: 12 }), fc.constantFrom(...WRITES), (parts, method) => {
        const url = at("https://api.certn.co", `/${parts.join("")}`);
        expect(isSafeWrite(method, url)).toBe(false);
        expect(orderGuardRefusal(method, url, "https://api.certn.co")).toMatch(/^refused: /);
      }),
      { numRuns: 2000 },
    );
  });
});
