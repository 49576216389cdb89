import { describe, expect, it } from "vitest";
import { escapeHtml, renderHtmlReport } from "../../../src/cli/html-report.ts";
import { item, mixedResult, result } from "./helpers/results.ts";

describe("renderHtmlReport", () => {
  it("is one self-contained document: inline style, no script, a CSP that loads nothing", () => {
    const html = renderHtmlReport(mixedResult());
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link|src="http|href="http/i);
  });

  it("escapes every value taken from the result", () => {
    const html = renderHtmlReport(mixedResult());
    expect(html).toContain("Smoke &lt;script&gt;window.__pwned = 1&lt;/script&gt; &amp; &quot;friends&quot;");
    expect(html).toContain("Orders / Order &lt;b&gt;bold&lt;/b&gt;");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<b>bold</b>");
    expect(html).not.toContain("<img");
  });

  it("expands failed and errored items and collapses the others", () => {
    const html = renderHtmlReport(mixedResult());
    const details = [...html.matchAll(/<details class="item (\w+)" data-status="\w+"( open)?>/g)].map((m) => [
      m[1],
      m[2] === " open",
    ]);
    expect(details).toEqual([
      ["passed", false],
      ["failed", true],
      ["errored", true],
      ["skipped", false],
    ]);
  });

  it("shows the summary, the verdict, assertions, errors and captures", () => {
    const html = renderHtmlReport(mixedResult());
    expect(html).toContain('<span class="verdict failed">FAILED</span>');
    expect(html).toMatch(/<dt>Items<\/dt><dd data-field="items">4<\/dd>/);
    expect(html).toMatch(/<dt>Failed<\/dt><dd data-field="failed">1<\/dd>/);
    expect(html).toContain("CERTN_UNKNOWN_VARIABLE: unknown variable &quot;applicantId&quot; in the url");
    expect(html).toContain("<td><code>201</code></td><td><code>400</code></td>");
    expect(html).toContain("(nothing) — selected nothing");
    expect(html).toContain("ownerId");
    expect(html).toContain("POST https://demo-api.certn.co/api/v1/hr/applications/quick/");
  });

  it("says PASSED and shows iterations when every item passed over several iterations", () => {
    const html = renderHtmlReport(
      result("All good", [
        item({ name: "A", status: "passed" }),
        item({ name: "A", status: "passed", iteration: 1 }),
      ]),
    );
    expect(html).toContain('<span class="verdict passed">PASSED</span>');
    expect(html).toContain("<title>All good: passed</title>");
    expect(html).toContain("iteration 2");
  });

  it("puts several collections in one document, one section each", () => {
    const html = renderHtmlReport([result("First", [item({ name: "A", status: "passed" })]), mixedResult()]);
    expect(html.match(/<section class="run">/g)).toHaveLength(2);
    expect(html).toContain("<title>certn-edge: 2 collections, failed</title>");
  });

  it("escapeHtml covers the five special characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
    );
  });
});
