/**
 * One collection: its items, requests and assertions, and its JSON in an editor checked in the
 * browser by the runner's own `parseCollection`, each issue shown at its line and JSON Pointer.
 * Saving stores it with `PUT /collections/:id` (a bundled one is saved as a stored copy).
 */
import type { Assertion, Item } from "../../../../collection/model.ts";
import { parseCollection } from "../../../../runner/index.ts";
import { ApiError, type ApiIssue, api } from "../api.ts";
import { append, definitions, h, replace, showValue } from "../dom.ts";
import { locatePointer } from "../json-location.ts";
import { errorBox, startView, type ViewContext } from "../page.ts";

/** Collection (and monitor) ids, as the Worker accepts them. */
export const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The operator and operand of an assertion, as text. */
function assertionText(assertion: Assertion): string {
  const { that, name, ...operators } = assertion;
  const parts = Object.entries(operators).map(([op, operand]) => `${op} ${JSON.stringify(operand)}`);
  return `${name === undefined ? "" : `${name}: `}${that} ${parts.join(", ")}`;
}

/** The items of a collection as nested lists (the value may be invalid: bundled files are data). */
function itemList(items: readonly Item[]): HTMLElement {
  return h(
    "ol",
    { class: "items" },
    ...items.map((item) => {
      const entry = h("li", {}, h("strong", {}, String(item.name)));
      if ("items" in item && Array.isArray(item.items)) {
        append(entry, " (folder)", itemList(item.items));
        return entry;
      }
      if ("request" in item && item.request !== undefined) {
        append(entry, " ", h("code", {}, `${item.request.method} ${item.request.url}`));
      }
      if ("wait" in item && item.wait !== undefined) {
        append(entry, " ", h("span", {}, `waits for a ${item.wait.webhook} webhook`));
      }
      const assertions: Assertion[] = "assert" in item && Array.isArray(item.assert) ? item.assert : [];
      if (assertions.length > 0) {
        append(
          entry,
          h(
            "ul",
            { class: "assertions" },
            ...assertions.map((a) => h("li", {}, h("code", {}, assertionText(a)))),
          ),
        );
      }
      return entry;
    }),
  );
}

/** One issue shown at its place: a button moving the editor's caret there. */
function issueEntry(editor: HTMLTextAreaElement, issue: ApiIssue): HTMLElement {
  // The root is the whole text: its issues (a syntax error among them) say where in their message.
  const place = issue.path === "" ? undefined : locatePointer(editor.value, issue.path);
  const where = place === undefined ? "" : `Line ${place.line}, column ${place.column}: `;
  const button = h("button", { type: "button", class: "link" }, `${where}${issue.path || "(root)"}`);
  button.addEventListener("click", () => {
    editor.focus();
    if (place !== undefined) editor.setSelectionRange(place.offset, place.offset + place.length);
  });
  return h("li", { "data-line": place?.line, "data-pointer": issue.path }, button, ` ${issue.message}`);
}

/**
 * The browser-side check: the runner's `parseCollection` on the text itself, as `PUT` checks it
 * (a syntax error is one issue at the root whose message names its line and column).
 */
function checkText(text: string): ApiIssue[] {
  const parsed = parseCollection(text);
  return parsed.ok ? [] : parsed.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

/**
 * Draws a collection and its editor.
 * @example
 * await collectionView({ main, signal }, "certn-smoke");
 */
export async function collectionView(view: ViewContext, id: string): Promise<void> {
  const body = h("div", {}, h("p", { role: "status" }, "Loading the collection…"));
  startView(view, `Collection ${id}`, body);
  let value: unknown;
  let source: string;
  try {
    const response = await api(`/collections/${encodeURIComponent(id)}`);
    source = response.headers.get("x-collection-source") ?? "stored";
    value = await response.json();
  } catch (error) {
    replace(body, errorBox(error));
    return;
  }
  const record = (typeof value === "object" && value !== null ? value : {}) as {
    name?: unknown;
    description?: unknown;
    items?: unknown;
  };
  const bundled = source === "bundled";
  const editor = h("textarea", {
    id: "collection-json",
    rows: 24,
    spellcheck: "false",
    autocomplete: "off",
    "aria-describedby": "collection-issues-heading",
  });
  editor.value = JSON.stringify(value, null, 2);
  const issuesList = h("ul", { id: "collection-issues" });
  const verdict = h("p", { id: "collection-issues-heading", role: "status" });
  const targetId = h("input", {
    id: "save-id",
    type: "text",
    required: true,
    pattern: ID_PATTERN.source,
    autocomplete: "off",
  });
  targetId.value = bundled ? `${id}-copy` : id;
  targetId.readOnly = !bundled;
  const saveStatus = h("div", { role: "status", class: "save-status" });
  const showIssues = (issues: readonly ApiIssue[], from: string): void => {
    replace(
      verdict,
      issues.length === 0 ? "No issue: the collection is valid." : `${issues.length} issue(s) found ${from}:`,
    );
    verdict.className = issues.length === 0 ? "ok" : "bad";
    replace(issuesList, ...issues.map((issue) => issueEntry(editor, issue)));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  editor.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => showIssues(checkText(editor.value), "in the browser"), 300);
  });
  const form = h(
    "form",
    { class: "editor" },
    h(
      "label",
      { for: "collection-json" },
      bundled ? "JSON (bundled: save it as a stored copy to change it)" : "JSON",
    ),
    editor,
    verdict,
    issuesList,
    h("label", { for: "save-id" }, "Save as id"),
    targetId,
    h("button", { type: "submit" }, bundled ? "Save as a stored collection" : "Save"),
    saveStatus,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
  });
  async function save(): Promise<void> {
    const issues = checkText(editor.value);
    showIssues(issues, "in the browser");
    if (issues.length > 0) {
      replace(saveStatus, "Not saved: fix the issues first.");
      return;
    }
    if (!ID_PATTERN.test(targetId.value)) {
      replace(
        saveStatus,
        "Not saved: the id must be 1 to 64 lowercase letters, digits, dots, underscores or hyphens.",
      );
      return;
    }
    try {
      const response = await api(`/collections/${encodeURIComponent(targetId.value)}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: editor.value,
      });
      replace(
        saveStatus,
        h(
          "p",
          { class: "ok" },
          `Saved (${response.status === 201 ? "created" : "replaced"}) as ${targetId.value}.`,
        ),
      );
    } catch (error) {
      if (error instanceof ApiError && error.issues.length > 0) showIssues(error.issues, "by the Worker");
      replace(saveStatus, errorBox(error));
    }
  }
  replace(
    body,
    definitions([
      ["Name", String(record.name ?? id)],
      ["Id", id],
      ["Source", bundled ? "bundled (read-only)" : "stored"],
      ["Description", typeof record.description === "string" ? record.description : undefined],
    ]),
    h("p", {}, h("a", { href: `#/run/${encodeURIComponent(id)}` }, "Run this collection")),
    h("h2", {}, "Items"),
    Array.isArray(record.items) ? itemList(record.items as Item[]) : h("p", {}, showValue(record.items)),
    h("h2", {}, bundled ? "JSON" : "Edit"),
    form,
  );
  showIssues(checkText(editor.value), "in the browser");
}
