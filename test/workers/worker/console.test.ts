/**
 * The web console's shell as the Worker serves it: no token needed, no data inside, a strict
 * Content-Security-Policy and the other security headers, the script and style sheet named by
 * their content-hashed paths (served as static assets, not by the Worker's code), and the JSON
 * routes still refusing a request without a token.
 */
import { describe, expect, it } from "vitest";
import { CONSOLE_SCRIPT_PATH, CONSOLE_STYLE_PATH } from "../../../src/worker/console/assets.ts";
import { createHarness } from "./harness.ts";

/** The directives of a Content-Security-Policy header, by name. */
function directives(policy: string | null): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const part of (policy ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name !== undefined && name !== "") found.set(name, values);
  }
  return found;
}

function expectSecurityHeaders(response: Response): void {
  const csp = directives(response.headers.get("content-security-policy"));
  expect(csp.get("default-src")).toEqual(["'self'"]);
  expect(csp.get("script-src")).toEqual(["'self'"]);
  expect(csp.get("style-src")).toEqual(["'self'"]);
  expect(csp.get("object-src")).toEqual(["'none'"]);
  expect(csp.get("base-uri")).toEqual(["'none'"]);
  expect(csp.get("form-action")).toEqual(["'self'"]);
  expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  expect(csp.get("require-trusted-types-for")).toEqual(["'script'"]);
  for (const values of csp.values()) {
    expect(values).not.toContain("'unsafe-inline'");
    expect(values).not.toContain("'unsafe-eval'");
  }
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
}

describe("GET / (the web console)", () => {
  it("serves the HTML shell without a token, with strict security headers and no inline script", async () => {
    const h = createHarness();
    const response = await h.call("/", { auth: false });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expectSecurityHeaders(response);
    const page = await response.text();
    expect(page).toContain(`<script type="module" src="${CONSOLE_SCRIPT_PATH}"></script>`);
    expect(page).toContain(`<link rel="stylesheet" href="${CONSOLE_STYLE_PATH}" />`);
    // Every <script> has a src (no inline script), and nothing is loaded from another origin.
    expect(page.match(/<script\b[^>]*>/g)).toEqual([`<script type="module" src="${CONSOLE_SCRIPT_PATH}">`]);
    expect(page).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
    expect(h.upstream).toEqual([]);
  });

  it("leaves the script and style sheet to Workers Static Assets: the Worker's code does not hold them", async () => {
    // wrangler serves them from assets/ before the Worker runs (test/node/worker/wrangler-dev.test.ts);
    // a request that reaches the Worker for one finds nothing.
    const h = createHarness();
    expect(CONSOLE_SCRIPT_PATH).toMatch(/^\/console\/app-[0-9a-f]{16}\.js$/);
    expect(CONSOLE_STYLE_PATH).toBe(CONSOLE_SCRIPT_PATH.replace(/\.js$/, ".css"));
    expect((await h.call(CONSOLE_SCRIPT_PATH, { auth: false })).status).toBe(404);
    expect((await h.call(CONSOLE_STYLE_PATH, { auth: false })).status).toBe(404);
  });

  it("answers 405 for other methods on / and leaves the JSON routes protected", async () => {
    const h = createHarness();
    const post = await h.call("/", { method: "POST", auth: false });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect((await h.call("/collections", { auth: false })).status).toBe(401);
  });
});
