/**
 * The form creating or replacing a monitor with `PUT /monitors/:id`: id (when new), collection,
 * schedule, inputs (JSON), alert URL and when to alert. Each issue of a `400` is shown at its field
 * (by its JSON Pointer: `/schedule`, `/alert/url`, `/inputs/...`), the others above the form.
 */
import type { CollectionSummary } from "../../../collections-store.ts";
import { ApiError, type ApiIssue, api, getJson } from "../api.ts";
import { h, replace } from "../dom.ts";
import type { MonitorSummary } from "../monitor-model.ts";
import { errorBox } from "../page.ts";
import { ID_PATTERN } from "./collection.ts";

/** The fields issues can be shown at, by the first segment(s) of their pointer. */
type Field = "id" | "collection" | "schedule" | "inputs" | "alert-url" | "alert-on";

/** The field an issue of the Worker belongs to, or undefined for the form as a whole. */
function fieldOf(issue: ApiIssue, code: string): Field | undefined {
  if (code === "INVALID_ID") return "id";
  const [, first, second] = issue.path.split("/");
  if (first === "collection" || first === "schedule" || first === "inputs") return first;
  if (first === "alert") return second === "on" ? "alert-on" : "alert-url";
  return undefined;
}

/** A labelled control with its hint and the place its issues go (`aria-describedby` both). */
function field(
  name: Field,
  label: string,
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  hint?: string,
): { row: HTMLElement; error: HTMLElement } {
  const id = `monitor-${name}`;
  control.setAttribute("id", id);
  const error = h("p", { id: `${id}-error`, class: "field-error", "data-field": name });
  const described = [hint === undefined ? "" : `${id}-hint`, `${id}-error`].filter((x) => x !== "");
  control.setAttribute("aria-describedby", described.join(" "));
  const row = h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    hint === undefined ? null : h("p", { id: `${id}-hint`, class: "hint" }, hint),
    control,
    error,
  );
  return { row, error };
}

/** The collection picker: a select of the saved collections, or a text field when they cannot be listed. */
async function collectionControl(
  selected: string | undefined,
): Promise<HTMLInputElement | HTMLSelectElement> {
  try {
    const collections = await getJson<CollectionSummary[]>("/collections");
    const select = h(
      "select",
      {},
      ...collections.map((collection) =>
        h("option", { value: collection.id }, `${collection.name} (${collection.id})`),
      ),
    );
    if (selected !== undefined) {
      // A monitor's collection deleted since: keep it chosen rather than silently pick another.
      if (!collections.some((collection) => collection.id === selected)) {
        select.appendChild(h("option", { value: selected }, `${selected} (no longer saved)`));
      }
      select.value = selected;
    }
    return select;
  } catch {
    const input = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
    input.value = selected ?? "";
    return input;
  }
}

/**
 * The monitor form; `existing` edits that monitor (its id fixed), else it creates one whose id is
 * none of `taken`. Saved, it opens the monitor's page.
 * @example
 * append(section, await monitorForm({ existing: monitor }));
 */
