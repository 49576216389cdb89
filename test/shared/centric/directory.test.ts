import { describe, expect, it } from "vitest";
import { centricWith, collect, json, page } from "./context.ts";

const group = {
  id: "2a1ac795-0000",
  short_id: "CG_CA_QA2B6GDX525G",
  parent_id: null,
  name: "HR",
  is_active: true,
};

describe("client.centric groups, users, packages, tags", () => {
  it("groups.list reads the documented envelope and sends filters from public code", async () => {
    const { centric, seen } = centricWith(() => json(page([group], 1, null)));
    const first = await centric.groups.list({ is_active: true, name: "HR", id: ["a", "b"] });
    expect(first.results[0]).toEqual(group);
    expect(seen[0]?.url.pathname).toBe("/api/public/groups/");
    expect(seen[0]?.url.searchParams.get("is_active")).toBe("true");
    expect(seen[0]?.url.searchParams.getAll("id")).toEqual(["a", "b"]);
  });

  it("groups.get reads /api/public/groups/{id}/ (path from public code)", async () => {
    const { centric, seen } = centricWith(() => json(group));
    expect(await centric.groups.get(group.id)).toEqual(group);
    expect(seen[0]?.url.pathname).toBe(`/api/public/groups/${group.id}/`);
    const { centric: broken } = centricWith(() => json({ name: "x" }));
    await expect(broken.groups.get("g")).rejects.toThrow(/group field "id"/);
  });

  it("users, packages and tags list their code-sourced paths and filters", async () => {
    const { centric, seen } = centricWith((_request, url) => json(page([{ id: url.pathname }], 1, null)));
    const users = await collect(centric.users.all({ role: "ADMIN", group: ["g1", "g2"] }));
    const packages = await collect(centric.packages.all({ permissible_purposes: ["EMPLOYMENT"] }));
    const tags = await centric.tags.list({ name: "night-shift" });
    expect(users.map((u) => u.id)).toEqual(["/api/public/users/"]);
    expect(packages.map((p) => p.id)).toEqual(["/api/public/packages/"]);
    expect(tags.results.map((t) => t.id)).toEqual(["/api/public/tags/"]);
    expect(seen[0]?.url.searchParams.getAll("group")).toEqual(["g1", "g2"]);
    expect(seen[1]?.url.searchParams.getAll("permissible_purposes")).toEqual(["EMPLOYMENT"]);
    expect(seen[2]?.url.searchParams.get("name")).toBe("night-shift");
  });
});
