/**
 * A secret's value "never appears in any result, report, event or log" (collection format,
 * Secrets), the collection's own names included: the collection name, folder and item names (the
 * item's `path`) and an assertion's selector are shown through the redactor, as assertion names are.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../../src/results/result.ts";
import { parseCollection, runCollection, toJUnit, toNdjsonLine, toText } from "../../../src/runner/index.ts";
import { type LocalApi, startLocalApi } from "./local-api.ts";

const SECRET = "hunter2";

let api: LocalApi;

beforeAll(async () => {
  api = await startLocalApi({ "/data": () => ({ body: { other: 1 } }) });
});

afterAll(() => api.close());

describe("names holding a secret's value", () => {
  it("are shown [secret] in the result, the events and the reports", async () => {
    const parsed = parseCollection({
      formatVersion: 1,
      name: `coll ${SECRET}`,
      items: [
        {
          name: `folder ${SECRET}`,
          items: [
            {
              name: `item ${SECRET}`,
              auth: "none",
              request: { method: "GET", url: "/data" },
              assert: [{ that: `$['${SECRET}']`, exists: true, name: `assert ${SECRET}` }],
            },
          ],
        },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const events: RunEvent[] = [];
    const result = await runCollection(parsed.collection, {
      client: api.client(),
      secrets: { pw: SECRET },
      onEvent: (event) => events.push(event),
    });

    expect(result.collection).toBe("coll [secret]");
    expect(result.items[0]).toMatchObject({
      name: "item [secret]",
      path: ["folder [secret]", "item [secret]"],
      status: "failed",
    });
    expect(result.items[0]?.assertions[0]).toMatchObject({ that: "$['[secret]']", name: "assert [secret]" });
    const shown = [
      JSON.stringify(result),
      ...events.map((event) => toNdjsonLine(event)),
      toJUnit(result),
      toText(result),
    ].join("\n");
    expect(shown).not.toContain(SECRET);
  });
});
