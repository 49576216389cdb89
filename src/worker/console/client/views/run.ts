/**
 * The Run page: inputs (variables, data rows from pasted CSV, iterations, concurrency, dry run,
 * response bodies kept),
 * then a run now, whose NDJSON stream turns each item passed or failed as it ends, or a durable
 * run (`Prefer: respond-async`), whose page follows it.
 */
import { CsvError, parseCsvRows } from "../../../../core/csv.ts";
import type { ItemResult, RunEvent, RunSummary } from "../../../../runner/index.ts";
import { api, readNdjson } from "../api.ts";
import { append, h, replace, statusBadge } from "../dom.ts";
import { duration, errorBox, startView, type ViewContext } from "../page.ts";

/** The run inputs of the form, or the message of the first field that is wrong. */
function readInputs(form: {
  variables: HTMLTextAreaElement;
  data: HTMLTextAreaElement;
  iterations: HTMLInputElement;
  concurrency: HTMLInputElement;
  dryRun: HTMLInputElement;
  bodies: HTMLInputElement;
}): { ok: true; body: Record<string, unknown> } | { ok: false; message: string; field: HTMLElement } {
  const body: Record<string, unknown> = {};
  if (form.variables.value.trim() !== "") {
    try {
      body.variables = JSON.parse(form.variables.value);
    } catch (error) {
      return {
        ok: false,
        field: form.variables,
        message: `Variables: not JSON (${(error as Error).message})`,
      };
    }
  }
  if (form.data.value.trim() !== "") {
    try {
      body.data = parseCsvRows(form.data.value, "Data rows");
    } catch (error) {
      if (error instanceof CsvError) return { ok: false, field: form.data, message: error.message };
      throw error;
    }
  }
  if (form.iterations.value !== "") body.iterations = Number(form.iterations.value);
  if (form.concurrency.value !== "") body.concurrency = Number(form.concurrency.value);
  if (form.dryRun.checked) body.dryRun = true;
  if (form.bodies.checked) body.includeBodies = true;
  return { ok: true, body };
}

/** The key of an item of one iteration in the progress list. */
function itemKey(event: { name: string; path: string[]; iteration: number }): string {
  return JSON.stringify([event.iteration, ...event.path]);
}

/** The summary of a finished run, in words. */
export function summaryText(summary: RunSummary): string {
  return `${summary.items} item(s): ${summary.passed} passed, ${summary.failed} failed, ${summary.errored} errored, ${summary.skipped} skipped; assertions ${summary.assertions.passed} passed, ${summary.assertions.failed} failed`;
}

/**
 * Draws the run form of a saved collection.
 * @example
 * runView({ main, signal }, "certn-smoke");
 */
export function runView(view: ViewContext, id: string): void {
  const variables = h("textarea", {
    id: "run-variables",
    rows: 4,
    spellcheck: "false",
    placeholder: '{"name": "value"}',
  });
  const data = h("textarea", {
    id: "run-data",
    rows: 4,
    spellcheck: "false",
    placeholder: "first_name,last_name",
  });
  const iterations = h("input", {
    id: "run-iterations",
    type: "number",
    min: 1,
    step: 1,
    inputmode: "numeric",
  });
  const concurrency = h("input", {
    id: "run-concurrency",
    type: "number",
    min: 1,
    step: 1,
    inputmode: "numeric",
  });
  const dryRun = h("input", { id: "run-dry", type: "checkbox" });
  const bodies = h("input", { id: "run-bodies", type: "checkbox" });
  const runNow = h("button", { type: "submit", value: "now" }, "Run now");
  const durable = h("button", { type: "button" }, "Start durable run");
  const output = h("section", { "aria-labelledby": "run-output-heading", class: "run-output" });
  const form = h(
    "form",
    { class: "run-form" },
    h("label", { for: "run-variables" }, "Variables (JSON object)"),
    variables,
    h("label", { for: "run-data" }, "Data rows (CSV with a header line; one iteration per row)"),
    data,
    h("label", { for: "run-iterations" }, "Iterations"),
    iterations,
    h("label", { for: "run-concurrency" }, "Concurrency"),
    concurrency,
    h(
      "p",
      { class: "check" },
      dryRun,
      h("label", { for: "run-dry" }, "Dry run (build the requests, send nothing)"),
    ),
    h(
      "p",
      { class: "check" },
      bodies,
      h("label", { for: "run-bodies" }, "Keep response bodies in the result (redacted as always)"),
    ),
    h("p", { class: "actions" }, runNow, " ", durable),
  );
  startView(
    view,
    `Run ${id}`,
    h("p", {}, h("a", { href: `#/collections/${encodeURIComponent(id)}` }, "Read the collection")),
    form,
    output,
  );
  const fields = { variables, data, iterations, concurrency, dryRun, bodies };
  const start = async (mode: "now" | "durable"): Promise<void> => {
    const inputs = readInputs(fields);
    if (!inputs.ok) {
      replace(output, h("div", { class: "error", role: "alert" }, h("p", {}, inputs.message)));
      inputs.field.focus();
      return;
    }
    runNow.disabled = true;
    durable.disabled = true;
    try {
      if (mode === "durable") await startDurable(id, inputs.body);
      else await streamRun(view, id, inputs.body, output);
    } catch (error) {
      if (!view.signal.aborted) append(output, errorBox(error));
    } finally {
      runNow.disabled = false;
      durable.disabled = false;
    }
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void start("now");
  });
  durable.addEventListener("click", () => void start("durable"));
}

