import { describe, expect, it } from "vitest";
import { isCertnResponseError } from "../../../src/core/errors.ts";
import { centricWith, collect, json, ORIGIN, page } from "./context.ts";

const cases = (...ids: string[]) => ids.map((id) => ({ id, overall_status: "COMPLETE" }));

describe("CertnCentric pagination", () => {
  it("list returns one page with its pagination block (documented envelope)", async () => {
    const { centric, seen } = centricWith(() => json(page(cases("a", "b"), 1, 2)));
    const first = await centric.cases.list({ page_size: 2 });
    expect(first.results.map((c) => c.id)).toEqual(["a", "b"]);
    expect(first.pagination.next_page).toBe(2);
    expect(seen[0]?.url.pathname).toBe("/api/public/cases/");
    expect(seen[0]?.url.searchParams.get("page_size")).toBe("2");
  });

  it("all follows next_page given as a page number, keeping the filters (open question: number or URL)", async () => {
    const { centric, seen } = centricWith((_request, url) => {
      const n = Number(url.searchParams.get("page") ?? "1");
      return json(
        n === 1
          ? page(cases("a", "b"), 1, 2)
          : n === 2
            ? page(cases("c", "d"), 2, "3")
            : page(cases("e"), 3, null),
      );
    });
    const all = await collect(centric.cases.all({ overall_status: ["COMPLETE", "CANCELLED"], page_size: 2 }));
    expect(all.map((c) => c.id)).toEqual(["a", "b", "c", "d", "e"]);
    expect(seen.map((r) => r.url.searchParams.get("page"))).toEqual([null, "2", "3"]);
    for (const request of seen) {
      expect(request.url.searchParams.getAll("overall_status")).toEqual(["COMPLETE", "CANCELLED"]);
      expect(request.url.searchParams.get("page_size")).toBe("2");
    }
  });

  it("all follows next_page given as a URL, by path and query on the client's own origin", async () => {
    const { centric, seen } = centricWith((_request, url) =>
      json(
        url.searchParams.get("page") === "2"
          ? page(cases("c"), 2, null)
          : page(cases("a", "b"), 1, "http://elsewhere.example/api/public/groups/?page=2&page_size=2"),
      ),
    );
    expect((await collect(centric.groups.all())).map((g) => g.id)).toEqual(["a", "b", "c"]);
    expect(seen[1]?.url.origin).toBe(ORIGIN);
    expect(seen[1]?.url.pathname).toBe("/api/public/groups/");
    expect(seen[1]?.url.search).toBe("?page=2&page_size=2");
  });

  it("all resolves a relative next_page link against the list's path", async () => {
    const { centric, seen } = centricWith((_request, url) =>
      json(url.searchParams.get("page") === "2" ? page(cases("b"), 2, null) : page(cases("a"), 1, "?page=2")),
    );
    expect((await collect(centric.users.all())).map((u) => u.id)).toEqual(["a", "b"]);
    expect(seen[1]?.url.pathname).toBe("/api/public/users/");
  });

  it("all starts from params.page and stops at an empty page", async () => {
    const { centric, seen } = centricWith((_request, url) =>
      json(url.searchParams.get("page") === "3" ? page(cases("x"), 3, 4) : page([], 4, 5)),
    );
    expect((await collect(centric.tags.all({ page: 3 }))).map((t) => t.id)).toEqual(["x"]);
    expect(seen).toHaveLength(2);
  });

  it("refuses a next_page that loops, naming the field", async () => {
    const { centric } = centricWith(() => json(page(cases("a"), 1, 1)));
    const error = await collect(centric.cases.all()).catch((e: unknown) => e);
    expect(isCertnResponseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/next_page/);
  });

  it("names the envelope field that is wrong", async () => {
    const bodies: [unknown, RegExp][] = [
      [[{ id: "a" }], /page object/],
      [{ pagination: {}, results: {} }, /"results" must be an array/],
      [{ results: [] }, /"pagination" must be an object/],
      [{ pagination: { next_page: true }, results: [] }, /"pagination.next_page"/],
    ];
    for (const [body, message] of bodies) {
      const { centric } = centricWith(() => json(body));
      await expect(centric.cases.list()).rejects.toThrow(message);
    }
  });

  it("sends array filters as repeated query keys (as public clients do)", async () => {
    const { centric, seen } = centricWith(() => json(page([], 1, null)));
    await centric.cases.list({
      check_type: ["IDENTITY_VERIFICATION_1", "CREDIT_REPORT_1"],
      group: ["g1", "g2"],
      ordered_by: "u1",
      tag: ["t1"],
      email_address: "a@example.com",
      order_timeframe_after: "2026-11-01T00:00:00Z",
    });
    const query = seen[0]?.url.searchParams;
    expect(query?.getAll("check_type")).toEqual(["IDENTITY_VERIFICATION_1", "CREDIT_REPORT_1"]);
    expect(query?.getAll("group")).toEqual(["g1", "g2"]);
    expect(query?.getAll("ordered_by")).toEqual(["u1"]);
    expect(query?.getAll("tag")).toEqual(["t1"]);
    expect(query?.get("email_address")).toBe("a@example.com");
    expect(query?.get("order_timeframe_after")).toBe("2026-11-01T00:00:00Z");
  });
});
