import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCollection } from "../../../src/collection/parse.ts";

const DOC = readFileSync(new URL("../../../docs/collection-format.md", import.meta.url), "utf8");

describe("docs/collection-format.md", () => {
  it("shows a complete example that parseCollection accepts", () => {
    const section = DOC.slice(DOC.indexOf("### A complete example"));
    const example = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const parsed = parseCollection(example ?? "");
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });

  it("quotes issue messages that parseCollection really gives", () => {
    const parsed = parseCollection({
      formatVersion: 1,
      name: "c",
      items: [
        { name: "a", request: { method: "FETCH", url: "/" } },
        { name: "b", reqeust: {}, request: { method: "GET", url: "/" } },
        { name: "c", request: { method: "GET", url: "/", headers: { Cookie: "x" } } },
        {
          name: "d",
          request: { method: "GET", url: "/" },
          assert: [{ that: "status", equals: 200, exists: true }],
        },
      ],
    });
    expect(parsed.ok).toBe(false);
    for (const issue of parsed.ok ? [] : parsed.issues) {
      const shown = issue.message.length > 90 ? issue.message.slice(0, 90) : issue.message;
      expect(DOC).toContain(`${issue.path}: ${shown}`);
    }
  });
});
