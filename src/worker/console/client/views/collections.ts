/** The Collections page: every bundled and stored collection, with the outcome of its last run. */
import { ApiError, getJson } from "../api.ts";
import { h, replace, statusBadge } from "../dom.ts";
import { errorBox, startView, type ViewContext, when } from "../page.ts";
import type { RunListPage } from "./runs.ts";

/** One entry of `GET /collections`. */
export interface CollectionSummary {
  id: string;
  name: string;
  description: string | null;
  items: number;
  source: "bundled" | "stored";
}

/** The last run of each collection among the caller's newest runs (none without a run scope). */
async function lastRuns(): Promise<Map<string, RunListPage["runs"][number]>> {
  const last = new Map<string, RunListPage["runs"][number]>();
  try {
    const page = await getJson<RunListPage>("/runs?limit=200");
    for (const run of page.runs) if (!last.has(run.collection)) last.set(run.collection, run);
  } catch (error) {
    if (!(error instanceof ApiError && (error.status === 403 || error.status === 503))) throw error;
  }
  return last;
}

/**
 * Draws the list of collections.
 * @example
 * await collectionsView({ main, signal });
 */
export async function collectionsView(view: ViewContext): Promise<void> {
  const body = h("div", {}, h("p", { role: "status" }, "Loading collections…"));
  startView(view, "Collections", body);
  try {
    const [collections, runs] = await Promise.all([getJson<CollectionSummary[]>("/collections"), lastRuns()]);
    const rows = collections.map((collection) => {
      const last = runs.get(collection.id);
      return h(
        "tr",
        { "data-collection": collection.id },
        h(
          "th",
          { scope: "row" },
          h("a", { href: `#/collections/${encodeURIComponent(collection.id)}` }, collection.name),
        ),
        h("td", {}, h("code", {}, collection.id)),
        h("td", {}, collection.source),
        h("td", { class: "number" }, collection.items),
        h("td", { class: "description" }, collection.description ?? ""),
        h(
          "td",
          {},
          last === undefined
            ? "no run yet"
            : h(
                "a",
                { href: `#/runs/${encodeURIComponent(last.runId)}` },
                statusBadge(last.status),
                ` ${when(last.createdAt)}`,
              ),
        ),
        h(
          "td",
          {},
          h(
            "a",
            { href: `#/run/${encodeURIComponent(collection.id)}`, "aria-label": `Run ${collection.name}` },
            "Run",
          ),
        ),
      );
    });
    replace(
      body,
      h(
        "p",
        {},
        `${collections.length} collection(s). Bundled ones are read-only; stored ones can be edited.`,
      ),
      h(
        "div",
        { class: "scroll" },
        h(
          "table",
          { class: "collections" },
          h("caption", { class: "visually-hidden" }, "Collections"),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ...["Name", "Id", "Source", "Items", "Description", "Last run", "Run"].map((label) =>
                h("th", { scope: "col" }, label),
              ),
            ),
          ),
          h("tbody", {}, ...rows),
        ),
      ),
    );
  } catch (error) {
    replace(body, errorBox(error));
  }
}
