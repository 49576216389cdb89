/**
 * Building the console's DOM. Every value is set as text (`textContent` through text nodes) and
 * every attribute through `setAttribute`, never parsed as HTML: what a run or a collection holds
 * cannot become markup, script or a link. The page's CSP refuses HTML-parsing sinks besides.
 */

/** A child: a node, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes of {@link h}; `false`/`undefined` leave one out, `true` sets it empty. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/**
 * An element with attributes and children, every child string a text node.
 * @example
 * h("p", { class: "note" }, "Items: ", 3); // <p class="note">Items: 3</p>
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === "href" && !String(value).startsWith("#")) {
      // Links point inside the console only: no value from data becomes a javascript: or remote URL.
      throw new Error("console links must be in-page (#...)");
    }
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, ...children);
  return element;
}

/** Appends children (strings as text nodes). */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild !== null) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/** A JSON value as indented text (strings as themselves). */
export function showValue(value: unknown): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A term/description list from pairs; pairs without a value are left out. */
export function definitions(
  pairs: ReadonlyArray<readonly [string, Child]>,
  attributes: Attributes = {},
): HTMLDListElement {
  const list = h("dl", attributes);
  for (const [term, value] of pairs) {
    if (value === undefined || value === null || value === false) continue;
    append(list, h("dt", {}, term), h("dd", {}, value));
  }
  return list;
}

/** The words and class of an outcome: colour is never the only signal. */
export function statusBadge(status: string): HTMLElement {
  return h("span", { class: `status status-${status.replace(/[^a-z]/g, "")}` }, status.toUpperCase());
}

/** Offers `text` as a file download (a Blob URL, revoked once clicked). */
export function download(filename: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.setAttribute("href", url);
  link.setAttribute("download", filename);
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * An SVG element with attributes and children, like {@link h} (strings as text nodes, attributes
 * through `setAttribute`): for charts drawn from data, which stays text.
 * @example
 * svg("circle", { cx: 10, cy: 20, r: 4, class: "mark" }, svg("title", {}, "passed"));
 */
export function svg(tag: string, attributes: Attributes = {}, ...children: Child[]): SVGElement {
  const element = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, ...children);
  return element;
}