/** Starts a durable run and opens its page. */
async function startDurable(id: string, body: Record<string, unknown>): Promise<void> {
  const response = await api(`/collections/${encodeURIComponent(id)}/runs`, {
    method: "POST",
    headers: { "content-type": "application/json", prefer: "respond-async" },
    body: JSON.stringify(body),
  });
  const started = (await response.json()) as { runId: string };
  location.hash = `#/runs/${encodeURIComponent(started.runId)}`;
}

/** Runs now, drawing each item as its events arrive. */
async function streamRun(
  view: ViewContext,
  id: string,
  body: Record<string, unknown>,
  output: HTMLElement,
): Promise<void> {
  const status = h("p", { role: "status" }, "Starting…");
  const list = h("ol", { class: "progress", "aria-label": "Items" });
  replace(output, h("h2", { id: "run-output-heading" }, "Progress"), status, list);
  const response = await api(`/collections/${encodeURIComponent(id)}/runs`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/x-ndjson" },
    body: JSON.stringify(body),
    signal: view.signal,
  });
  const runId = response.headers.get("x-run-id");
  const entries = new Map<string, { entry: HTMLElement; state: HTMLElement; detail: HTMLElement }>();
  const entryOf = (event: { name: string; path: string[]; iteration: number }) => {
    const key = itemKey(event);
    let found = entries.get(key);
    if (found === undefined) {
      const state = h("span", { class: "status status-running" }, "RUNNING");
      const detail = h("span", { class: "detail" });
      // `path` is the folder names, then the item's own name.
      const label = event.path.join(" / ") || event.name;
      const entry = h("li", { "data-item": label, "data-status": "running" }, state, " ", label, " ", detail);
      found = { entry, state, detail };
      entries.set(key, found);
      append(list, entry);
    }
    return found;
  };
  await readNdjson(response, (line) => {
    const event = line as
      | RunEvent
      | { type: "result" }
      | { type: "heartbeat" }
      | { type: "error"; error?: { message?: string } };
    switch (event.type) {
      case "run-start":
        replace(status, `Running ${event.collection}, ${event.iterations} iteration(s)…`);
        break;
      case "item-start":
        entryOf(event);
        break;
      case "attempt": {
        const { detail } = entryOf(event);
        const parts = [`attempt ${event.attempt}`];
        if (event.poll !== undefined) parts.push(`poll ${event.poll.attempt} of ${event.poll.maxAttempts}`);
        if (event.status !== undefined) parts.push(`HTTP ${event.status}`);
        if (event.errorCode !== undefined) parts.push(event.errorCode);
        if (event.retryInMs !== undefined) parts.push(`waiting ${duration(event.retryInMs)}`);
        replace(detail, `(${parts.join(", ")})`);
        break;
      }
      case "item-end":
        finishItem(entryOf(event.item), event.item);
        break;
      case "run-end":
        replace(status, h("strong", {}, `Finished: ${summaryText(event.summary)}.`));
        break;
      case "error":
        append(output, errorBox(new Error(event.error?.message ?? "the run stopped with an error")));
        break;
      default:
        break;
    }
  });
  if (runId !== null) {
    append(
      output,
      h("p", {}, h("a", { href: `#/runs/${encodeURIComponent(runId)}` }, "Open the run's details")),
    );
  }
}

function finishItem(
  found: { entry: HTMLElement; state: HTMLElement; detail: HTMLElement },
  item: ItemResult,
): void {
  found.entry.setAttribute("data-status", item.status);
  const badge = statusBadge(item.status);
  found.state.setAttribute("class", badge.getAttribute("class") ?? "status");
  replace(found.state, badge.textContent);
  const facts: string[] = [];
  if (item.response !== undefined)
    facts.push(`HTTP ${item.response.status}`, duration(item.response.durationMs));
  if (item.attempts > 1) facts.push(`${item.attempts} attempts`);
  const failedAssertions = item.assertions.filter((assertion) => !assertion.passed).length;
  if (failedAssertions > 0) facts.push(`${failedAssertions} assertion(s) failed`);
  if (item.error !== null) facts.push(item.error.message);
  replace(found.detail, facts.length > 0 ? `(${facts.join(", ")})` : "");
}
