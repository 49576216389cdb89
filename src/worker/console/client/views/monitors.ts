/**
 * The Monitors page, shown only when the Worker answers `GET /monitors` (a later feature): each
 * monitor's fields as text, whatever shape the route gives.
 */
import { getJson } from "../api.ts";
import { definitions, h, replace, showValue } from "../dom.ts";
import { errorBox, startView, type ViewContext } from "../page.ts";

/**
 * Draws the monitors.
 * @example
 * await monitorsView({ main, signal });
 */
export async function monitorsView(view: ViewContext): Promise<void> {
  const body = h("div", {}, h("p", { role: "status" }, "Loading monitors…"));
  startView(view, "Monitors", body);
  try {
    const answer = await getJson<unknown>("/monitors");
    const list = Array.isArray(answer)
      ? answer
      : Array.isArray((answer as { monitors?: unknown }).monitors)
        ? (answer as { monitors: unknown[] }).monitors
        : [answer];
    replace(
      body,
      list.length === 0 ? h("p", {}, "No monitor yet.") : null,
      ...list.map((monitor) =>
        h(
          "section",
          { class: "monitor" },
          definitions(
            Object.entries((monitor ?? {}) as Record<string, unknown>).map(
              ([key, value]) => [key, showValue(value)] as const,
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    replace(body, errorBox(error));
  }
}
