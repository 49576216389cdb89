/**
 * A secret may be an object or an array: each string and number inside it is masked on its own,
 * so one secret is held to a few values, and a bigger one is refused by name before anything runs.
 */
import { describe, expect, it } from "vitest";
import { parseRunInputs, runCollection } from "../../../src/runner/index.ts";
import { MAX_SECRET_PARTS } from "../../../src/runner/secret-values.ts";
import { collectionOf, createTestTransport, json } from "./helpers.ts";

/** An object that, with itself, holds `count` values. */
function secretOf(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count - 1 }, (_, index) => [`k${index}`, `v${index}`]));
}

describe("a structured secret", () => {
  it(`holds at most ${MAX_SECRET_PARTS} values, nested ones counted`, () => {
    expect(parseRunInputs({ secrets: { fits: secretOf(MAX_SECRET_PARTS), plain: "x" } }).ok).toBe(true);
    // Shared members count each time they appear: this one holds 2^41 - 1 values in 41 objects.
    let shared: unknown[] = ["x"];
    for (let level = 0; level < 40; level += 1) shared = [shared, shared];
    const parsed = parseRunInputs({
      secrets: { big: secretOf(MAX_SECRET_PARTS + 1), nested: { a: [secretOf(MAX_SECRET_PARTS)] }, shared },
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((issue) => issue.path)).toEqual([
      "/secrets/big",
      "/secrets/nested",
      "/secrets/shared",
    ]);
    expect(parsed.issues[0]?.message).toContain(`at most ${MAX_SECRET_PARTS} values`);
  });

  it("past the limit, is refused by runCollection, naming it, before anything is sent", async () => {
    const transport = createTestTransport(() => json({}));
    await expect(
      runCollection(collectionOf([{ name: "a", request: { method: "GET", url: "/a" } }]), {
        client: transport,
        secrets: { big: secretOf(MAX_SECRET_PARTS + 1) },
      }),
    ).rejects.toThrow(/\/secrets\/big: a secret may hold at most/);
    expect(transport.sent).toHaveLength(0);
  });
});
