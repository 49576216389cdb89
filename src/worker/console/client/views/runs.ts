/** The Runs page: the caller's runs, newest first, filtered by collection and status, a page at a time. */
import type { RunStatus } from "../../../store/runs.ts";
import { getJson } from "../api.ts";
import { append, h, replace, statusBadge } from "../dom.ts";
import { errorBox, startView, type ViewContext, when } from "../page.ts";

/** One run of `GET /runs` (as JSON: dates are ISO strings). */
export interface RunListEntry {
  runId: string;
  collection: string;
  mode: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
}

/** One page of `GET /runs`. */
export interface RunListPage {
  runs: RunListEntry[];
  cursor: string | null;
}

/** The statuses a run may have (the filter's choices). */
export const RUN_STATUSES = ["queued", "running", "waiting", "passed", "failed", "errored", "cancelled"];

/**
 * Draws a page of runs; `query` holds the filters and cursor (`collection`, `status`, `cursor`).
 * @example
 * await runsView({ main, signal }, new URLSearchParams("status=failed"));
 */
export async function runsView(view: ViewContext, query: URLSearchParams): Promise<void> {
  const collection = h("input", { id: "filter-collection", type: "text", autocomplete: "off" });
  collection.value = query.get("collection") ?? "";
  const status = h(
    "select",
    { id: "filter-status" },
    h("option", { value: "" }, "any"),
    ...RUN_STATUSES.map((name) => h("option", { value: name }, name)),
  );
  status.value = query.get("status") ?? "";
  const filters = h(
    "form",
    { class: "filters", role: "search" },
    h("label", { for: "filter-collection" }, "Collection id"),
    collection,
    h("label", { for: "filter-status" }, "Status"),
    status,
    h("button", { type: "submit" }, "Filter"),
  );
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (collection.value.trim() !== "") next.set("collection", collection.value.trim());
    if (status.value !== "") next.set("status", status.value);
    location.hash = `#/runs?${next}`;
  });
  const body = h("div", {}, h("p", { role: "status" }, "Loading runs…"));
  startView(view, "Runs", filters, body);
  const api = new URLSearchParams({ limit: "25" });
  for (const key of ["collection", "status", "cursor"]) {
    const value = query.get(key);
    if (value !== null && value !== "") api.set(key, value);
  }
  try {
    const page = await getJson<RunListPage>(`/runs?${api}`);
    const rows = page.runs.map((run) =>
      h(
        "tr",
        {},
        h(
          "th",
          { scope: "row" },
          h("a", { href: `#/runs/${encodeURIComponent(run.runId)}` }, h("code", {}, run.runId)),
        ),
        h("td", { "data-label": "Collection" }, run.collection),
        h("td", { "data-label": "Mode" }, run.mode),
        h("td", { "data-label": "Status" }, statusBadge(run.status)),
        h("td", { "data-label": "Started" }, when(run.createdAt)),
      ),
    );
    const paging = h("p", { class: "paging" });
    if (query.has("cursor")) {
      const first = new URLSearchParams(query);
      first.delete("cursor");
      append(paging, h("a", { href: `#/runs?${first}` }, "First page"), " ");
    }
    if (page.cursor !== null) {
      const next = new URLSearchParams(query);
      next.set("cursor", page.cursor);
      append(paging, h("a", { href: `#/runs?${next}` }, "Next page"));
    }
    replace(
      body,
      page.runs.length === 0
        ? h("p", {}, "No run matches.")
        : h(
            "div",
            { class: "scroll" },
            h(
              "table",
              { class: "stack" },
              h("caption", { class: "visually-hidden" }, "Runs, newest first"),
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ...["Run", "Collection", "Mode", "Status", "Started"].map((label) =>
                    h("th", { scope: "col" }, label),
                  ),
                ),
              ),
              h("tbody", {}, ...rows),
            ),
          ),
      paging,
    );
  } catch (error) {
    replace(body, errorBox(error));
  }
}
