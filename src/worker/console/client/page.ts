/** What every console view shares: its heading, errors shown in words, the target element. */
import { ApiError } from "./api.ts";
import { type Child, h, replace } from "./dom.ts";

/** Where a view draws, and the signal that ends it when the person navigates away. */
export interface ViewContext {
  main: HTMLElement;
  signal: AbortSignal;
}

/**
 * Starts a view: the page title, an `h1` that takes the focus (so keyboard and screen-reader
 * users land on the new content), and whatever follows it.
 * @example
 * startView(view, "Runs", h("p", {}, "Loading…"));
 */
export function startView(view: ViewContext, title: string, ...children: Child[]): void {
  document.title = `${title} · certn-edge console`;
  const heading = h("h1", { tabindex: -1 }, title);
  replace(view.main, heading, ...children);
  heading.focus();
}

/** An error as a visible alert: the Worker's message and code, each issue at its pointer. */
export function errorBox(error: unknown): HTMLElement {
  if (error instanceof ApiError) {
    return h(
      "div",
      { class: "error", role: "alert" },
      h("p", {}, `Error ${error.status} (${error.code}): ${error.message}`),
      error.issues.length > 0
        ? h(
            "ul",
            {},
            ...error.issues.map((issue) => h("li", {}, `${issue.path || "(root)"}: ${issue.message}`)),
          )
        : null,
    );
  }
  return h(
    "div",
    { class: "error", role: "alert" },
    h("p", {}, error instanceof Error ? error.message : String(error)),
  );
}

/** The time of an ISO date in the reader's locale. */
export function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A duration in ms as words. */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return "";
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