export async function monitorForm(options: {
  existing?: MonitorSummary;
  taken?: ReadonlySet<string>;
}): Promise<HTMLFormElement> {
  const { existing, taken = new Set<string>() } = options;
  const idInput = h("input", { type: "text", autocomplete: "off", spellcheck: "false", required: true });
  const collection = await collectionControl(existing?.collection);
  const schedule = h("input", { type: "text", autocomplete: "off", spellcheck: "false", required: true });
  schedule.value = existing?.schedule ?? "";
  const inputs = h("textarea", { rows: 4, spellcheck: "false", placeholder: '{"variables": {}}' });
  const alertUrl = h("input", { type: "text", inputmode: "url", autocomplete: "off", spellcheck: "false" });
  const alertOn = h(
    "select",
    {},
    ...["failure", "change", "always"].map((on) => h("option", { value: on }, on)),
  );
  alertOn.value = existing?.alert?.on ?? "failure";
  const fields = {
    id: field("id", "Monitor id", idInput, "1 to 64 lowercase letters, digits, dots, underscores or hyphens"),
    collection: field("collection", "Collection", collection),
    schedule: field(
      "schedule",
      "Schedule (UTC cron expression)",
      schedule,
      'Five fields (minute hour day month weekday), at most every 5 minutes, such as "*/15 * * * *"',
    ),
    inputs: field(
      "inputs",
      "Inputs (JSON object, optional)",
      inputs,
      existing === undefined
        ? "variables, data, iterations... as for a run"
        : "Not shown back (they may hold secrets): saving replaces them with what is here",
    ),
    "alert-url": field(
      "alert-url",
      "Alert URL (optional)",
      alertUrl,
      existing?.alert === null || existing === undefined
        ? "https: URL the alert is POSTed to; empty for no alert"
        : `Now ${existing.alert.url} (redacted): enter it again to keep the alert; empty removes it`,
    ),
    "alert-on": field("alert-on", "Alert on", alertOn, "failure, change of outcome, or every run"),
  } satisfies Record<Field, { row: HTMLElement; error: HTMLElement }>;
  const summary = h("div", {});
  const submit = h("button", { type: "submit" }, existing === undefined ? "Create monitor" : "Save monitor");
  const form = h(
    "form",
    { class: "monitor-form", novalidate: true },
    summary,
    existing === undefined ? fields.id.row : null,
    fields.collection.row,
    fields.schedule.row,
    fields.inputs.row,
    fields["alert-url"].row,
    fields["alert-on"].row,
    submit,
  );

  const show = (issues: { field: Field | undefined; message: string; path: string }[]): void => {
    for (const [name, { error }] of Object.entries(fields)) {
      const mine = issues.filter((issue) => issue.field === name);
      replace(error, mine.length === 0 ? null : mine.map((issue) => issue.message).join("; "));
      const control = document.getElementById(`monitor-${name}`);
      if (mine.length > 0) control?.setAttribute("aria-invalid", "true");
      else control?.removeAttribute("aria-invalid");
    }
    const rest = issues.filter((issue) => issue.field === undefined);
    replace(
      summary,
      issues.length === 0
        ? null
        : h(
            "div",
            { class: "error", role: "alert" },
            h("p", {}, `Not saved: ${issues.length} issue(s), each shown at its field.`),
            rest.length === 0
              ? null
              : h(
                  "ul",
                  {},
                  ...rest.map((issue) => h("li", {}, `${issue.path || "(root)"}: ${issue.message}`)),
                ),
          ),
    );
    const first = issues.find((issue) => issue.field !== undefined)?.field;
    if (first !== undefined) document.getElementById(`monitor-${first}`)?.focus();
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const id = existing?.id ?? idInput.value.trim();
    const local: { field: Field; message: string; path: string }[] = [];
    if (existing === undefined && !ID_PATTERN.test(id)) {
      local.push({
        field: "id",
        path: "",
        message: "use 1 to 64 lowercase letters, digits, dots, underscores or hyphens",
      });
    } else if (existing === undefined && taken.has(id)) {
      local.push({
        field: "id",
        path: "",
        message: "you already have a monitor with this id: open it to edit it",
      });
    }
    const body: Record<string, unknown> = {
      collection: collection.value.trim(),
      schedule: schedule.value.trim(),
    };
    if (inputs.value.trim() !== "") {
      try {
        body.inputs = JSON.parse(inputs.value);
      } catch (error) {
        local.push({ field: "inputs", path: "/inputs", message: `not JSON: ${(error as Error).message}` });
      }
    }
    if (alertUrl.value.trim() !== "") body.alert = { url: alertUrl.value.trim(), on: alertOn.value };
    if (local.length > 0) {
      show(local);
      return;
    }
    submit.disabled = true;
    void (async () => {
      try {
        await api(`/monitors/${encodeURIComponent(id)}`, {
          method: "PUT",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        show([]);
        const target = `#/monitors/${encodeURIComponent(id)}`;
        // Saving an edit stays on the same hash: draw the page again to show the new values.
        if (location.hash === target) window.dispatchEvent(new HashChangeEvent("hashchange"));
        else location.hash = target;
      } catch (error) {
        if (error instanceof ApiError && error.issues.length > 0) {
          show(error.issues.map((issue) => ({ ...issue, field: fieldOf(issue, error.code) })));
        } else {
          replace(summary, errorBox(error));
        }
      } finally {
        submit.disabled = false;
      }
    })();
  });
  return form;
}
