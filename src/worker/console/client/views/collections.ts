/** The Collections page: every bundled and stored collection, with the outcome of its last run. */

import type { CollectionSummary } from "../../../collections-store.ts";
import { ApiError, getJson } from "../api.ts";
import { definitions, h, replace, statusBadge } from "../dom.ts";
import { errorBox, startView, type ViewContext, when } from "../page.ts";
import type { RunListEntry, RunListPage } from "./runs.ts";

/** The last run of each collection among the caller's newest runs (none without a run scope). */
async function lastRuns(): Promise<Map<string, RunListEntry>> {
  const last = new Map<string, RunListEntry>();
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
    const cards = collections.map((collection) => {
      const last = runs.get(collection.id);
      const lastRun =
        last === undefined
          ? "no run yet"
          : h(
              "a",
              { href: `#/runs/${encodeURIComponent(last.runId)}` },
              statusBadge(last.status),
              ` ${when(last.createdAt)}`,
            );
      return h(
        "li",
        { class: "card", "data-collection": collection.id },
        h("h2", {}, h("a", { href: `#/collections/${encodeURIComponent(collection.id)}` }, collection.name)),
        definitions(
          [
            ["Id", h("code", {}, collection.id)],
            ["Source", h("span", { class: "source" }, collection.source)],
            ["Items", h("span", { class: "items-count" }, collection.items)],
            ["Last run", lastRun],
          ],
          { class: "facts" },
        ),
        collection.description === null ? null : h("p", { class: "description" }, collection.description),
        h(
          "p",
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
      h("ul", { class: "cards", "aria-label": "Collections" }, ...cards),
    );
  } catch (error) {
    replace(body, errorBox(error));
  }
}
