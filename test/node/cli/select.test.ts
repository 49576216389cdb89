import { describe, expect, it } from "vitest";
import { selectItems } from "../../../src/cli/select.ts";
import type { Collection } from "../../../src/collection/model.ts";

const get = (name: string) => ({ name, request: { method: "GET" as const, url: "/api/v1/users/" } });
const collection: Collection = {
  formatVersion: 1,
  name: "Sample",
  items: [
    get("Token check"),
    { name: "HR", items: [get("Invite applicant"), { name: "Reports", items: [get("PDF"), get("HTML")] }] },
    { name: "PM", items: [get("Invite tenant")] },
  ],
};

describe("selectItems", () => {
  it("returns the collection untouched when nothing is selected", () => {
    expect(selectItems(collection, { folders: [], grep: undefined }, "x")).toBe(collection);
  });

  it("keeps whole folders named by --folder, at any depth, with their parents", () => {
    const selected = selectItems(collection, { folders: ["Reports", "PM"], grep: undefined }, "x");
    expect(selected.items).toEqual([
      { name: "HR", items: [{ name: "Reports", items: [get("PDF"), get("HTML")] }] },
      { name: "PM", items: [get("Invite tenant")] },
    ]);
  });

  it("keeps items whose path contains the --grep text, case-insensitively", () => {
    const selected = selectItems(collection, { folders: [], grep: "invite" }, "x");
    expect(selected.items).toEqual([
      { name: "HR", items: [get("Invite applicant")] },
      { name: "PM", items: [get("Invite tenant")] },
    ]);
    expect(selectItems(collection, { folders: [], grep: "hr / reports" }, "x").items).toEqual([
      { name: "HR", items: [{ name: "Reports", items: [get("PDF"), get("HTML")] }] },
    ]);
  });

  it("names a folder that does not exist and a --grep that matches nothing", () => {
    expect(() => selectItems(collection, { folders: ["Nope"], grep: undefined }, "c.json")).toThrow(
      /c\.json: no folder named "Nope"/,
    );
    expect(() => selectItems(collection, { folders: [], grep: "zzz" }, "c.json")).toThrow(
      /no item matches --grep "zzz"/,
    );
  });
});
